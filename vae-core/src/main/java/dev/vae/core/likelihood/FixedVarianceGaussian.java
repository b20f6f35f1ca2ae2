package dev.vae.core.likelihood;

import dev.vae.core.random.NormalSampler;
import dev.vae.core.scale.ScalingKind;
import java.util.List;

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
        // Four running sums (features j mod 4), added in a fixed order: one sum would be a chain of d dependent
        // additions, the latency of which was most of this method's cost on a 30-feature row. The order depends on d
        // alone, so a row's value is the same in any batch.
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        int j = 0;
        for (; j + 4 <= d; j += 4) {
            double r0 = (double) x[xOff + j] - raw[rawOff + j];
            double r1 = (double) x[xOff + j + 1] - raw[rawOff + j + 1];
            double r2 = (double) x[xOff + j + 2] - raw[rawOff + j + 2];
            double r3 = (double) x[xOff + j + 3] - raw[rawOff + j + 3];
            s0 += r0 * r0;
            s1 += r1 * r1;
            s2 += r2 * r2;
            s3 += r3 * r3;
        }
        double sq = (s0 + s1) + (s2 + s3);
        for (; j < d; j++) {
            double r = (double) x[xOff + j] - raw[rawOff + j];
            sq += r * r;
        }
        return 0.5 * (d * (LOG_2PI + StrictMath.log(variance)) + sq / variance);
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
