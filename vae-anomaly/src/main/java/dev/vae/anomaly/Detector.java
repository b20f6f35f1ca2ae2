package dev.vae.anomaly;

import dev.vae.anomaly.score.Scorer;
import dev.vae.anomaly.score.ScoringMeters;
import dev.vae.core.Threshold;
import dev.vae.core.VaeModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.Objects;

/**
 * A scorer and a threshold that flag anomalies and report to Micrometer (SPEC section 8). Thread-safe.
 *
 * <p>Meters, registered once per detector (defined by {@link ScoringMeters}):
 * <ul>
 *   <li>{@code vae.score} (Timer, tag {@code backend=native|onnx|...}): time of each scoring call;</li>
 *   <li>{@code vae.anomaly.events} (Counter, tag {@code result=normal|anomalous}): rows flagged;</li>
 *   <li>{@code vae.anomaly.threshold} (Gauge, base unit nats): the threshold in force, of the newest detector on
 *       the registry;</li>
 *   <li>{@code vae.anomaly.excess} (DistributionSummary, base unit nats): {@code max(0, score - threshold)} for
 *       every row. Never a raw score: scores can be negative and a DistributionSummary drops negative values.</li>
 * </ul>
 */
public final class Detector {

    /** Base unit of every score-valued meter. */
    public static final String NATS = ScoringMeters.NATS;

    private final Scorer scorer;
    private final Threshold threshold;
    private final ScoringMeters meters;

    /** A detector on the model's threshold and score settings, reporting to {@link Metrics#globalRegistry}. */
    public Detector(VaeModel model) {
        this(new Scorer(model), requireThreshold(model), Metrics.globalRegistry);
    }

    /**
     * A detector reporting to {@code registry}.
     *
     * @param scorer    the scorer
     * @param threshold rows scoring strictly above its value are anomalous
     * @param registry  where the meters go
     * @throws IllegalArgumentException when the threshold was fitted on another score than the scorer computes
     */
    public Detector(Scorer scorer, Threshold threshold, MeterRegistry registry) {
        this.scorer = Objects.requireNonNull(scorer, "scorer");
        this.threshold = Objects.requireNonNull(threshold, "threshold");
        Objects.requireNonNull(registry, "registry");
        threshold.requireScore(scorer.settings());
        this.meters = new ScoringMeters(scorer, threshold, registry);
    }

    private static Threshold requireThreshold(VaeModel model) {
        Threshold t = model.threshold();
        if (t == null) {
            throw new IllegalArgumentException("The model has no threshold: fit one (vae train --threshold ...)");
        }
        return t;
    }

    /** The scorer. */
    public Scorer scorer() {
        return scorer;
    }

    /** The threshold. */
    public Threshold threshold() {
        return threshold;
    }

    /**
     * A builder that trains a detector from data: trains a model, fits its threshold on the rows training held out,
     * and returns both with the detector ({@link DetectorBuilder}).
     */
    public static DetectorBuilder builder() {
        return new DetectorBuilder();
    }

    /**
     * Scores raw rows, records the meters, and returns the scores (nats, higher = more anomalous); a row is
     * anomalous when its score is strictly above {@link #threshold()}.
     */
    public double[] score(float[] raw, int rows) {
        long t0 = System.nanoTime();
        double[] scores = scorer.score(raw, rows);
        meters.record(System.nanoTime() - t0, scores, 0, rows);
        return scores;
    }

    /** Scores raw rows and says which are anomalous (score strictly above the threshold). */
    public boolean[] detect(float[] raw, int rows) {
        double[] scores = score(raw, rows);
        boolean[] flags = new boolean[rows];
        for (int i = 0; i < rows; i++) {
            flags[i] = threshold.isAnomalous(scores[i]);
        }
        return flags;
    }

    /** Scores one raw row (nats, higher = more anomalous) and records the meters. */
    public double score(float[] row) {
        return score(row, 1)[0];
    }
}
