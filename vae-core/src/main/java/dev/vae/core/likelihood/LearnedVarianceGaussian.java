package dev.vae.core.likelihood;

import dev.vae.core.kernel.Simd;
import dev.vae.core.kernel.Transcendentals;
import dev.vae.core.random.NormalSampler;
import java.util.List;
import java.util.Map;

/**
 * Gaussian likelihood with a learned variance per feature. The decoder emits two raw values per feature, the
 * mean m and r; the log-variance s comes from r through this instance's link:
 * <ul>
 *   <li>bounded (the default, B = {@value #LOG_VARIANCE_BOUND}): {@code s = B tanh(r / B)}, a smooth squashing that
 *       keeps s in the safe range (-B, B) without ever cutting the gradient off, so a feature the model reconstructs
 *       perfectly cannot drive the density to infinity. Models this library trains use it.</li>
 *   <li>unbounded: {@code s = r}, the identity. For imported decoders that output log sigma^2 directly (PyTorch's
 *       usual Gaussian VAE): their scores must be theirs, whatever range their log-variances take. The density is
 *       evaluated in double ({@code exp(-s)} is finite for every float s above -709), on a scalar path.</li>
 * </ul>
 * {@code -log p(x|m, s) = 1/2 (log(2 pi) + s + (x - m)^2 exp(-s))}.
 *
 * <p>Two variants share these formulas:
 * <ul>
 *   <li>per row, {@code gaussian} ({@link #INSTANCE}): r is a decoder output like m, so each row has its own
 *       variances.</li>
 *   <li>shared, {@code gaussian-shared} ({@link #SHARED}): r is one learned number per feature, the same for every row
 *       (one of the likelihood's own parameters, see {@link #isOwnParameter}, not a decoder output), like
 *       PyTorch's {@code nn.Parameter} log-variance. A row the decoder reconstructs badly cannot explain itself away with
 *       a wide variance of its own, so it keeps a high score; on contaminated training data this is what
 *       separates the anomalies (docs/anomaly-defaults.md, session 6).</li>
 * </ul>
 *
 * <p>Identifiers ({@link #id()}, read back by {@link Likelihoods#parse}) name the link whenever it is not the
 * default: {@code gaussian} (B = 3), {@code gaussian:logvar-bound=7}, {@code gaussian:logvar-unbounded}, and the
 * same after {@code gaussian-shared}. Instances are immutable values: equal when variant and link are equal.
 */
public final class LearnedVarianceGaussian extends LocationScaleLikelihood {

    /**
     * The default bound B on |log sigma^2|, in model (standardised) units: sigma lies in (e^-1.5, e^1.5) ~ (0.22, 4.5).
     * The floor matters most: on columns of repeated or integer values a smaller floor lets the model claim
     * near-certainty and overreact to small deviations. Chosen by measurement (docs/anomaly-defaults.md): B = 3 beats
     * B = 7 on breastw (0.962 vs 0.955 mean AUROC) and shuttle (0.9956 vs 0.994) and ties on the other three sets.
     */
    public static final double LOG_VARIANCE_BOUND = 3.0;

    /** The option that names a finite bound in an identifier: {@code gaussian:logvar-bound=B}. */
    public static final String BOUND_OPTION = "logvar-bound=";

    /** The option that names the identity link in an identifier: {@code gaussian:logvar-unbounded}. */
    public static final String UNBOUNDED_OPTION = "logvar-unbounded";

    /** Per-row variances with the default bound ({@code gaussian}). */
    public static final LearnedVarianceGaussian INSTANCE = new LearnedVarianceGaussian(false, (float) LOG_VARIANCE_BOUND);

    /** One learned variance per feature, shared by every row, with the default bound ({@code gaussian-shared}). */
    public static final LearnedVarianceGaussian SHARED = new LearnedVarianceGaussian(true, (float) LOG_VARIANCE_BOUND);

    /** B, a float value (as the kernels take it), or +infinity for the identity link. */
    private final double bound;
    private final float kernelBound;

    private LearnedVarianceGaussian(boolean shared, float bound) {
        super(shared);
        this.bound = bound;
        this.kernelBound = bound;
    }

    /**
     * The variant ({@code shared} or per row) with the bounded link {@code s = B tanh(r / B)}. B is rounded to the
     * nearest float, the value the kernels compute with, so that the link, {@link #bound()} and the id agree exactly.
     *
     * @throws IllegalArgumentException when B is not a positive finite number within float range
     */
    public static LearnedVarianceGaussian bounded(boolean shared, double bound) {
        float b = (float) bound;
        if (!(b > 0) || Float.isInfinite(b)) {
            throw new IllegalArgumentException("Invalid log-variance bound " + bound
                    + ": expected a positive finite number (for no bound, use " + UNBOUNDED_OPTION + ")");
        }
        if (b == LOG_VARIANCE_BOUND) {
            return shared ? SHARED : INSTANCE;
        }
        return new LearnedVarianceGaussian(shared, b);
    }

    /** The variant ({@code shared} or per row) with the identity link {@code s = r}: raw values are log sigma^2. */
    public static LearnedVarianceGaussian unbounded(boolean shared) {
        return new LearnedVarianceGaussian(shared, Float.POSITIVE_INFINITY);
    }

    @Override
    public String id() {
        String base = shared() ? "gaussian-shared" : "gaussian";
        if (!isBounded()) {
            return base + ":" + UNBOUNDED_OPTION;
        }
        return bound == LOG_VARIANCE_BOUND ? base : base + ":" + BOUND_OPTION + formatBound(bound);
    }

    /** The shortest text that reads back as exactly the float {@code b}: {@code 7} rather than {@code 7.0}, {@code 0.1}. */
    private static String formatBound(double b) {
        return b == Math.rint(b) && b < 1e15 ? Long.toString((long) b) : Float.toString((float) b);
    }

