package dev.vae.core.likelihood;

import dev.vae.core.random.NormalSampler;
import dev.vae.core.scale.ScalingKind;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Gaussian likelihood with a fixed variance sigma^2 (default 1): the decoder emits the mean m, and
 * {@code -log p(x|m) = 1/2 (log(2 pi) + log sigma^2 + (x - m)^2 / sigma^2)}. With sigma^2 = 1 this is the
 * likelihood behind "mean squared error".
 *
 * @param variance the fixed variance sigma^2, in model (scaled) units
 */
public record FixedVarianceGaussian(double variance) implements Likelihood {

    static final double LOG_2PI = StrictMath.log(2.0 * Math.PI);

    /** Validates the variance. */
    public FixedVarianceGaussian {
        if (!(variance > 0.0) || !Double.isFinite(variance)) {
            throw new IllegalArgumentException("Invalid Gaussian variance: " + variance + " (expected a positive number)");
        }
    }

    /** Unit variance. */
    public static FixedVarianceGaussian unit() {
        return new FixedVarianceGaussian(1.0);
    }

    @Override
    public String id() {
        return variance == 1.0 ? "gaussian-fixed" : "gaussian-fixed:" + variance;
    }

    @Override
    public int rawWidth(int features) {
        return features;
    }

    @Override
    public List<String> parameterNames() {
        return List.of("mean");
    }

    @Override
    public ScalingKind preferredScaling() {
        return ScalingKind.STANDARDIZE;
    }

    @Override
    public double negativeLogLikelihood(float[] x, int xOff, float[] raw, int rawOff, int d) {
        double sq = squaredResiduals(x, xOff, raw, rawOff, d, null);
        return 0.5 * (d * (LOG_2PI + StrictMath.log(variance)) + sq / variance);
    }

    /**
     * {@code sum_j (x_j - m_j)^2}, each square times {@code weight[j]} when weights are given, with m the first d raw
     * values. Four running sums (features j mod 4), added in a fixed order: one sum would be a chain of d dependent
     * additions, the latency of which was most of this method's cost on a 30-feature row. The order depends on d
     * alone, so a row's value is the same in any batch.
     */
    static double squaredResiduals(float[] x, int xOff, float[] raw, int rawOff, int d, double @Nullable [] weight) {
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        int j = 0;
        for (; j + 4 <= d; j += 4) {
            s0 += squaredResidual(x, xOff, raw, rawOff, j, weight);
            s1 += squaredResidual(x, xOff, raw, rawOff, j + 1, weight);
            s2 += squaredResidual(x, xOff, raw, rawOff, j + 2, weight);
            s3 += squaredResidual(x, xOff, raw, rawOff, j + 3, weight);
        }
        double sq = (s0 + s1) + (s2 + s3);
        for (; j < d; j++) {
            sq += squaredResidual(x, xOff, raw, rawOff, j, weight);
        }
        return sq;
    }

    private static double squaredResidual(float[] x, int xOff, float[] raw, int rawOff, int j,
                                          double @Nullable [] weight) {
        double r = (double) x[xOff + j] - raw[rawOff + j];
        return weight == null ? r * r : r * r * weight[j];
    }

    @Override
    public void featureNegativeLogLikelihood(float[] x, int xOff, float[] raw, int rawOff, int d, double[] out,
                                             int outOff) {
        double c = LOG_2PI + StrictMath.log(variance);
        for (int j = 0; j < d; j++) {
            double r = (double) x[xOff + j] - raw[rawOff + j];
            out[outOff + j] = 0.5 * (c + r * r / variance);
        }
    }

    @Override
    public double gradient(float[] x, int xOff, float[] raw, int rawOff, int d, float scale, float[] grad,
                           int gradOff) {
        double inv = scale / variance;
        double sq = 0.0;
        for (int j = 0; j < d; j++) {
            double r = (double) raw[rawOff + j] - x[xOff + j];
            sq += r * r;
            grad[gradOff + j] = (float) (inv * r);
        }
        return 0.5 * (d * (LOG_2PI + StrictMath.log(variance)) + sq / variance);
    }

    @Override
    public void mean(float[] raw, int rawOff, int d, float[] out, int outOff) {
        System.arraycopy(raw, rawOff, out, outOff, d);
    }

    @Override
    public void sample(float[] raw, int rawOff, int d, NormalSampler random, float[] out, int outOff) {
        double sd = Math.sqrt(variance);
        for (int j = 0; j < d; j++) {
            out[outOff + j] = (float) (raw[rawOff + j] + sd * random.next());
        }
    }

    @Override
    public String toString() {
        return id();
    }
}
