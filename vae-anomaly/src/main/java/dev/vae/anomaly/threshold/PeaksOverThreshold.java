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
 *   <li><i>Peak cap M</i> ({@link SpotSettings#maxPeaks}): at most M peaks are kept, a uniform random sample of
 *       all the peaks seen (reservoir sampling, Vitter's algorithm R): the k-th peak, once k > M, replaces the kept
 *       peak in slot j when {@code j = mix(k) mod k} is below M, and is dropped otherwise. {@code mix} is the
 *       SplitMix64 finaliser of {@code k * 0x9E3779B97F4A7C15}, so the choice depends on k alone: deterministic,
 *       and the same after a restart. The counts N_t and n in {@code q n / N_t} keep counting every peak and every
 *       normal score; N_t / n thus stays the empirical peak rate of the whole stream, and the sample, also drawn
 *       from the whole stream, estimates the same tail as the paper's full set of peaks, with a variance that
 *       stops shrinking at M peaks. (Setting N_t to M while n grows would make the rate fall towards 0 and drag
 *       z_q down to t.) Why not keep the most recent M (first in, first out)? Because of the limitation below: the
 *       calibration peaks are the only ones not cut at z_q, and a FIFO evicts them. Measured on i.i.d. Exp(1) scores,
 *       q = 1e-3, level 0.98, 20,000 calibration and 1,000,000 streamed scores, cap 200: with a FIFO z_q collapsed
 *       to t (3.91; alarm rate 1.7e-2, nearly the whole peak rate of 2e-2), with the reservoir it ended at 5.33 (alarm rate
 *       3.5e-3), close to the paper's uncapped behaviour.</li>
 *   <li><i>Lazy refit</i> ({@link SpotSettings#refitFraction} f): the GPD is refitted only once the changes to the
 *       kept sample since the last fit (peaks added or swapped in) reach {@code max(1, floor(f * kept))}; on the
 *       other peaks z_q is recomputed from the last fit with the current counts. A peak the reservoir drops changes
 *       nothing but the counts, so past the cap refits grow rare (a peak enters with probability M / N_t). The
 *       rule depends only on the state: deterministic, and the same after a restart ({@link #state}).</li>
 * </ul>
 * With every peak kept and f = 0 (the paper's settings, and those of {@link #calibrate(double[], double, double)})
 * the results are those of the paper's algorithm, bit for bit. The kept peaks are held in a fixed order, the GPD
 * fit's summation order: the calibration peaks by increasing score (ties by position), then each streamed peak
 * appended as it comes, or written over the slot it replaces.
 *
 * <p><b>Known limitation of the paper's rule (measured with this class).</b> A score above z_q is never learnt,
 * so the streamed peaks are a sample of the tail cut at z_q, which the fit takes for the whole tail: z_q sinks,
 * more scores are cut, and it sinks further, ever more slowly as the peaks pile up. On i.i.d. Exp(1) scores at
 * q = 1e-3 and level 0.98 (where 5% of the peaks lie above the true z_q = 6.91), 5,000 calibration scores and
 * 45,000 streamed ones leave z_q at 5.98 on average (30 seeds; alarm rate 2.2e-3 instead of 1e-3); after 40,000
 * calibration scores and 10,000 streamed ones, 6.78. A smaller q / (1 - level) slows it. Calibrating again from
 * time to time, or a fit that counts alarms as censored peaks, would remove it; neither is the paper's algorithm.
 *
 * <p>Mutable and not thread-safe (one instance per stream). Memory grows with the number of peaks kept.
 */
public final class PeaksOverThreshold implements StreamingThreshold {

    /** The initial-threshold quantile level the paper recommends. */
    public static final double DEFAULT_LEVEL = 0.98;

    private final SpotSettings settings;
    private final double initialThreshold;
    /** The kept excesses over t in fit order, in {@code [0, kept)}. */
    private double[] peaks;
    private int kept;
    private long peakCount;
    private long observations;
    private int changesSinceFit;
    private GeneralizedPareto tail;
    private double threshold;

    private PeaksOverThreshold(SpotSettings settings, double initialThreshold, double[] peaks, int kept,
                               long peakCount, long observations, int changesSinceFit, GeneralizedPareto tail,
                               double threshold) {
        this.settings = settings;
        this.initialThreshold = initialThreshold;
        this.peaks = peaks;
        this.kept = kept;
        this.peakCount = peakCount;
        this.observations = observations;
        this.changesSinceFit = changesSinceFit;
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
     * Calibrates on {@code scores} (in time order) with {@code settings}. Beyond the cap, the peaks kept are drawn
     * from the calibration peaks in time order by the same reservoir rule as streamed ones.
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
        // The positions of the peaks kept (all of them below the cap), then in fit order: by score, ties by position.
        int keep = Math.min(count, settings.maxPeaks());
        Integer[] order = new Integer[keep];
        long k = 0;
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] > t) {
                k++;
                int slot = k <= keep ? (int) (k - 1) : reservoirSlot(k, keep);
                if (slot >= 0) {
                    order[slot] = i;
                }
            }
        }
        Arrays.sort(order, (a, b) -> {
            int byScore = Double.compare(scores[a], scores[b]);
            return byScore != 0 ? byScore : Integer.compare(a, b);
        });
        // Sized by the peaks found, not by a guessed share of n: a low level makes most scores peaks.
        double[] peaks = new double[Math.min(settings.maxPeaks(), Math.max(16, keep))];
        for (int j = 0; j < keep; j++) {
            peaks[j] = scores[order[j]] - t;
        }
        GeneralizedPareto tail = GeneralizedPareto.fit(peaks, keep);
        double z = zq(risk, t, tail, scores.length, count);
        return new PeaksOverThreshold(settings, t, peaks, keep, count, scores.length, 0, tail, z);
    }

    /**
     * Where the k-th peak (1-based, k above the cap) goes in a full reservoir of {@code cap} peaks: the slot it
     * replaces, or -1 to drop it. Uniform over the k peaks so far, as algorithm R asks, from a hash of k alone.
     */
    static int reservoirSlot(long k, int cap) {
        long z = k * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        long j = Long.remainderUnsigned(z, k);
        return j < cap ? (int) j : -1;
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
        int kept = s.retainedPeaks();
        double[] peaks = Arrays.copyOf(s.peaks(), Math.min(settings.maxPeaks(), Math.max(16, kept)));
        return new PeaksOverThreshold(settings, s.initialThreshold(), peaks, kept, s.peakCount(), s.observations(),
                s.changesSinceFit(), s.tail(), s.tailThreshold());
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

    /** Learns from a score judged normal: counts it and, above t, counts it as a peak and offers it to the sample. */
    void learn(double score) {
        observations++;
        if (score > initialThreshold) {
            peakCount++;
            if (keep(score - initialThreshold) && ++changesSinceFit >= settings.peaksPerRefit(kept)) {
                tail = GeneralizedPareto.fit(peaks, kept);
                changesSinceFit = 0;
            }
            threshold = zq(settings.risk(), initialThreshold, tail, observations, peakCount);
        }
    }

    /** Offers the {@link #peakCount}-th peak to the sample; whether it was kept. */
    private boolean keep(double excess) {
        if (kept == settings.maxPeaks()) {
            int slot = reservoirSlot(peakCount, kept);
            if (slot < 0) {
                return false;
            }
            peaks[slot] = excess;
            return true;
        }
        if (kept == peaks.length) {
            peaks = Arrays.copyOf(peaks, (int) Math.min(settings.maxPeaks(), Math.max(16L, 2L * peaks.length)));
        }
        peaks[kept++] = excess;
        return true;
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

    /** The number of peaks N_t seen since calibration began, those the sample dropped included. */
    public long peakCount() {
        return peakCount;
    }

    /** The number of peaks kept in memory (at most {@link SpotSettings#maxPeaks}), on which the tail is fitted. */
    @Override
    public int retainedPeaks() {
        return kept;
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

    /** A copy of the kept peaks in fit order, for {@link StreamState}. */
    double[] peaksCopy() {
        return Arrays.copyOf(peaks, kept);
    }

    int changesSinceFit() {
        return changesSinceFit;
    }

    /** The current threshold as a core {@link Threshold}, e.g. for storing in a model. */
    public Threshold toThreshold(ScoreSettings score, String fittedOn) {
        return new Threshold(threshold, "pot:" + settings.risk(), fittedOn, score);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "SPOT[q=%s, t=%.6g, peaks=%d (kept %d), n=%d, gamma=%.4g, sigma=%.4g, z=%.6g, level=%s]",
                settings.risk(), initialThreshold, peakCount, kept, observations, tail.gamma(), tail.sigma(),
                threshold, settings.level());
    }
}
