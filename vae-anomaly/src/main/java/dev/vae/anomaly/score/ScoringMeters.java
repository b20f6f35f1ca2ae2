package dev.vae.anomaly.score;

import dev.vae.core.Threshold;
import dev.vae.train.metrics.LatestGauge;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The scoring meters of SPEC section 8, defined once for every scoring path ({@link dev.vae.anomaly.Detector},
 * {@link CsvScoring}, the command line's {@code --metrics}). Thread-safe.
 *
 * <ul>
 *   <li>{@code vae.score} (Timer, tag {@code backend=native|onnx|...}): time of each scoring call;</li>
 *   <li>with a threshold, {@code vae.anomaly.events} (Counter, base unit rows, tag {@code result=normal|anomalous}):
 *       rows by outcome;</li>
 *   <li>with a threshold, {@code vae.anomaly.threshold} (Gauge, base unit nats): the threshold in force, of the
 *       newest meters registered on the registry;</li>
 *   <li>with a threshold, {@code vae.anomaly.excess} (DistributionSummary, base unit nats):
 *       {@code max(0, score - threshold)} for every row. Never a raw score: scores can be negative and a
 *       DistributionSummary drops negative values.</li>
 * </ul>
 * Meters of the same name and tags are shared by every instance on one registry, so counts add up across them.
 */
public final class ScoringMeters {

    /** Base unit of every score-valued meter. */
    public static final String NATS = "nats";

    private final Timer timer;
    private final @Nullable Outcomes outcomes;

    /**
     * Registers the meters of {@code scorer} on {@code registry}: the timer always, the outcome meters when a
     * threshold is given.
     *
     * @param threshold rows scoring strictly above its value are anomalous; null for the timer alone
     * @throws IllegalArgumentException when the threshold was fitted on another score than the scorer computes
     */
    public ScoringMeters(Scorer scorer, @Nullable Threshold threshold, MeterRegistry registry) {
        Objects.requireNonNull(scorer, "scorer");
        Objects.requireNonNull(registry, "registry");
        if (threshold != null) {
            threshold.requireScore(scorer.settings());
        }
        this.timer = timer(scorer, registry);
        this.outcomes = threshold == null ? null : new Outcomes(threshold.value(), registry);
    }

    /**
     * Meters for a threshold that moves as a stream goes (SPOT, DSPOT): the same meters, the gauge reporting the
     * threshold of the latest point; record with {@link #recordPoint}.
     */
    public static ScoringMeters moving(Scorer scorer, MeterRegistry registry) {
        return new ScoringMeters(scorer, registry);
    }

    private ScoringMeters(Scorer scorer, MeterRegistry registry) {
        this.timer = timer(scorer, registry);
        this.outcomes = new Outcomes(Double.NaN, registry);
    }

    private static Timer timer(Scorer scorer, MeterRegistry registry) {
        return Timer.builder("vae.score").description("Time to score a batch of rows")
                .tag("backend", scorer.backend()).register(registry);
    }

    /**
     * Records one point of a stream: the time it took to score, and its outcome against the threshold in force when
     * it arrived (NaN: none yet, not counted). For meters made by {@link #moving}, whose gauge then reports that
     * threshold.
     */
    public void recordPoint(long elapsedNanos, double score, double threshold) {
        timer.record(elapsedNanos, TimeUnit.NANOSECONDS);
        if (outcomes != null && !Double.isNaN(threshold)) {
            outcomes.current = threshold;
            outcomes.record(score);
        }
    }

    /**
     * Records one scoring call: its duration and, with a threshold, the outcome of each of its rows.
     *
     * @param elapsedNanos how long the call took, in nanoseconds
     * @param scores       the call's scores (nats) are {@code scores[off, off + rows)}
     */
    public void record(long elapsedNanos, double[] scores, int off, int rows) {
        timer.record(elapsedNanos, TimeUnit.NANOSECONDS);
        if (outcomes != null) {
            outcomes.record(scores, off, rows);
        }
    }

    /** The meters that compare scores with a threshold. */
    private static final class Outcomes {
        /** The threshold in force: fixed, or the latest point's for a stream. */
        private volatile double current;
        private final Counter normal;
        private final Counter anomalous;
        private final DistributionSummary excess;

        Outcomes(double threshold, MeterRegistry registry) {
            this.current = threshold;
            this.normal = Counter.builder("vae.anomaly.events").description("Rows scored, by outcome")
                    .tag("result", "normal").baseUnit("rows").register(registry);
            this.anomalous = Counter.builder("vae.anomaly.events").description("Rows scored, by outcome")
                    .tag("result", "anomalous").baseUnit("rows").register(registry);
            // The gauge reads an immutable value held by these meters, and replaces an older gauge so that the
            // registry reports the newest threshold.
            LatestGauge.register(registry, "vae.anomaly.threshold", Tags.empty(), "The anomaly threshold in force",
                    NATS, () -> current);
            this.excess = DistributionSummary.builder("vae.anomaly.excess")
                    .description("How far each row's score lies above the threshold, max(0, score - threshold)")
                    .baseUnit(NATS).register(registry);
        }

        /** One score against the threshold in force (a stream's point: no array per point). */
        void record(double score) {
            double e = score - current;
            excess.record(Math.max(0.0, e));
            (e > 0 ? anomalous : normal).increment();
        }

        void record(double[] scores, int off, int rows) {
            double threshold = current;
            long bad = 0;
            for (int i = off; i < off + rows; i++) {
                double e = scores[i] - threshold;
                if (e > 0) {
                    bad++;
                }
                excess.record(Math.max(0.0, e));
            }
            if (bad > 0) {
                anomalous.increment(bad);
            }
            if (rows - bad > 0) {
                normal.increment(rows - bad);
            }
        }
    }
}
