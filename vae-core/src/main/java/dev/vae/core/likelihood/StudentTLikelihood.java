package dev.vae.core.likelihood;

import dev.vae.core.kernel.Transcendentals;
import dev.vae.core.random.NormalSampler;
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
 * <p>Computed in double with {@code StrictMath.log1p} and {@code StrictMath.exp} on one scalar path, so its bits are
 * the same on every JVM and CPU.
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

    @Override
    double link(double r) {
        return logScale2(r);
    }

    @Override
    double featureNll(double x, double m, double s) {
        double r = x - m;
        return constant + 0.5 * s + halfNuPlusOne * StrictMath.log1p(r * r * StrictMath.exp(-s) / nu);
    }

    @Override
    double featureGradient(double r, double s, float scale, float[] grad, int meanAt, int rawAt) {
        double precision = StrictMath.exp(-s);
        double q = r * r * precision / nu;
        // d/dm = -(nu + 1) r / (nu exp(s) (1 + q)); d/ds = 1/2 - (nu + 1)/2 q / (1 + q); ds/dr = 1 - (s / B)^2.
        double u = s / BOUND;
        grad[meanAt] = (float) (scale * (-2.0 * halfNuPlusOne * r * precision / (nu * (1.0 + q))));
        grad[rawAt] = (float) (scale * (0.5 - halfNuPlusOne * q / (1.0 + q)) * (1.0 - u * u));
        return constant + 0.5 * s + halfNuPlusOne * StrictMath.log1p(q);
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
