package dev.vae.core.likelihood;

import dev.vae.core.kernel.Simd;
import dev.vae.core.kernel.Transcendentals;
import dev.vae.core.random.NormalSampler;
import dev.vae.core.scale.ScalingKind;
import java.util.List;

/**
 * Gaussian likelihood with a learned variance per feature. The decoder emits two raw values per feature, the
 * mean m and r; the log-variance is {@code s = B tanh(r / B)} with {@code B = }{@value #LOG_VARIANCE_BOUND},
 * a smooth squashing that keeps s in the safe range (-B, B) without ever cutting the gradient off, so a
 * feature the model reconstructs perfectly cannot drive the density to infinity.
 * {@code -log p(x|m, s) = 1/2 (log(2 pi) + s + (x - m)^2 exp(-s))}.
 *
 * <p>Two variants share these formulas:
 * <ul>
 *   <li>{@link #INSTANCE}, {@code gaussian}: r is a decoder output like m, so each row has its own variances.</li>
 *   <li>{@link #SHARED}, {@code gaussian-shared}: r is one learned number per feature, the same for every row
 *       (the decoder's weights into it are held at zero, see {@link #isSharedOutput}), like PyTorch's
 *       {@code nn.Parameter} log-variance. A row the decoder reconstructs badly cannot explain itself away with
 *       a wide variance of its own, so it keeps a high score; on contaminated training data this is what
 *       separates the anomalies (docs/anomaly-defaults.md, session 6).</li>
 * </ul>
 */
public final class LearnedVarianceGaussian implements Likelihood {

    /**
     * Bound B on |log sigma^2|, in model (standardised) units: sigma lies in (e^-1.5, e^1.5) ~ (0.22, 4.5). The floor
     * matters most: on columns of repeated or integer values a smaller floor lets the model claim near-certainty
     * and overreact to small deviations. Chosen by measurement (docs/anomaly-defaults.md): B = 3 beats B = 7 on
     * breastw (0.962 vs 0.955 mean AUROC) and shuttle (0.9956 vs 0.994) and ties on the other three sets.
     */
    public static final double LOG_VARIANCE_BOUND = 3.0;

    /** The variant whose variances are decoder outputs, one set per row ({@code gaussian}). */
    public static final LearnedVarianceGaussian INSTANCE = new LearnedVarianceGaussian(false);

    /** The variant with one learned variance per feature, shared by every row ({@code gaussian-shared}). */
    public static final LearnedVarianceGaussian SHARED = new LearnedVarianceGaussian(true);

    private static final float BOUND = (float) LOG_VARIANCE_BOUND;

    private final boolean shared;

    private LearnedVarianceGaussian(boolean shared) {
        this.shared = shared;
    }

    @Override
    public String id() {
        return shared ? "gaussian-shared" : "gaussian";
    }

    /** Whether the variances are shared by every row ({@code gaussian-shared}) rather than decoder outputs. */
    public boolean sharedVariance() {
        return shared;
    }

    /** The log-variance outputs (the second half of the raw row) when the variances are shared. */
    @Override
    public boolean isSharedOutput(int features, int index) {
        return shared && index >= features && index < 2 * features;
    }

    @Override
    public int rawWidth(int features) {
        return 2 * features;
    }

    @Override
    public List<String> parameterNames() {
        return List.of("mean", "logvar");
    }

    /** For {@code gaussian-shared}: a {@link SharedVarianceGaussian} bound to the d raw log-variances. */
    @Override
    public Likelihood withSharedOutputs(int features, float[] values) {
        if (!shared) {
            return this;
        }
        if (values.length != features) {
            throw new IllegalArgumentException("Expected " + features + " shared log-variances, got " + values.length);
        }
        return new SharedVarianceGaussian(values);
    }

    @Override
    public ScalingKind preferredScaling() {
        return ScalingKind.STANDARDIZE;
    }

    /** The log-variance s for a raw value r: the link function. */
    public static double logVariance(double r) {
        return LOG_VARIANCE_BOUND * Transcendentals.tanh(r / LOG_VARIANCE_BOUND);
    }

    // A tanh and an exp per feature: the element kernels (vectorised when the JVM can) compute them, with the same
    // bits on every path (ElementKernels).
    @Override
    public double negativeLogLikelihood(float[] x, int xOff, float[] raw, int rawOff, int d) {
        return Simd.elements().gaussian(x, xOff, raw, rawOff, d, BOUND, null, 0);
    }

    @Override
    public void featureNegativeLogLikelihood(float[] x, int xOff, float[] raw, int rawOff, int d, double[] out,
                                             int outOff) {
        Simd.elements().gaussian(x, xOff, raw, rawOff, d, BOUND, out, outOff);
    }

    @Override
    public double gradient(float[] x, int xOff, float[] raw, int rawOff, int d, float scale, float[] grad,
                           int gradOff) {
        return Simd.elements().gaussianGradient(x, xOff, raw, rawOff, d, BOUND, scale, grad, gradOff);
    }

    @Override
    public void mean(float[] raw, int rawOff, int d, float[] out, int outOff) {
        System.arraycopy(raw, rawOff, out, outOff, d);
    }

    @Override
    public void sample(float[] raw, int rawOff, int d, NormalSampler random, float[] out, int outOff) {
        for (int j = 0; j < d; j++) {
            double sd = StrictMath.exp(0.5 * logVariance(raw[rawOff + d + j]));
            out[outOff + j] = (float) (raw[rawOff + j] + sd * random.next());
        }
    }

    @Override
    public String toString() {
        return id();
    }
}
