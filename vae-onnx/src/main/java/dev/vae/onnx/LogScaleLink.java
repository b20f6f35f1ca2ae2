package dev.vae.onnx;

import dev.vae.core.likelihood.LearnedVarianceGaussian;
import dev.vae.core.likelihood.Likelihood;
import dev.vae.core.likelihood.StudentTLikelihood;
import org.jspecify.annotations.Nullable;

/**
 * The link between a likelihood's second raw parameter r and the log-scale s its decoder graph outputs, for the
 * likelihoods that have one: a learned-variance Gaussian's own (s = B tanh(r / B), or s = r), and the Student-t's
 * s = B tanh(r / B) with B = {@value LearnedVarianceGaussian#LOG_VARIANCE_BOUND} ({@link StudentTLikelihood#logScale2}),
 * which is the default Gaussian link. Returned as that Gaussian so that export ({@code logVariance}), native conversion
 * ({@code MlpConverter.logVarianceLinkInput}) and ONNX Runtime decoding
 * ({@link LearnedVarianceGaussian#rawLogVariance}) share one implementation of the link and its inverse. Public only
 * so that the export, import and runtime packages can share it.
 */
public final class LogScaleLink {

    private LogScaleLink() {
    }

    /** The link of {@code lik}'s second parameter, or null when it has none (Bernoulli, fixed variance, composite). */
    public static @Nullable LearnedVarianceGaussian of(Likelihood lik) {
        if (lik instanceof LearnedVarianceGaussian g) {
            return g;
        }
        if (lik instanceof StudentTLikelihood t) {
            return of(t);
        }
        return null;
    }

    /** The Student-t's link s = B tanh(r / B): the same function as the default learned-variance Gaussian's. */
    public static LearnedVarianceGaussian of(StudentTLikelihood lik) {
        return LearnedVarianceGaussian.INSTANCE;
    }
}
