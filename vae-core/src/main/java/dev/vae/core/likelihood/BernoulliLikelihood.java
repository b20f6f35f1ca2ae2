package dev.vae.core.likelihood;

import dev.vae.core.kernel.ElementKernels;
import dev.vae.core.kernel.Simd;
import dev.vae.core.kernel.Transcendentals;
import dev.vae.core.nn.Activation;
import dev.vae.core.random.NormalSampler;
import dev.vae.core.scale.ScalingKind;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Bernoulli likelihood over x in [0, 1], parameterised by logits a:
 * {@code -log p(x|a) = softplus(a) - x * a}. Computed from logits, never through log(sigmoid(a)), so it is exact
 * for saturated logits too. Non-binary x in [0, 1] gives the usual continuous relaxation (as in PyTorch's
 * binary cross-entropy).
 */
public final class BernoulliLikelihood implements Likelihood {

    /** The single instance: the class has no parameters. */
    public static final BernoulliLikelihood INSTANCE = new BernoulliLikelihood();

    /** The vector kernels when the JVM has them: one exp and one log per pixel is most of a row's scoring time. */
    private static final @Nullable ElementKernels SIMD = Simd.kernels();

    private BernoulliLikelihood() {
    }

    @Override
    public String id() {
        return "bernoulli";
    }

    @Override
    public int rawWidth(int features) {
        return features;
    }

    @Override
    public List<String> parameterNames() {
        return List.of("logits");
    }

    @Override
    public ScalingKind preferredScaling() {
        return ScalingKind.MIN_MAX;
    }

    /** softplus(a) = log(1 + exp(a)), stable for any a. */
    public static double softplus(double a) {
        return Math.max(a, 0.0) + Transcendentals.log1pOfUnit(Math.exp(-Math.abs(a)));
    }

    @Override
    public double negativeLogLikelihood(float[] x, int xOff, float[] raw, int rawOff, int d) {
        if (SIMD != null) {
            return SIMD.bernoulli(x, xOff, raw, rawOff, d, null, 0);
        }
        double sum = 0.0;
        for (int j = 0; j < d; j++) {
            double a = raw[rawOff + j];
            sum += softplus(a) - x[xOff + j] * a;
        }
        return sum;
    }

    @Override
    public void featureNegativeLogLikelihood(float[] x, int xOff, float[] raw, int rawOff, int d, double[] out,
                                             int outOff) {
        if (SIMD != null) {
            SIMD.bernoulli(x, xOff, raw, rawOff, d, out, outOff);
            return;
        }
        for (int j = 0; j < d; j++) {
            double a = raw[rawOff + j];
            out[outOff + j] = softplus(a) - x[xOff + j] * a;
        }
    }

    @Override
    public double gradient(float[] x, int xOff, float[] raw, int rawOff, int d, float scale, float[] grad,
                           int gradOff) {
        if (SIMD != null) {
            return SIMD.bernoulliGradient(x, xOff, raw, rawOff, d, scale, grad, gradOff);
        }
        double sum = 0.0;
        for (int j = 0; j < d; j++) {
            float a = raw[rawOff + j];
            float xj = x[xOff + j];
            // One exp serves both softplus(a) and sigmoid(a): this loop is a tenth of an MNIST training step.
            double e = Math.exp(-Math.abs((double) a));
            double inv = 1.0 / (1.0 + e);
            sum += Math.max(a, 0.0) + Transcendentals.log1pOfUnit(e) - xj * (double) a;
            grad[gradOff + j] = scale * ((float) (a >= 0f ? inv : e * inv) - xj);
        }
        return sum;
    }

    @Override
    public void mean(float[] raw, int rawOff, int d, float[] out, int outOff) {
        for (int j = 0; j < d; j++) {
            out[outOff + j] = Activation.sigmoid(raw[rawOff + j]);
        }
    }

    @Override
    public void sample(float[] raw, int rawOff, int d, NormalSampler random, float[] out, int outOff) {
        for (int j = 0; j < d; j++) {
            out[outOff + j] = random.uniform().nextDouble() < Activation.sigmoid(raw[rawOff + j]) ? 1f : 0f;
        }
    }

    @Override
    public String toString() {
        return id();
    }
}
