package dev.vae.core.likelihood;

import java.util.Locale;

/** Parses likelihood identifiers as written on the command line and in model files. */
public final class Likelihoods {

    private Likelihoods() {
    }

    /**
     * Parses {@code bernoulli}, {@code gaussian} (learned variance, per row), {@code gaussian-shared} (learned
     * variance, one per feature shared by every row), {@code gaussian-fixed} (unit variance) or
     * {@code gaussian-fixed:V} (variance V), or a composite over column blocks,
     * {@code composite:ID[FROM-TO],ID[FROM-TO],...} (0-based inclusive columns; see {@link CompositeLikelihood}).
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
                "Unknown likelihood '" + text + "': expected bernoulli, gaussian, gaussian-shared, gaussian-fixed,"
                        + " gaussian-fixed:VARIANCE"
                        + " or composite:ID[FROM-TO],ID[FROM-TO],...");
    }
}