    /** Whether the link bounds the log-variance ({@code s = B tanh(r / B)}) rather than being the identity. */
    public boolean isBounded() {
        return bound != Double.POSITIVE_INFINITY;
    }

    /** B of the link {@code s = B tanh(r / B)}, or positive infinity for the identity link. */
    public double bound() {
        return bound;
    }

    /** This variant with the identity link {@code s = r} (what an imported decoder's log sigma^2 output needs). */
    public LearnedVarianceGaussian withoutBound() {
        return isBounded() ? unbounded(shared()) : this;
    }

    /** Whether the variances are shared by every row ({@code gaussian-shared}) rather than decoder outputs. */
    public boolean sharedVariance() {
        return shared();
    }

    /**
     * The bound B of the log-variance link ({@code none} for the identity link), under {@code logvar-bound}. The id
     * names only a bound other than the default; this records the default's value too, so a file written while the
     * default was another number is refused rather than read with this one.
     */
    @Override
    public Map<String, String> scoreConstants() {
        return Map.of("logvar-bound", isBounded() ? Double.toString(bound) : "none");
    }

    @Override
    public List<String> parameterNames() {
        return List.of("mean", "logvar");
    }

    /** For {@code gaussian-shared}: a {@link SharedVarianceGaussian} bound to the d raw log-variances. */
    @Override
    public Likelihood withOwnParameters(int features, float[] values) {
        if (!shared()) {
            return this;
        }
        if (values.length != features) {
            throw new IllegalArgumentException("Expected " + features + " shared log-variances, got " + values.length);
        }
        return new SharedVarianceGaussian(this, values);
    }

    /** The log-variance s for a raw value r: this instance's link function. */
    public double logVariance(double r) {
        if (!isBounded()) {
            return r;
        }
        double b = kernelBound;
        return b * Transcendentals.tanh(r / b);
    }

    @Override
    double link(double r) {
        return logVariance(r);
    }

    /**
     * The raw value r whose link gives the log-variance s: s itself for the identity link, else
     * {@code B atanh(s / B)}, with s clipped just inside (-B, B), the range a bounded link can reach.
     */
    public double rawLogVariance(double s) {
        if (!isBounded()) {
            return s;
        }
        double b = kernelBound;
        double u = Math.max(-1 + 1e-7, Math.min(1 - 1e-7, s / b));
        return b * 0.5 * Math.log((1 + u) / (1 - u));
    }

    /**
     * exp(-s), for the identity link, whose only path is this scalar one: StrictMath, whose value no JIT or CPU
     * changes (the bounded link's kernels have their own exp, the same on every path).
     */
    private static double precision(double s) {
        return StrictMath.exp(-s);
    }

    /** 1/2 (log 2 pi + s + (x - m)^2 exp(-s)) in double; a zero residual adds nothing even where exp(-s) overflows. */
    @Override
    double featureNll(double x, double m, double s) {
        double r = x - m;
        double sq = r == 0 ? 0.0 : r * r * precision(s);
        return 0.5 * (FixedVarianceGaussian.LOG_2PI + s + sq);
    }

    @Override
    public double negativeLogLikelihood(float[] x, int xOff, float[] raw, int rawOff, int d) {
        // A tanh and an exp per feature: the element kernels (vectorised when the JVM can) compute them, with the same
        // bits on every path (ElementKernels). They only know the bounded link; the identity link is scalar.
        if (isBounded()) {
            return Simd.elements().gaussian(x, xOff, raw, rawOff, d, kernelBound, null, 0);
        }
        return super.negativeLogLikelihood(x, xOff, raw, rawOff, d);
    }

    @Override
    public void featureNegativeLogLikelihood(float[] x, int xOff, float[] raw, int rawOff, int d, double[] out,
                                             int outOff) {
        if (isBounded()) {
            Simd.elements().gaussian(x, xOff, raw, rawOff, d, kernelBound, out, outOff);
            return;
        }
        super.featureNegativeLogLikelihood(x, xOff, raw, rawOff, d, out, outOff);
    }

    @Override
    public double gradient(float[] x, int xOff, float[] raw, int rawOff, int d, float scale, float[] grad,
                           int gradOff) {
        if (isBounded()) {
            return Simd.elements().gaussianGradient(x, xOff, raw, rawOff, d, kernelBound, scale, grad, gradOff);
        }
        return super.gradient(x, xOff, raw, rawOff, d, scale, grad, gradOff);
    }

    @Override
    double featureGradient(double r, double s, float scale, float[] grad, int meanAt, int rawAt) {
        double precision = precision(s);
        double rp = r == 0 ? 0.0 : r * precision;
        double rrp = r == 0 ? 0.0 : r * rp;
        // ds/dr = 1 - (s / B)^2 for the bounded link, 1 for the identity.
        double u = isBounded() ? s / kernelBound : 0.0;
        grad[meanAt] = (float) (scale * (-rp));
        grad[rawAt] = (float) (scale * 0.5 * (1.0 - rrp) * (1.0 - u * u));
        return 0.5 * (FixedVarianceGaussian.LOG_2PI + s + rrp);
    }

    @Override
    public void sample(float[] raw, int rawOff, int d, NormalSampler random, float[] out, int outOff) {
        for (int j = 0; j < d; j++) {
            double sd = StrictMath.exp(0.5 * logVariance(raw[rawOff + d + j]));
            out[outOff + j] = (float) (raw[rawOff + j] + sd * random.next());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LearnedVarianceGaussian g && g.shared() == shared() && Double.compare(g.bound, bound) == 0;
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(shared()) * 31 + Double.hashCode(bound);
    }
}
