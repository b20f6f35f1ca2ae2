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
 * between t and z_q is a new peak, so the GPD is refitted and z_q moves; any other score only increments n (z_q
 * is not recomputed then, as in the paper).
 *
 * <p><b>Bounded memory and lazy refits (departures from the paper, off in {@link SpotSettings#paper}).</b>
 * The paper keeps every peak, so a stream that never ends needs unbounded memory, and refits on every peak, at a
 * cost proportional to the peaks kept. {@link SpotSettings} bounds both:
 * <ul>
 *   <li><i>Peak cap M</i> ({@link SpotSettings#maxPeaks}): at most M peaks are kept; a new peak beyond them
 *       replaces the oldest one (first in, first out, so the tail follows the recent past). The GPD is fitted on
 *       the M retained peaks only, but the counts N_t and n in {@code q n / N_t} keep counting every peak and every
 *       normal score since calibration. N_t / n thus stays the empirical peak rate of the whole stream: the
 *       retained peaks are a sample of the tail's shape, not of its frequency. (Setting N_t to M while n grows would
 *       make the rate fall towards 0 and drag z_q down to t; scaling n by M / N_t instead gives the same ratio with
 *       an extra rounding.) When calibration alone finds more than M peaks, the M latest of the calibration scores
 *       are kept.</li>
 *   <li><i>Lazy refit</i> ({@link SpotSettings#refitFraction} f): a new peak triggers a GPD refit only when the
 *       peaks added since the last fit reach {@code max(1, floor(f * retained))}; on the other peaks z_q is
 *       recomputed from the last fit with the current counts. The rule depends only on the state, so it is
 *       deterministic and survives a restart ({@link #state}).</li>
 * </ul>
 * With every peak kept and f = 0 (the paper's settings, and those of {@link #calibrate(double[], double, double)})
 * the results are those of the paper's algorithm bit for bit. The peaks are kept in a fixed order, the GPD fit's
 * summation order: the calibration peaks by increasing value, then each streamed peak as it arrives (an evicted
 * peak leaves the order and the others keep theirs); each carries its arrival (its index among the calibration
 * scores, or the count of normal scores when it arrived) so that the oldest is found.
 *
 * <p><b>Known limitation of the paper's rule (measured with this class).</b> A score above z_q is never learnt,
 * so the streamed peaks are a sample of the tail cut at z_q, which the fit takes for the whole tail: z_q sinks,
 * more scores are cut, and it sinks further. On i.i.d. Exp(1) scores at q = 1e-3 and level 0.98 (where 5% of the
 * peaks lie above the true z_q = 6.91), 5,000 calibration scores and 45,000 streamed ones leave z_q at 5.98 on
 * average (30 seeds; alarm rate 2.2e-3 instead of 1e-3), and it keeps sinking as the stream goes on. A peak cap
 * speeds this up, since it evicts the calibration peaks, the only uncut ones: with 5,000 peaks kept, z_q is 4.49
 * after 2,000,000 scores (alarm rate 7.4e-3). A smaller q / (1 - level) slows it (q = 1e-4, cap 5,000: z_q 7.65
 * instead of 9.21 after 10^6 scores). Calibrating again from time to time, or a fit that counts alarms as
 * censored peaks, would remove it; neither is the paper's algorithm.
 *
 * <p>Mutable and not thread-safe (one instance per stream). Memory grows with the number of peaks kept.
 */
public final class PeaksOverThreshold implements StreamingThreshold {

    /** The initial-threshold quantile level the paper recommends. */
    public static final double DEFAULT_LEVEL = 0.98;

    private final SpotSettings settings;
    private final double initialThreshold;
    /** The retained excesses over t in fit order, in {@code [0, retained)}. */
    private double[] peaks;
    /** The arrival of each retained peak; the smallest is the oldest. */
    private long[] arrivals;
    private int retained;
    private long peakCount;
    private long observations;
    private int peaksSinceFit;
    private GeneralizedPareto tail;
    private double threshold;

    private PeaksOverThreshold(SpotSettings settings, double initialThreshold, double[] peaks, long[] arrivals,
                               int retained, long peakCount, long observations, int peaksSinceFit,
                               GeneralizedPareto tail, double threshold) {
        this.settings = settings;
        this.initialThreshold = initialThreshold;
        this.peaks = peaks;
        this.arrivals = arrivals;
        this.retained = retained;
        this.peakCount = peakCount;
        this.observations = observations;
        this.peaksSinceFit = peaksSinceFit;
        this.tail = tail;
        this.threshold = threshold;
    }

    /**
     * Calibrates on {@code scores} with the initial threshold at quantile {@link #DEFAULT_LEVEL}, every peak kept
     * and a refit on every peak, as in the paper.
     *
     * @param risk q, the probability that a normal score exceeds the threshold, e.g. 1e-3
     */
    public static PeaksOverThreshold calibrate(double[] scores, double risk) {
        return calibrate(scores, risk, DEFAULT_LEVEL);
    }

    /**
     * Calibrates on {@code scores} as in the paper ({@link SpotSettings#paper}): initial threshold at the empirical
     * {@code level}-quantile, GPD fitted to the peaks above it, threshold at risk {@code risk}.
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
        return calibrate(scores, SpotSettings.paper(risk, level));
    }

    /**
     * Calibrates on {@code scores} (in time order, which decides which peaks a cap keeps) with {@code settings}.
     *
     * @throws IllegalArgumentException when fewer than 2 scores lie above the initial threshold, or the risk is not
     *                                  below the peaks' share (then the threshold would not lie in the tail: use a
     *                                  quantile instead)
     */
    public static PeaksOverThreshold calibrate(double[] scores, SpotSettings settings) {
        double risk = settings.risk();
        double level = settings.level();
        double[] sorted = Quantiles.sortedFinite(scores);
        double t = Quantiles.sortedQuantile(sorted, level);
        int count = 0;
        for (double s : scores) {
            if (s > t) {
                count++;
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
        // The latest peaks (all of them without a cap), then in fit order: by increasing score, ties by arrival.
        int kept = Math.min(count, settings.maxPeaks());
        Integer[] order = new Integer[kept];
        int k = kept;
        for (int i = scores.length - 1; k > 0; i--) {
            if (scores[i] > t) {
                order[--k] = i;
            }
        }
        Arrays.sort(order, (a, b) -> {
            int byScore = Double.compare(scores[a], scores[b]);
            return byScore != 0 ? byScore : Integer.compare(a, b);
        });
        // Sized by the peaks found, not by a guessed share of n: a low level makes most scores peaks.
        int capacity = Math.min(settings.maxPeaks(), Math.max(16, kept));
        double[] peaks = new double[capacity];
        long[] arrivals = new long[capacity];
        for (int j = 0; j < kept; j++) {
            peaks[j] = scores[order[j]] - t;
            arrivals[j] = order[j];
        }
        GeneralizedPareto tail = GeneralizedPareto.fit(peaks, kept);
        double z = zq(settings.risk(), t, tail, scores.length, count);
        return new PeaksOverThreshold(settings, t, peaks, arrivals, kept, count, scores.length, 0, tail, z);
    }

    /** z_q from a tail fit and the counts: {@code t + (excess exceeded with probability q n / N_t)}. */
    private static double zq(double risk, double t, GeneralizedPareto tail, long observations, long peakCount) {
        double p = risk * observations / peakCount;
        return t + tail.excessQuantile(Math.min(1.0, p));
    }

    /**
     * Resumes a stream from a state that {@link #state} exported.
     *
     * @throws IllegalArgumentException when the state is not a SPOT state
     */
    public static PeaksOverThreshold restore(StreamState state) {
        if (state.kind() != StreamState.Kind.SPOT) {
            throw new IllegalArgumentException("Not a SPOT state: " + state.kind().id());
        }
        return fromState(state);
    }

    /** The SPOT part of a SPOT or DSPOT state (which checked itself when built). */
    static PeaksOverThreshold fromState(StreamState s) {
        SpotSettings settings = s.settings();
        int retained = s.retainedPeaks();
        int capacity = Math.min(settings.maxPeaks(), Math.max(16, retained));
        return new PeaksOverThreshold(settings, s.initialThreshold(), Arrays.copyOf(s.peaks(), capacity),
                Arrays.copyOf(s.arrivals(), capacity), retained, s.peakCount(), s.observations(), s.peaksSinceFit(),
                s.tail(), s.tailThreshold());
    }

    /**
     * Feeds one new score (nats, higher = more anomalous). A score above the current threshold is an anomaly and is
     * not learnt from; a score between the initial threshold and the threshold becomes a peak and updates the tail
     * and the threshold.
     *
     * @return the score, the threshold in force when it arrived, and whether it lies above it
     * @throws IllegalArgumentException when the score is not finite (the state is then unchanged)
     */
    @Override
    public StreamVerdict update(double score) {
        if (!Double.isFinite(score)) {
            throw new IllegalArgumentException("Score is not finite: " + score);
        }
        double inForce = threshold;
        if (score > inForce) {
            return new StreamVerdict(score, inForce, true);
        }
        learn(score);
        return new StreamVerdict(score, inForce, false);
    }

    /** Learns from a score judged normal: counts it and, above t, keeps it as a peak. */
    void learn(double score) {
        observations++;
        if (score > initialThreshold) {
            addPeak(score - initialThreshold, observations - 1);
            peakCount++;
            if (++peaksSinceFit >= settings.peaksPerRefit(retained)) {
                tail = GeneralizedPareto.fit(peaks, retained);
                peaksSinceFit = 0;
            }
            threshold = zq(settings.risk(), initialThreshold, tail, observations, peakCount);
        }
    }

    private void addPeak(double excess, long arrival) {
        if (retained == settings.maxPeaks()) {
            int oldest = 0;
            for (int i = 1; i < retained; i++) {
                if (arrivals[i] < arrivals[oldest]) {
                    oldest = i;
                }
            }
            // Shifted, not overwritten in place: the others keep their fit order.
            System.arraycopy(peaks, oldest + 1, peaks, oldest, retained - oldest - 1);
            System.arraycopy(arrivals, oldest + 1, arrivals, oldest, retained - oldest - 1);
            retained--;
        } else if (retained == peaks.length) {
            int grown = (int) Math.min(settings.maxPeaks(), Math.max(16L, 2L * peaks.length));
            peaks = Arrays.copyOf(peaks, grown);
            arrivals = Arrays.copyOf(arrivals, grown);
        }
        peaks[retained] = excess;
        arrivals[retained] = arrival;
        retained++;
    }

    /** The current threshold z_q, in nats: the next score is an anomaly when above it. */
    @Override
    public double threshold() {
        return threshold;
    }

    /** The initial threshold t. */
    public double initialThreshold() {
        return initialThreshold;
    }

    /** The tail fitted to the excesses over t at the last refit. */
    public GeneralizedPareto tail() {
        return tail;
    }

    /** The risk q. */
    public double risk() {
        return settings.risk();
    }

    /** The settings. */
    public SpotSettings settings() {
        return settings;
    }

    /** The number of peaks N_t seen since calibration began, evicted ones included. */
    public long peakCount() {
        return peakCount;
    }

    /** The number of peaks kept in memory (at most {@link SpotSettings#maxPeaks}), on which the tail is fitted. */
    @Override
    public int retainedPeaks() {
        return retained;
    }

    /** The number of normal scores n seen (calibration included). */
    @Override
    public long observations() {
        return observations;
    }

    @Override
    public StreamState state() {
        return StreamState.spot(this);
    }

    /** Copies of the retained peaks (fit order) and their arrivals, for {@link StreamState}. */
    double[] peaksCopy() {
        return Arrays.copyOf(peaks, retained);
    }

    long[] arrivalsCopy() {
        return Arrays.copyOf(arrivals, retained);
    }

    int peaksSinceFit() {
        return peaksSinceFit;
    }

    /** The current threshold as a core {@link Threshold}, e.g. for storing in a model. */
    public Threshold toThreshold(ScoreSettings score, String fittedOn) {
        return new Threshold(threshold, "pot:" + settings.risk(), fittedOn, score);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "SPOT[q=%s, t=%.6g, peaks=%d (kept %d), n=%d, gamma=%.4g, sigma=%.4g, z=%.6g, level=%s]",
                settings.risk(), initialThreshold, peakCount, retained, observations, tail.gamma(), tail.sigma(),
                threshold, settings.level());
    }
}
