package dev.vae.core.likelihood;

import dev.vae.core.kernel.Simd;
import dev.vae.core.kernel.Transcendentals;
import dev.vae.core.random.NormalSampler;
import dev.vae.core.scale.ScalingKind;
import java.util.List;
import java.util.Map;

/**
 * Bernoulli likelihood over x in [0, 1], parameterised by logits a:
 * {@code -log p(x|a) = softplus(a) - x * a}. Computed from logits, never through log(sigmoid(a)), so it is exact
 * for saturated logits too. Non-binary x in [0, 1] gives the usual continuous relaxation (as in PyTorch's
 * binary cross-entropy).
 *
 * <p><b>Values outside [0, 1].</b> The min-max scaler is fitted on the training rows, so a new row beyond their range
 * scales outside [0, 1], where {@code softplus(a) - x * a} is unbounded below: an extreme row could score as less
 * anomalous than a normal one. For such a value the term is
 * {@code softplus(a) - c * a + e * softplus(|a|)} with {@code c = clamp(x, 0, 1)} and {@code e = |x - c|}: the
 * Bernoulli term of the nearest value in range, plus {@code softplus(|a|)} (the term of the least likely value in
 * range, at least log 2) per range-width of excess. It equals the plain formula at the boundary (continuous), is never
 * below the clamped term nor below the plain formula, grows linearly with the excess, and lands in the feature's own
 * per-feature term, so an explanation names the out-of-range feature. It is a penalty, not a log-density: values in
 * [0, 1] keep their exact Bernoulli terms (the same bits as without this rule), and only rows with a value outside
 * take the slower path that applies it.
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

    /**
     * The rule for values outside [0, 1], under {@code out-of-range}: model files before format version 2 had none
     * (such a value could lower a score), so a file made with another rule is refused rather than rescored.
     */
    @Override
    public Map<String, String> scoreConstants() {
        return Map.of("out-of-range", "clamp(x, 0, 1) + |x - clamp(x, 0, 1)| softplus(|a|)");
    }

    @Override
    public List<String> parameterNames() {
        return List.of("logits");
    }

    @Override
    public ScalingKind preferredScaling() {
        return ScalingKind.MIN_MAX;
    }

    /** Above this share of grey values (see {@link #greyShare}) a Bernoulli likelihood is a poor model of the data. */
    public static final double GREY_SHARE_WARNING = 0.05;

    /**
     * The share of {@code values} strictly between their minimum and maximum: after this likelihood's global min-max
     * scaling, the values that are neither 0 nor 1. A Bernoulli models binary values; on grey levels its density is a
     * poor fit (one-class Fashion-MNIST: mean AUROC 0.735 for a Bernoulli VAE against 0.915 for the default Gaussian,
     * docs/anomaly-defaults.md), so a trainer warns above {@link #GREY_SHARE_WARNING}.
     */
    public static double greyShare(float[] values) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        long grey = 0;
        for (float v : values) {
            if (v > min && v < max) {
                grey++;
            }
        }
        return values.length == 0 ? 0.0 : (double) grey / values.length;
    }

    /** softplus(a) = log(1 + exp(a)), stable for any a, in double (the scoring kernels use {@link Simd#elements()}). */
    public static double softplus(double a) {
        return Math.max(a, 0.0) + Transcendentals.log1pOfUnit(StrictMath.exp(-Math.abs(a)));
    }

    /**
     * The out-of-range term of one feature, {@code e * softplus(|a|)} with {@code e} the distance of {@code x} from
     * [0, 1] (0 inside).
     */
    public static double outOfRangeTerm(double x, double a) {
        double e = excess(x);
        return e == 0.0 ? 0.0 : e * softplus(Math.abs(a));
    }

    private static double excess(double x) {
        return x > 1.0 ? x - 1.0 : x < 0.0 ? -x : 0.0;
    }

    /** Whether some value of the row lies outside [0, 1] (NaN counts: it goes the slow, checked way). */
    private static boolean outOfRange(float[] x, int xOff, int d) {
        return !Simd.elements().allInUnitInterval(x, xOff, d);
    }

    /** The row with every value clamped to [0, 1], as a new array starting at 0. */
    private static float[] clamped(float[] x, int xOff, int d) {
        float[] c = new float[d];
        for (int j = 0; j < d; j++) {
            c[j] = Math.min(1f, Math.max(0f, x[xOff + j]));
        }
        return c;
    }

    @Override
    public double negativeLogLikelihood(float[] x, int xOff, float[] raw, int rawOff, int d) {
        if (outOfRange(x, xOff, d)) {
            double sum = inRangeNll(clamped(x, xOff, d), 0, raw, rawOff, d);
            for (int j = 0; j < d; j++) {
                sum += outOfRangeTerm(x[xOff + j], raw[rawOff + j]);
            }
            return sum;
        }
        return inRangeNll(x, xOff, raw, rawOff, d);
    }

    // One exp and one log per pixel is most of a row's scoring time: the element kernels (vectorised when the JVM
    // can) compute it, with the same bits on every path (ElementKernels).
    private static double inRangeNll(float[] x, int xOff, float[] raw, int rawOff, int d) {
        return Simd.elements().bernoulli(x, xOff, raw, rawOff, d, null, 0);
    }

    @Override
    public void featureNegativeLogLikelihood(float[] x, int xOff, float[] raw, int rawOff, int d, double[] out,
                                             int outOff) {
        if (outOfRange(x, xOff, d)) {
            inRangeFeatureNll(clamped(x, xOff, d), 0, raw, rawOff, d, out, outOff);
            for (int j = 0; j < d; j++) {
                out[outOff + j] += outOfRangeTerm(x[xOff + j], raw[rawOff + j]);
            }
            return;
        }
        inRangeFeatureNll(x, xOff, raw, rawOff, d, out, outOff);
    }

    private static void inRangeFeatureNll(float[] x, int xOff, float[] raw, int rawOff, int d, double[] out,
                                          int outOff) {
        Simd.elements().bernoulli(x, xOff, raw, rawOff, d, out, outOff);
    }

    @Override
    public double gradient(float[] x, int xOff, float[] raw, int rawOff, int d, float scale, float[] grad,
                           int gradOff) {
        if (outOfRange(x, xOff, d)) {
            double sum = inRangeGradient(clamped(x, xOff, d), 0, raw, rawOff, d, scale, grad, gradOff);
            for (int j = 0; j < d; j++) {
                double e = excess(x[xOff + j]);
                if (e != 0.0) {
                    // d/da [e softplus(|a|)] = e sign(a) sigmoid(|a|); at a = 0 the kink's mean slope, 0.
                    double a = raw[rawOff + j];
                    sum += e * softplus(Math.abs(a));
                    grad[gradOff + j] += (float) (scale * e * Math.signum(a) / (1.0 + StrictMath.exp(-Math.abs(a))));
                }
            }
            return sum;
        }
        return inRangeGradient(x, xOff, raw, rawOff, d, scale, grad, gradOff);
    }

    private static double inRangeGradient(float[] x, int xOff, float[] raw, int rawOff, int d, float scale,
                                          float[] grad, int gradOff) {
        return Simd.elements().bernoulliGradient(x, xOff, raw, rawOff, d, scale, grad, gradOff);
    }

    @Override
    public void mean(float[] raw, int rawOff, int d, float[] out, int outOff) {
        for (int j = 0; j < d; j++) {
            out[outOff + j] = Transcendentals.sigmoid(raw[rawOff + j]);
        }
    }

    @Override
    public void sample(float[] raw, int rawOff, int d, NormalSampler random, float[] out, int outOff) {
        for (int j = 0; j < d; j++) {
            out[outOff + j] = random.uniform().nextDouble() < Transcendentals.sigmoid(raw[rawOff + j]) ? 1f : 0f;
        }
    }

    @Override
    public String toString() {
        return id();
    }
}
