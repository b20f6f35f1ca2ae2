package dev.vae.core.likelihood;

import dev.vae.core.kernel.ElementKernels;
import dev.vae.core.kernel.Simd;
import dev.vae.core.kernel.Transcendentals;
import dev.vae.core.random.NormalSampler;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Student-t likelihood with {@code nu} degrees of freedom. The decoder emits the location m and a raw r per feature;
 * {@code s = B tanh(r / B)} (B = {@value LearnedVarianceGaussian#LOG_VARIANCE_BOUND}) is the log of the squared
 * scale. Like the learned-variance Gaussians it comes in two variants: {@code student-t}, whose scales are decoder
 * outputs (one set per row), and {@code student-t-shared}, whose r is one learned number per feature (the likelihood's own
 * parameters, {@link #isOwnParameter}). {@code :nu=N} sets the degrees of freedom (default {@value #DEFAULT_NU}). Per
 * feature:
 * <pre>
 *   -log p(x | m, s) = c(nu) + s / 2 + (nu + 1) / 2 * log(1 + (x - m)^2 / (nu exp(s)))
 *   c(nu) = log Gamma(nu / 2) - log Gamma((nu + 1) / 2) + log(nu pi) / 2
 * </pre>
 * Why a Student-t: a Gaussian term grows with the square of the residual, so one column in which the model expected
 * near-certainty (a near-constant column, a count that is almost always 0, a heavy-tailed amount) can outweigh every
 * other column of a row, in training (where such rows then dominate the fit or get trimmed) and in scoring (where the
 * score then says "has a rare value in one column" whatever the rest of the row). A Student-t term grows with the
 * logarithm of the residual: a row must be unusual in several columns, or grossly in one, to score high (Takahashi et
 * al., "Student-t Variational Autoencoder for Robust Density Estimation", IJCAI 2018; robust-statistics M-estimation).
 * As nu grows it tends to the Gaussian.
 *
 * <p>Computed in double with StrictMath's exp and log1p (and {@link Transcendentals#tanh}), so its bits are the same
 * on every JVM and CPU. A row's tanh, exponentials and logarithms run in batches through the element kernels
 * ({@link ElementKernels#tanh(double[], int, int)}, {@link ElementKernels#strictExp},
 * {@link ElementKernels#strictLog1p}: vectorised where the JVM can, with the same bits), in work arrays of the calling
 * thread; each feature's value and gradient are then the one-feature formulas ({@link #featureNll},
 * {@link #featureGradient}) on those values, summed in feature order: the bits of a feature-by-feature loop.
 * Immutable and thread-safe.
 */
public final class StudentTLikelihood extends LocationScaleLikelihood {

    /** The default degrees of freedom: heavy tails (variance finite only from nu > 2), close to Gaussian near 0. */
    public static final int DEFAULT_NU = 4;

    /** The option that names the degrees of freedom in an identifier: {@code student-t:nu=N}. */
    public static final String NU_OPTION = "nu=";

    /** {@code student-t}: per-row scales, {@link #DEFAULT_NU} degrees of freedom. */
    public static final StudentTLikelihood DEFAULT = new StudentTLikelihood(false, DEFAULT_NU);

    /** {@code student-t-shared}: one scale per feature shared by every row, {@link #DEFAULT_NU} degrees of freedom. */
    public static final StudentTLikelihood SHARED = new StudentTLikelihood(true, DEFAULT_NU);

    private static final double BOUND = LearnedVarianceGaussian.LOG_VARIANCE_BOUND;

    /** Features per batch of a row's transcendentals: the work arrays' length, whole vectors of every width. */
    private static final int BATCH = 32 * ElementKernels.LANES;

    /** Each thread's work arrays, reused row after row: no allocation per row, nothing shared between threads. */
    private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);

    /** One batch of features' intermediate values (index j is feature {@code from + j} of the row). */
    private static final class Work {
        /** r / B, then s. */
        final double[] s = new double[BATCH];
        /** exp(-s); in a gradient, then the derivatives with respect to m. */
        final double[] precision = new double[BATCH];
        /** The residuals x - m; in a gradient, then the derivatives with respect to the raw r. */
        final double[] residual = new double[BATCH];
        final double[] q = new double[BATCH];
        /** log1p(q), then the features' -log p. */
        final double[] term = new double[BATCH];
    }

    private final int nu;
    private final double halfNuPlusOne;
    private final double constant;

    private StudentTLikelihood(boolean shared, int nu) {
        super(shared);
        this.nu = nu;
        this.halfNuPlusOne = 0.5 * (nu + 1);
        this.constant = logGamma(0.5 * nu) - logGamma(0.5 * (nu + 1)) + 0.5 * StrictMath.log(nu * Math.PI);
    }

    /**
     * The Student-t with {@code nu} degrees of freedom, with shared or per-row scales.
     *
     * @throws IllegalArgumentException when nu is outside 1..1000
     */
    public static StudentTLikelihood of(boolean shared, int nu) {
        if (nu < 1 || nu > 1000) {
            throw new IllegalArgumentException("Invalid degrees of freedom: " + nu + " (expected 1..1000)");
        }
        if (nu == DEFAULT_NU) {
            return shared ? SHARED : DEFAULT;
        }
        return new StudentTLikelihood(shared, nu);
    }

    /** Whether the scales are shared by every row ({@code student-t-shared}). */
    public boolean sharedScale() {
        return shared();
    }

    /** The degrees of freedom. */
    public int nu() {
        return nu;
    }

    /**
     * c(nu) = log Gamma(nu / 2) - log Gamma((nu + 1) / 2) + log(nu pi) / 2, the constant term of every feature's
     * -log p (for graphs that compute the density elsewhere, e.g. ONNX, with the same value).
     */
    public double normalizingConstant() {
        return constant;
    }

    @Override
    public String id() {
        String base = shared() ? "student-t-shared" : "student-t";
        return nu == DEFAULT_NU ? base : base + ":" + NU_OPTION + nu;
    }

    /** The log-scale bound and the degrees of freedom. */
    @Override
    public Map<String, String> scoreConstants() {
        return Map.of("logvar-bound", Double.toString(BOUND), "nu", Integer.toString(nu));
    }

    @Override
    public List<String> parameterNames() {
        return List.of("location", "logscale2");
    }

    /** The log squared scale s for a raw value r: {@code B tanh(r / B)}. */
    public static double logScale2(double r) {
        return BOUND * Transcendentals.tanh(r / BOUND);
    }

    /**
     * The batch of features {@code [from, from + n)} of a row: s, exp(-s), the residuals, q and each feature's -log p
     * into {@code w}, with the bits of {@link #featureNll}'s. The exponentials and logarithms go through the element
     * kernels on whole vectors: the batch is padded to a multiple of {@link ElementKernels#LANES} with zeros (cheap
     * arguments, never read) rather than left to scalar tails. The other loops each do one thing on doubles, which
     * C2 compiles to vector instructions (widening floats it does not, hence the separate loops); the bits stay
     * Java's, exact IEEE operations in the formulas' order.
     */
    private void batch(float[] x, int xOff, float[] raw, int rawOff, int d, int from, int n, Work w) {
        int padded = (n + ElementKernels.LANES - 1) & -ElementKernels.LANES;
        double[] s = w.s;
        double[] precision = w.precision;
        double[] residual = w.residual;
        double[] q = w.q;
        double[] term = w.term;
        for (int j = 0; j < n; j++) {
            s[j] = raw[rawOff + d + from + j];
        }
        // s = logScale2(r), then exp(-s).
        for (int j = 0; j < n; j++) {
            s[j] = s[j] / BOUND;
        }
        Arrays.fill(s, n, padded, 0.0);
        ElementKernels kernels = Simd.elements();
        kernels.tanh(s, 0, padded);
        for (int j = 0; j < padded; j++) {
            s[j] = BOUND * s[j];
            precision[j] = -s[j];
        }
        kernels.strictExp(precision, 0, padded);
        for (int j = 0; j < n; j++) {
            residual[j] = (double) x[xOff + from + j] - raw[rawOff + from + j];
        }
        for (int j = 0; j < n; j++) {
            q[j] = q(residual[j], precision[j]);
            term[j] = q[j];
        }
        Arrays.fill(term, n, padded, 0.0);
        kernels.strictLog1p(term, 0, padded);
        for (int j = 0; j < n; j++) {
            term[j] = term(s[j], term[j]);
        }
    }

    @Override
    public double negativeLogLikelihood(float[] x, int xOff, float[] raw, int rawOff, int d) {
        Work w = WORK.get();
        double sum = 0.0;
        for (int from = 0; from < d; from += BATCH) {
            int n = Math.min(BATCH, d - from);
            batch(x, xOff, raw, rawOff, d, from, n, w);
            for (int j = 0; j < n; j++) {
                sum += w.term[j];
            }
        }
        return sum;
    }

    @Override
    public void featureNegativeLogLikelihood(float[] x, int xOff, float[] raw, int rawOff, int d, double[] out,
                                             int outOff) {
        Work w = WORK.get();
        for (int from = 0; from < d; from += BATCH) {
            int n = Math.min(BATCH, d - from);
            batch(x, xOff, raw, rawOff, d, from, n, w);
            System.arraycopy(w.term, 0, out, outOff + from, n);
        }
    }

    @Override
    public double gradient(float[] x, int xOff, float[] raw, int rawOff, int d, float scale, float[] grad,
                           int gradOff) {
        Work w = WORK.get();
        double[] dm = w.precision;
        double[] dr = w.residual;
        double sum = 0.0;
        for (int from = 0; from < d; from += BATCH) {
            int n = Math.min(BATCH, d - from);
            batch(x, xOff, raw, rawOff, d, from, n, w);
            for (int j = 0; j < n; j++) {
                dm[j] = meanGradient(w.residual[j], w.precision[j], w.q[j], scale);
            }
            for (int j = 0; j < n; j++) {
                dr[j] = rawGradient(w.s[j], w.q[j], scale);
            }
            for (int j = 0; j < n; j++) {
                grad[gradOff + from + j] = (float) dm[j];
                grad[gradOff + d + from + j] = (float) dr[j];
                sum += w.term[j];
            }
        }
        return sum;
    }

    @Override
    double link(double r) {
        return logScale2(r);
    }

    /** One feature on its own: the formulas that the batched row paths evaluate. */
    @Override
    double featureNll(double x, double m, double s) {
        return term(s, StrictMath.log1p(q(x - m, StrictMath.exp(-s))));
    }

    /** One feature on its own: the formulas that the batched row paths evaluate. */
    @Override
    double featureGradient(double r, double s, float scale, float[] grad, int meanAt, int rawAt) {
        double precision = StrictMath.exp(-s);
        double q = q(r, precision);
        grad[meanAt] = (float) meanGradient(r, precision, q, scale);
        grad[rawAt] = (float) rawGradient(s, q, scale);
        return term(s, StrictMath.log1p(q));
    }

    /** {@code q = r^2 / (nu exp(s))} for the residual r, given {@code exp(-s)}. */
    private double q(double r, double precision) {
        return r * r * precision / nu;
    }

    /** A feature's -log p from s and log1p(q). */
    private double term(double s, double log1pQ) {
        return constant + 0.5 * s + halfNuPlusOne * log1pQ;
    }

    // d/dm = -(nu + 1) r / (nu exp(s) (1 + q)); d/ds = 1/2 - (nu + 1)/2 q / (1 + q); ds/dr = 1 - (s / B)^2.

    /** {@code scale} times a feature's derivative with respect to m (in double; the gradient holds its float). */
    private double meanGradient(double r, double precision, double q, float scale) {
        return scale * (-2.0 * halfNuPlusOne * r * precision / (nu * (1.0 + q)));
    }

    /** {@code scale} times a feature's derivative with respect to its raw r (in double). */
    private double rawGradient(double s, double q, float scale) {
        double u = s / BOUND;
        return scale * (0.5 - halfNuPlusOne * q / (1.0 + q)) * (1.0 - u * u);
    }

    @Override
    public void sample(float[] raw, int rawOff, int d, NormalSampler random, float[] out, int outOff) {
        for (int j = 0; j < d; j++) {
            // t = z / sqrt(chi2_nu / nu), chi2_nu a sum of nu squared normals.
            double z = random.next();
            double chi2 = 0.0;
            for (int k = 0; k < nu; k++) {
                double g = random.next();
                chi2 += g * g;
            }
            double sd = StrictMath.exp(0.5 * logScale2(raw[rawOff + d + j]));
            out[outOff + j] = (float) (raw[rawOff + j] + sd * z / Math.sqrt(chi2 / nu));
        }
    }

    /** log Gamma(x) for x > 0, by the Lanczos approximation (g = 7, 9 terms): 15 digits, all this needs. */
    static double logGamma(double x) {
        if (x < 0.5) {
            // Reflection: Gamma(x) Gamma(1 - x) = pi / sin(pi x).
            return StrictMath.log(Math.PI / StrictMath.sin(Math.PI * x)) - logGamma(1.0 - x);
        }
        double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7};
        double y = x - 1.0;
        double a = c[0];
        double t = y + 7.5;
        for (int i = 1; i < 9; i++) {
            a += c[i] / (y + i);
        }
        return 0.5 * StrictMath.log(2 * Math.PI) + (y + 0.5) * StrictMath.log(t) - t + StrictMath.log(a);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StudentTLikelihood other && other.nu == nu && other.shared() == shared();
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(nu) * 31 + (shared() ? 7 : 3);
    }
}
