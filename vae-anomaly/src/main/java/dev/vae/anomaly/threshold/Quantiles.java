package dev.vae.anomaly.threshold;

import java.util.Arrays;

/** Empirical quantiles and moments of score samples. */
public final class Quantiles {

    private Quantiles() {
    }

    /**
     * The empirical q-quantile of {@code values} with linear interpolation between order statistics
     * (Hyndman and Fan's type 7, the default of R and NumPy): with the sorted values v, h = (n - 1) q,
     * {@code Q(q) = v[floor h] + (h - floor h) (v[floor h + 1] - v[floor h])}.
     *
     * @throws IllegalArgumentException when {@code values} is empty, holds a non-finite value, or q is outside [0, 1]
     */
    public static double quantile(double[] values, double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("Invalid quantile level: " + q + " (expected 0 <= q <= 1)");
        }
        double[] v = sortedFinite(values);
        return sortedQuantile(v, q);
    }

    static double sortedQuantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /** A sorted copy; rejects empty input and non-finite values, naming the first bad index. */
    static double[] sortedFinite(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("Cannot fit a threshold on no scores");
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("Score " + i + " is not finite: " + values[i]);
            }
        }
        double[] v = values.clone();
        Arrays.sort(v);
        return v;
    }

    /** The mean of {@code values}. */
    public static double mean(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s / values.length;
    }

    /** The sample standard deviation (divisor n - 1; 0 for a single value). */
    public static double standardDeviation(double[] values) {
        if (values.length < 2) {
            return 0;
        }
        double m = mean(values);
        double s = 0;
        for (double v : values) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / (values.length - 1));
    }
}
