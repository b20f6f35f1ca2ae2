package dev.vae.core.likelihood;

import java.util.Locale;

/** Parses likelihood identifiers as written on the command line and in model files. */
public final class Likelihoods {

    private Likelihoods() {
    }

    /**
     * Parses {@code bernoulli}, {@code gaussian} (learned variance, per row), {@code gaussian-shared} (learned
     * variance, one per feature shared by every row), {@code gaussian-fixed} (unit variance) or
     * {@code gaussian-fixed:V} (variance V), {@code student-t} or {@code student-t-shared} (Student-t with per-row or
     * shared scales, optionally {@code :nu=N}; {@link StudentTLikelihood}), or a composite over column blocks,
     * {@code composite:ID[FROM-TO],ID[FROM-TO],...} (0-based inclusive columns; see {@link CompositeLikelihood}).
     *
     * <p>The learned-variance Gaussians take the link of their log-variance as an option (see
     * {@link LearnedVarianceGaussian}): {@code gaussian} and {@code gaussian-shared} alone mean
     * {@code s = 3 tanh(r / 3)}; {@code gaussian:logvar-bound=B} (B &gt; 0) means {@code s = B tanh(r / B)};
     * {@code gaussian:logvar-unbounded} means {@code s = r} (decoders that output log sigma^2 directly, as imported
     * ones do). Likewise {@code gaussian-shared:logvar-bound=B} and {@code gaussian-shared:logvar-unbounded}.
     * Anything else after the colon is an error, never a fallback to the default bound.
     *
     * @throws IllegalArgumentException naming the text when it is none of these
     */
    public static Likelihood parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith(CompositeLikelihood.PREFIX)) {
            return CompositeLikelihood.parseBlocks(t.substring(CompositeLikelihood.PREFIX.length()));
        }
        if (t.equals("bernoulli")) {
            return BernoulliLikelihood.INSTANCE;
        }
        if (t.equals("gaussian")) {
            return LearnedVarianceGaussian.INSTANCE;
        }
        if (t.equals("gaussian-shared")) {
            return LearnedVarianceGaussian.SHARED;
        }
        if (t.startsWith("gaussian:")) {
            return learnedVariance(false, t.substring("gaussian:".length()), text);
        }
        if (t.startsWith("gaussian-shared:")) {
            return learnedVariance(true, t.substring("gaussian-shared:".length()), text);
        }
        for (String base : new String[] {"student-t-shared", "student-t"}) {
            boolean shared = base.equals("student-t-shared");
            if (t.equals(base)) {
                return shared ? StudentTLikelihood.SHARED : StudentTLikelihood.DEFAULT;
            }
            if (t.startsWith(base + ":")) {
                String o = t.substring(base.length() + 1).trim();
                if (!o.startsWith(StudentTLikelihood.NU_OPTION)) {
                    throw new IllegalArgumentException("Unknown option '" + o + "' in likelihood '" + text
                            + "': expected " + StudentTLikelihood.NU_OPTION + "N");
                }
                String v = o.substring(StudentTLikelihood.NU_OPTION.length()).trim();
                try {
                    return StudentTLikelihood.of(shared, Integer.parseInt(v));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("Invalid degrees of freedom in likelihood '" + text + "': '" + v
                            + "' is not an integer");
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("Invalid likelihood '" + text + "': " + e.getMessage(), e);
                }
            }
        }
        if (t.equals("gaussian-fixed") || t.equals("mse")) {
            return FixedVarianceGaussian.unit();
        }
        if (t.startsWith("gaussian-fixed:")) {
            String v = t.substring("gaussian-fixed:".length());
            try {
                return new FixedVarianceGaussian(Double.parseDouble(v));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid variance in likelihood '" + text + "': '" + v + "' is not a number");
            }
        }
        throw new IllegalArgumentException(
                "Unknown likelihood '" + text + "': expected bernoulli, gaussian[:OPTION], gaussian-shared[:OPTION]"
                        + " (OPTION: logvar-bound=B or logvar-unbounded), student-t[:nu=N], student-t-shared[:nu=N], gaussian-fixed,"
                        + " gaussian-fixed:VARIANCE"
                        + " or composite:ID[FROM-TO],ID[FROM-TO],...");
    }

    /** The learned-variance Gaussian named by the option after the colon; {@code text} is the whole id, for errors. */
    private static LearnedVarianceGaussian learnedVariance(boolean shared, String option, String text) {
        String o = option.trim();
        if (o.equals(LearnedVarianceGaussian.UNBOUNDED_OPTION)) {
            return LearnedVarianceGaussian.unbounded(shared);
        }
        if (o.startsWith(LearnedVarianceGaussian.BOUND_OPTION)) {
            String v = o.substring(LearnedVarianceGaussian.BOUND_OPTION.length()).trim();
            double b;
            try {
                b = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid log-variance bound in likelihood '" + text + "': '" + v
                        + "' is not a number");
            }
            try {
                return LearnedVarianceGaussian.bounded(shared, b);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Invalid likelihood '" + text + "': " + e.getMessage(), e);
            }
        }
        throw new IllegalArgumentException("Unknown option '" + o + "' in likelihood '" + text + "': expected "
                + LearnedVarianceGaussian.BOUND_OPTION + "B (B > 0) or " + LearnedVarianceGaussian.UNBOUNDED_OPTION);
    }
}
