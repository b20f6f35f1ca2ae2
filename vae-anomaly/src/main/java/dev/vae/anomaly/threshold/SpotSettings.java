package dev.vae.anomaly.threshold;

/**
 * The settings of a streaming Peaks-Over-Threshold threshold ({@link PeaksOverThreshold}, and the residual SPOT
 * inside {@link DriftPeaksOverThreshold}).
 *
 * <p>{@link #paper} gives the algorithm as Siffer et al. (KDD 2017) write it: every peak is kept and the tail is
 * refitted on every peak. {@link #streaming} bounds memory and cost for a stream that never ends; both departures
 * from the paper are documented on {@link PeaksOverThreshold}.
 *
 * @param risk          q, the probability that a normal score exceeds the threshold, in (0, 1)
 * @param level         the quantile level of the initial threshold t, in (0, 1); 0.98 in the paper
 * @param maxPeaks      the most peaks kept in memory (at least 2), a uniform sample of all the peaks seen once there
 *                      are more; {@link Integer#MAX_VALUE} keeps them all, as the paper does
 * @param refitFraction how lazily the tail is refitted, in [0, 1): a refit once the changes to the kept peaks since
 *                      the last fit reach {@code max(1, floor(refitFraction * kept peaks))}; 0 refits on every
 *                      change (on every peak while all are kept), as the paper does
 */
public record SpotSettings(double risk, double level, int maxPeaks, double refitFraction) {

    /**
     * The default cap on retained peaks for {@link #streaming}: 5,000 peaks pin z_q at q = 1e-3, level 0.98, to
     * about 5% of the tail's scale (the delta-method standard error of the GPD quantile of an exponential tail,
     * sqrt(11.25 / 5000) sigma), cost 40 KB and about 120 KB of state file, and are reached after 250,000 normal
     * scores at the peak rate of 2%.
     */
    public static final int DEFAULT_MAX_PEAKS = 5_000;

    /**
     * The default refit fraction for {@link #streaming}: a refit after every 1% of new peaks, so every 50 peaks at
     * the default cap and on every change while fewer than 200 peaks are kept. A fit costs time in proportion to
     * the peaks kept, so this makes its cost per change independent of the cap. Measured per score of an Exp(1)
     * stream at q = 1e-3, level 0.98, on one core of a busy machine: the paper's settings cost 0.26 ms once 1,000
     * peaks are kept and 0.9 ms at 3,500, without bound as the stream goes on; the cap of 5,000 with a refit on
     * every change, up to 0.57 ms; {@link #streaming}, 13 microseconds over the first 400,000 scores and 1.7 by
     * the 2,000,000th (past the cap, a peak changes the sample ever more rarely).
     */
    public static final double DEFAULT_REFIT_FRACTION = 0.01;

    /** Validates the settings. */
    public SpotSettings {
        if (!(risk > 0 && risk < 1)) {
            throw new IllegalArgumentException("Invalid POT risk: " + risk + " (expected 0 < q < 1)");
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("Invalid POT initial quantile level: " + level + " (expected 0 < level < 1)");
        }
        if (maxPeaks < 2) {
            throw new IllegalArgumentException("Invalid POT peak cap: " + maxPeaks + " (expected at least 2)");
        }
        if (!(refitFraction >= 0 && refitFraction < 1)) {
            throw new IllegalArgumentException("Invalid POT refit fraction: " + refitFraction + " (expected 0 <= f < 1)");
        }
    }

    /** The paper's algorithm: every peak kept, a refit on every peak (memory and time grow with the stream). */
    public static SpotSettings paper(double risk, double level) {
        return new SpotSettings(risk, level, Integer.MAX_VALUE, 0);
    }

    /**
     * Settings for a stream that never ends: at most {@link #DEFAULT_MAX_PEAKS} peaks kept, refitted after every
     * {@link #DEFAULT_REFIT_FRACTION} of new peaks.
     */
    public static SpotSettings streaming(double risk, double level) {
        return new SpotSettings(risk, level, DEFAULT_MAX_PEAKS, DEFAULT_REFIT_FRACTION);
    }

    /** These settings with another cap on retained peaks. */
    public SpotSettings withMaxPeaks(int cap) {
        return new SpotSettings(risk, level, cap, refitFraction);
    }

    /** These settings with another refit fraction. */
    public SpotSettings withRefitFraction(double fraction) {
        return new SpotSettings(risk, level, maxPeaks, fraction);
    }

    /** Whether every peak is kept (no cap). */
    public boolean keepsEveryPeak() {
        return maxPeaks == Integer.MAX_VALUE;
    }

    /** How many new peaks trigger a refit when {@code retained} peaks are kept. */
    int peaksPerRefit(int retained) {
        return Math.max(1, (int) Math.floor(refitFraction * retained));
    }
}
