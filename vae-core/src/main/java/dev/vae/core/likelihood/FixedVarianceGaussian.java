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

    static final double LOG_2PI = Math.log(2.0 * Math.PI);

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
        double sq = 0.0;
        for (int j = 0; j < d; j++) {
            double r = (double) x[xOff + j] - raw[rawOff + j];
            sq += r * r;
        }
        return 0.5 * (d * (LOG_2PI + Math.log(variance)) + sq / variance);
    }

    @Override
    public void featureNegativeLogLikelihood(float[] x, int xOff, float[] raw, int rawOff, int d, double[] out,
                                             int outOff) {
        double c = LOG_2PI + Math.log(variance);
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
        return 0.5 * (d * (LOG_2PI + Math.log(variance)) + sq / variance);
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
