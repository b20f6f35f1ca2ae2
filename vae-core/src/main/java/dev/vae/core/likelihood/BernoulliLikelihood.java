package dev.vae.core.likelihood;

import dev.vae.core.kernel.Simd;
import dev.vae.core.kernel.Transcendentals;
import dev.vae.core.nn.Activation;
import dev.vae.core.random.NormalSampler;
import dev.vae.core.scale.ScalingKind;
import java.util.List;

/**
 * Bernoulli likelihood over x in [0, 1], parameterised by logits a:
 * {@code -log p(x|a) = softplus(a) - x * a}. Computed from logits, never through log(sigmoid(a)), so it is exact
 * for saturated logits too. Non-binary x in [0, 1] gives the usual continuous relaxation (as in PyTorch's
 * binary cross-entropy).
 */
public final class BernoulliLikelihood implements Likelihood {

    /** The single instance: the class has no parameters. */
    public static final BernoulliLikelihood INSTANCE = new BernoulliLikelihood();

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

    /** softplus(a) = log(1 + exp(a)), stable for any a, in double (the scoring kernels use {@link Simd#elements()}). */
    public static double softplus(double a) {
        return Math.max(a, 0.0) + Transcendentals.log1pOfUnit(StrictMath.exp(-Math.abs(a)));
    }

    // One exp and one log per pixel is most of a row's scoring time: the element kernels (vectorised when the JVM
    // can) compute it, with the same bits on every path (ElementKernels).
    @Override
    public double negativeLogLikelihood(float[] x, int xOff, float[] raw, int rawOff, int d) {
        return Simd.elements().bernoulli(x, xOff, raw, rawOff, d, null, 0);
    }

    @Override
    public void featureNegativeLogLikelihood(float[] x, int xOff, float[] raw, int rawOff, int d, double[] out,
                                             int outOff) {
        Simd.elements().bernoulli(x, xOff, raw, rawOff, d, out, outOff);
    }

    @Override
    public double gradient(float[] x, int xOff, float[] raw, int rawOff, int d, float scale, float[] grad,
                           int gradOff) {
        return Simd.elements().bernoulliGradient(x, xOff, raw, rawOff, d, scale, grad, gradOff);
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
