package dev.vae.anomaly.threshold;

import dev.vae.core.ScoreSettings;
import dev.vae.core.Threshold;
import java.util.Arrays;
import java.util.Locale;

/**
 * Streaming Peaks-Over-Threshold (SPOT), written from Siffer, Fouque, Termier and Largouet, "Anomaly Detection in
 * Streams with Extreme Value Theory" (KDD 2017).
 *
 * <p>Calibration ({@link #calibrate}): on n scores, take an initial threshold t at a high empirical quantile
 * (the paper uses 0.98), keep the N_t peaks (excesses x - t of the scores above t), fit a generalised Pareto
 * distribution to them by maximum likelihood ({@link GeneralizedPareto#fit}, Grimshaw's trick) and set the
 * threshold at risk q to {@code z_q = t + sigma / gamma ((q n / N_t)^(-gamma) - 1)} (or
 * {@code t - sigma log(q n / N_t)} when gamma = 0): the score exceeded with probability q.
 *
 * <p>Streaming ({@link #update}): a new score above z_q is an anomaly and leaves the model unchanged; a score
 * between t and z_q is a new peak, so the GPD is refitted and z_q moves; any other score only increments n.
 *
 * <p>Mutable and not thread-safe (one instance per stream). Memory grows with the number of peaks (about
 * {@code (1 - level)} of the normal scores seen).
 */
public final class PeaksOverThreshold {

    /** The initial-threshold quantile level the paper recommends. */
    public static final double DEFAULT_LEVEL = 0.98;

    private final double risk;
    private final double level;
    private final double initialThreshold;
    private double[] peaks;
    private int peakCount;
    private long observations;
    private GeneralizedPareto tail;
    private double threshold;

    private PeaksOverThreshold(double risk, double level, double initialThreshold, double[] peaks, int peakCount,
                               long observations) {
        this.risk = risk;
        this.level = level;
        this.initialThreshold = initialThreshold;
        this.peaks = peaks;
        this.peakCount = peakCount;
        this.observations = observations;
        refit();
    }

    /**
     * Calibrates on {@code scores} with the initial threshold at quantile {@link #DEFAULT_LEVEL}.
     *
     * @param risk q, the probability that a normal score exceeds the threshold, e.g. 1e-3
     */
    public static PeaksOverThreshold calibrate(double[] scores, double risk) {
        return calibrate(scores, risk, DEFAULT_LEVEL);
    }

    /**
     * Calibrates on {@code scores}: initial threshold at the empirical {@code level}-quantile, GPD fitted to the
     * peaks above it, threshold at risk {@code risk}.
     *
     * @throws IllegalArgumentException when risk or level is out of range, fewer than 2 scores lie above the
     *                                  initial threshold, or the risk is not below the peaks' share (then the
     *                                  threshold would not lie in the tail: use a quantile instead)
     */
    public static PeaksOverThreshold calibrate(double[] scores, double risk, double level) {
        if (!(risk > 0 && risk < 1)) {
            throw new IllegalArgumentException("Invalid POT risk: " + risk + " (expected 0 < q < 1)");
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("Invalid POT initial quantile level: " + level + " (expected 0 < level < 1)");
        }
        double[] sorted = Quantiles.sortedFinite(scores);
        double t = Quantiles.sortedQuantile(sorted, level);
        // Sized by the scores above t, not by a guessed share of n: a low level makes most scores peaks.
        int above = 0;
        for (double s : sorted) {
            if (s > t) {
                above++;
            }
        }
        double[] peaks = new double[Math.max(16, above)];
        int count = 0;
        for (double s : sorted) {
            if (s > t) {
                peaks[count++] = s - t;
            }
        }
        if (count < 2) {
            throw new IllegalArgumentException("POT needs at least 2 scores above its initial threshold " + t
                    + " (the " + level + " quantile of " + scores.length + " scores); got " + count);
        }
        if (risk >= (double) count / scores.length) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "POT risk %s is not below the share of peaks %.4g (%d of %d scores): use a smaller risk or quantile:%s",
                    risk, (double) count / scores.length, count, scores.length, 1 - risk));
        }
        return new PeaksOverThreshold(risk, level, t, peaks, count, scores.length);
    }

    private void refit() {
        tail = GeneralizedPareto.fit(peaks, peakCount);
        double p = risk * observations / peakCount;
        threshold = initialThreshold + tail.excessQuantile(Math.min(1.0, p));
    }

    /**
     * Feeds one new score (nats, higher = more anomalous) and says whether it is an anomaly. A score above the
     * current threshold is an anomaly and is not learnt from; a score between the initial threshold and the
     * threshold becomes a peak and updates the tail fit and the threshold.
     *
     * @return true when {@code score} lies above the threshold in force when it arrived
     */
    public boolean update(double score) {
        if (!Double.isFinite(score)) {
            throw new IllegalArgumentException("Score is not finite: " + score);
        }
        if (score > threshold) {
            return true;
        }
        observations++;
        if (score > initialThreshold) {
            if (peakCount == peaks.length) {
                peaks = Arrays.copyOf(peaks, peaks.length * 2);
            }
            peaks[peakCount++] = score - initialThreshold;
            refit();
        }
        return false;
    }

    /** The current threshold z_q, in nats. */
    public double threshold() {
        return threshold;
    }

    /** The initial threshold t. */
    public double initialThreshold() {
        return initialThreshold;
    }

    /** The fitted tail of the excesses over t. */
    public GeneralizedPareto tail() {
        return tail;
    }

    /** The risk q. */
    public double risk() {
        return risk;
    }

    /** The number of peaks N_t. */
    public int peakCount() {
        return peakCount;
    }

    /** The number of normal scores n seen (calibration included). */
    public long observations() {
        return observations;
    }

    /** The current threshold as a core {@link Threshold}, e.g. for storing in a model. */
    public Threshold toThreshold(ScoreSettings score, String fittedOn) {
        return new Threshold(threshold, "pot:" + risk, fittedOn, score);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "SPOT[q=%s, t=%.6g, peaks=%d, n=%d, gamma=%.4g, sigma=%.4g, z=%.6g, level=%s]",
                risk, initialThreshold, peakCount, observations, tail.gamma(), tail.sigma(), threshold, level);
    }
}
