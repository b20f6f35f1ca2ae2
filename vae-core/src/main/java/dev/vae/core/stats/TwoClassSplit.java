package dev.vae.core.stats;

import java.util.Arrays;

/**
 * The two-class split of a set of losses or scores: Otsu's threshold (Otsu, 1979) on {@code log(1 + v - min v)},
 * the cut of the sorted values that maximises the between-class variance {@code n0 n1 (mean0 - mean1)^2}. The
 * logarithm keeps a few extreme values from taking the upper class alone (losses and scores of anomalies are
 * heavy-tailed). When anomalies form a mode of their own, the upper class is about them.
 *
 * <p>NaN and infinite values always count as above the split and take no part in it. The result depends on the
 * values alone: the cut is the first best one in ascending order, and values that are all equal have no split
 * (nothing lies above it).
 *
 * @param above      how many values lie above the split (non-finite ones included)
 * @param separation the share of the log-values' variance the split explains, between-class over total variance
 *                   (0 with no split, at most 1): about {@code 2 / pi = 0.637} for one normal mode, near 1 for two
 *                   well-separated modes
 * @param cut        a value between the two classes, midway between the largest value below and the smallest above
 *                   (in value units, not logarithms): a value is above the split when it is strictly greater;
 *                   positive infinity when nothing finite lies above
 */
public record TwoClassSplit(int above, double separation, double cut) {

    /** The split of {@code values} (not modified). */
    public static TwoClassSplit of(double[] values) {
        int nonFinite = 0;
        double min = Double.POSITIVE_INFINITY;
        for (double l : values) {
            if (Double.isFinite(l)) {
                min = Math.min(min, l);
            } else {
                nonFinite++;
            }
        }
        int n = values.length - nonFinite;
        if (n < 2) {
            return new TwoClassSplit(nonFinite, 0, Double.POSITIVE_INFINITY);
        }
        double[] sorted = new double[n];
        int m = 0;
        for (double l : values) {
            if (Double.isFinite(l)) {
                sorted[m++] = l;
            }
        }
        Arrays.sort(sorted);
        double[] v = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            v[i] = Math.log1p(sorted[i] - min);
            total += v[i];
        }
        double lower = 0;
        double best = 0; // values that are all equal have no split: nothing lies above it
        int cut = n;
        for (int i = 1; i < n; i++) {
            lower += v[i - 1];
            double m0 = lower / i;
            double m1 = (total - lower) / (n - i);
            double between = (double) i * (n - i) * (m0 - m1) * (m0 - m1);
            if (between > best) {
                best = between;
                cut = i;
            }
        }
        if (cut == n) {
            return new TwoClassSplit(nonFinite, 0, Double.POSITIVE_INFINITY);
        }
        double mean = total / n;
        double spread = 0;
        for (double a : v) {
            spread += (a - mean) * (a - mean);
        }
        // best = n^2 * between-class variance; spread = n * total variance.
        double separation = spread > 0 ? Math.min(1.0, best / n / spread) : 0;
        return new TwoClassSplit(nonFinite + n - cut, separation, 0.5 * (sorted[cut - 1] + sorted[cut]));
    }
}
