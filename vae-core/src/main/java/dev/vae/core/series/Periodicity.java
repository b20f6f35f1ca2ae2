package dev.vae.core.series;

import java.util.Arrays;

/**
 * The period of a series from its autocorrelation, by the rule of TSB-AD (Liu and Paparrizos, "The Elephant in the
 * Room: Towards A Reliable Time-Series Anomaly Detection Benchmark", NeurIPS 2024; {@code find_length_rank} in
 * {@code TSB_AD/utils/slidingWindows.py}), which sets both the window of its windowed detectors and the buffer of
 * VUS-PR:
 *
 * <ol>
 *   <li>only the first 20,000 points are used;</li>
 *   <li>the sample autocorrelation {@code r(k) = sum_{t < n-k} (x_t - m)(x_{t+k} - m) / sum_t (x_t - m)^2}
 *       (m the mean, no small-sample adjustment, as {@code statsmodels.acf}) is computed for lags 0..400;</li>
 *   <li>a peak is a lag k in 4..399 with {@code r(k) > r(k-1)} and {@code r(k) > r(k+1)} (strictly: a flat top is
 *       no peak); lags 1..3, where the autocorrelation of any smooth series is still falling from 1, are never
 *       peaks;</li>
 *   <li>the period is the highest peak if it lies in 6..303, and 125 otherwise, or when there is no peak (a
 *       constant series among them). The highest peak is taken even when it lies out of range, so a series
 *       whose weekly peak beats its daily one gets the fallback, not the daily period.</li>
 * </ol>
 *
 * <p>The accepted range reads "3..300" in TSB-AD's code because its lags there are counted from 3. A tie between
 * two peaks of exactly equal autocorrelation goes to the shorter lag (TSB-AD's unstable sort leaves it open).
 *
 * <p>{@link Rule} states the numbers, so other bounds and fallbacks can be asked for.
 */
public final class Periodicity {

    /** The first lag that can be a peak: lags 1..3 are skipped. */
    private static final int FIRST_PEAK_LAG = 4;

    private Periodicity() {
    }

    /**
     * The numbers of the rule.
     *
     * @param minPeriod smallest period accepted (the highest peak below it gives the fallback)
     * @param maxPeriod largest period accepted (the highest peak above it gives the fallback)
     * @param fallback  the period returned when the highest peak is out of range or there is none
     * @param maxLag    the autocorrelation is computed up to this lag, so peaks are searched in 4..maxLag-1
     *                  (and below the series' length)
     * @param maxPoints only the first maxPoints values are used
     */
    public record Rule(int minPeriod, int maxPeriod, int fallback, int maxLag, int maxPoints) {

        /** TSB-AD's rule: periods 6..303, fallback 125, lags up to 400, the first 20,000 points. */
        public static final Rule TSB_AD = new Rule(6, 303, 125, 400, 20_000);

        /** Validates the numbers. */
        public Rule {
            if (minPeriod < 1 || maxPeriod < minPeriod) {
                throw new IllegalArgumentException("Invalid period bounds: " + minPeriod + ".." + maxPeriod
                        + " (expected 1 <= min <= max)");
            }
            if (fallback < 1) {
                throw new IllegalArgumentException("Invalid fallback period: " + fallback + " (expected >= 1)");
            }
            if (maxLag <= maxPeriod) {
                throw new IllegalArgumentException("Invalid maximum lag: " + maxLag + " (expected above the largest"
                        + " period, " + maxPeriod + ", so that a peak there can be seen)");
            }
            if (maxPoints < 2) {
                throw new IllegalArgumentException("Invalid number of points: " + maxPoints + " (expected >= 2)");
            }
        }

        /**
         * This rule with other bounds and fallback; the autocorrelation reaches past {@code maxPeriod} when it did
         * not already.
         */
        public Rule withBounds(int minPeriod, int maxPeriod, int fallback) {
            return new Rule(minPeriod, maxPeriod, fallback, Math.max(maxLag, maxPeriod + 1), maxPoints);
        }
    }

    /**
     * The period of {@code values} by TSB-AD's rule ({@link Rule#TSB_AD}).
     *
     * @throws IllegalArgumentException when {@code values} is empty or holds a non-finite value
     */
    public static int period(double[] values) {
        return period(values, Rule.TSB_AD);
    }

    /**
     * The period of {@code values} by TSB-AD's rule with other bounds and fallback: the highest autocorrelation
     * peak if it lies in {@code minPeriod..maxPeriod}, else {@code fallback}.
     *
     * @throws IllegalArgumentException when {@code values} is empty or holds a non-finite value, or the bounds are
     *                                  invalid
     */
    public static int period(double[] values, int minPeriod, int maxPeriod, int fallback) {
        return period(values, Rule.TSB_AD.withBounds(minPeriod, maxPeriod, fallback));
    }

    /**
     * The period of {@code values} by {@code rule}.
     *
     * @throws IllegalArgumentException when {@code values} is empty or holds a non-finite value
     */
    public static int period(double[] values, Rule rule) {
        int n = Math.min(values.length, rule.maxPoints());
        double[] head = n == values.length ? values : Arrays.copyOf(values, n);
        double[] r = autocorrelation(head, Math.min(rule.maxLag(), n - 1));
        int best = -1;
        for (int k = FIRST_PEAK_LAG; k + 1 < r.length; k++) {
            // Strictly greater than the best so far: of equal peaks the shorter lag stays.
            if (r[k] > r[k - 1] && r[k] > r[k + 1] && (best < 0 || r[k] > r[best])) {
                best = k;
            }
        }
        return best >= rule.minPeriod() && best <= rule.maxPeriod() ? best : rule.fallback();
    }

    /**
     * The sample autocorrelation of {@code values} at lags 0..maxLag (see the class comment), computed directly in
     * O(n maxLag). A constant series has no autocorrelation: every entry is NaN.
     *
     * @throws IllegalArgumentException when {@code values} is empty or holds a non-finite value, or maxLag is
     *                                  negative or not below the length
     */
    public static double[] autocorrelation(double[] values, int maxLag) {
        int n = values.length;
        if (n == 0) {
            throw new IllegalArgumentException("Cannot estimate the autocorrelation of an empty series");
        }
        if (maxLag < 0 || maxLag >= n) {
            throw new IllegalArgumentException("Invalid maximum lag: " + maxLag + " (expected 0.." + (n - 1)
                    + " for " + n + " values)");
        }
        double sum = 0;
        for (int t = 0; t < n; t++) {
            if (!Double.isFinite(values[t])) {
                throw new IllegalArgumentException("Value " + t + " of the series is not finite: " + values[t]);
            }
            sum += values[t];
        }
        double mean = sum / n;
        double[] centred = new double[n];
        for (int t = 0; t < n; t++) {
            centred[t] = values[t] - mean;
        }
        double[] r = new double[maxLag + 1];
        double variance = dot(centred, 0, n);
        for (int k = 0; k <= maxLag; k++) {
            // 0 / 0 = NaN for a constant series: it has no peaks, so the period falls back.
            r[k] = dot(centred, k, n) / variance;
        }
        return r;
    }

    private static double dot(double[] x, int lag, int n) {
        double s = 0;
        for (int t = 0; t + lag < n; t++) {
            s += x[t] * x[t + lag];
        }
        return s;
    }
}
