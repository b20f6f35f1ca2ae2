package dev.vae.spark;

import java.util.Arrays;

/** Empirical quantiles of scores, for thresholds fitted on validation scores. */
final class Quantiles {

    private Quantiles() {
    }

    /**
     * The {@code q}-quantile of {@code values} by linear interpolation between order statistics (Hyndman and Fan's
     * type 7, the default of R and NumPy): {@code q = 0} is the minimum, {@code q = 1} the maximum.
     */
    static double quantile(double[] values, double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("Invalid quantile: " + q + " (expected 0 <= q <= 1)");
        }
        if (values.length == 0) {
            throw new IllegalArgumentException("Cannot take a quantile of no values");
        }
        double[] s = values.clone();
        Arrays.sort(s);
        double h = (s.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (h - lo) * (s[hi] - s[lo]);
    }
}
