package dev.vae.bench.quality;

import java.util.Arrays;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The rank-Gauss transform ({@code sc=quantile}), per column, fitted on the training rows: a column's values are
 * replaced by standard-normal scores of their mid-ranks, so that any marginal looks Gaussian to the model.
 *
 * <p>For column j with n training values and distinct sorted values v_1 &lt; ... &lt; v_m, knot i has the plotting
 * position {@code p_i = (L_i + E_i / 2 + 1/2) / (n + 1)}, L_i the training values below v_i and E_i those equal to
 * it (tied values share their mid-rank), and the score {@code u_i = Phi^-1(p_i)}. A value x maps to
 * <ul>
 *   <li>{@code u_i} at a knot, linear interpolation in x between two knots;</li>
 *   <li>{@code u_1 + (x - v_1) / sd} below v_1 and {@code u_m + (x - v_m) / sd} above v_m, with sd the column's
 *       population standard deviation over the training rows (so an unseen extreme keeps its distance, in sd);</li>
 *   <li>for a constant training column (m = 1): {@code x - v_1}, which is 0 at its one value.</li>
 * </ul>
 * The map is continuous and strictly increasing, so it keeps each column's order. The knots, scores and sd are
 * computed in double; values come out as float.
 *
 * @param knots  per column, its distinct sorted training values v_1..v_m
 * @param scores per column, the normal scores u_1..u_m of its knots
 * @param sd     per column, the training rows' population standard deviation (0 for a constant column)
 */
public record QuantileScaling(float[][] knots, double[][] scores, double[] sd) implements Preprocessing.Scaling {

    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution();

    /** Validates the shapes: one entry per column, knots strictly increasing, as many scores as knots. */
    public QuantileScaling {
        if (knots.length != scores.length || knots.length != sd.length) {
            throw new IllegalArgumentException("Quantile scaling: " + knots.length + " knot columns, " + scores.length
                    + " score columns, " + sd.length + " standard deviations (expected as many of each)");
        }
        for (int j = 0; j < knots.length; j++) {
            if (knots[j].length == 0 || knots[j].length != scores[j].length) {
                throw new IllegalArgumentException("Quantile scaling: column " + j + " has " + knots[j].length
                        + " knots and " + scores[j].length + " scores (expected as many, at least one)");
            }
            for (int i = 1; i < knots[j].length; i++) {
                if (!(knots[j][i] > knots[j][i - 1])) {
                    throw new IllegalArgumentException("Quantile scaling: knots of column " + j + " not strictly"
                            + " increasing at " + i + ": " + knots[j][i - 1] + ", " + knots[j][i]);
                }
            }
            if (knots[j].length > 1 && !(sd[j] > 0)) {
                throw new IllegalArgumentException("Quantile scaling: column " + j + " has " + knots[j].length
                        + " distinct values but standard deviation " + sd[j]);
            }
        }
    }

    /**
     * Fits the transform on {@code rows} training rows of width {@code d} (row-major {@code v}).
     *
     * @throws IllegalArgumentException when there are no rows, {@code v} is not rows x d long, or a value is not finite
     */
    public static QuantileScaling fit(float[] v, int rows, int d) {
        if (rows < 1 || d < 1 || (long) rows * d != v.length) {
            throw new IllegalArgumentException("Quantile scaling: expected " + rows + " rows of " + d + " columns ("
                    + (long) rows * d + " values, at least one row), got " + v.length + " values");
        }
        float[][] knots = new float[d][];
        double[][] scores = new double[d][];
        double[] sd = new double[d];
        float[] col = new float[rows];
        for (int j = 0; j < d; j++) {
            double mean = 0;
            for (int i = 0; i < rows; i++) {
                col[i] = v[i * d + j];
                if (!Float.isFinite(col[i])) {
                    throw new IllegalArgumentException("Quantile scaling: value of row " + i + ", column " + j
                            + " is not finite: " + col[i]);
                }
                mean += col[i];
            }
            mean /= rows;
            double squares = 0;
            for (int i = 0; i < rows; i++) {
                squares += (col[i] - mean) * (col[i] - mean);
            }
            sd[j] = Math.sqrt(squares / rows);
            Arrays.sort(col);
            float[] k = new float[rows];
            double[] u = new double[rows];
            int m = 0;
            for (int below = 0; below < rows; ) {
                int end = below;
                while (end < rows && col[end] == col[below]) {
                    end++;
                }
                int equal = end - below;
                k[m] = col[below];
                u[m] = STANDARD_NORMAL.inverseCumulativeProbability((below + equal / 2.0 + 0.5) / (rows + 1.0));
                m++;
                below = end;
            }
            knots[j] = Arrays.copyOf(k, m);
            scores[j] = Arrays.copyOf(u, m);
            if (m == 1) {
                sd[j] = 0;   // a float column of one value can have a rounding-sized sd; the map ignores it
            }
        }
        return new QuantileScaling(knots, scores, sd);
    }

    @Override
    public int width() {
        return knots.length;
    }

    /** Column {@code column}'s rank-Gauss value of {@code x} (see the class documentation). */
    @Override
    public float apply(int column, float x) {
        float[] k = knots[column];
        double[] u = scores[column];
        int m = k.length;
        if (Float.isNaN(x)) {
            return x;
        }
        if (m == 1) {
            return (float) ((double) x - k[0]);
        }
        if (x <= k[0]) {
            return (float) (u[0] + ((double) x - k[0]) / sd[column]);
        }
        if (x >= k[m - 1]) {
            return (float) (u[m - 1] + ((double) x - k[m - 1]) / sd[column]);
        }
        int pos = Arrays.binarySearch(k, x);
        if (pos >= 0) {
            return (float) u[pos];
        }
        int hi = -pos - 1;
        int lo = hi - 1;
        return (float) (u[lo] + (u[hi] - u[lo]) * ((double) x - k[lo]) / ((double) k[hi] - k[lo]));
    }
}
