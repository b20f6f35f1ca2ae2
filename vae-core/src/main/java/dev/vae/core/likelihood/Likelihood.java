package dev.vae.core.likelihood;

import dev.vae.core.random.NormalSampler;
import dev.vae.core.scale.ScalingKind;
import java.util.List;
import java.util.Map;

/**
 * A per-feature likelihood p(x|z), summed over features. Implementations are immutable and thread-safe.
 *
 * <p>All methods work on one row: {@code x[xOff, xOff + d)} in model space (after scaling) and the row's raw
 * parameters {@code raw[rawOff, rawOff + rawWidth(d))} (the decoder's outputs, with the likelihood's own parameters
 * at their indices). Negative log-likelihoods are in nats, with every constant
 * included, so they are true negative log-densities (or log-probabilities).
 */
public interface Likelihood {

    /** The identifier used on the command line and in model files, e.g. {@code bernoulli}; {@link Likelihoods#parse} reads it back. */
    String id();

    /**
     * How many raw values a row of {@code features} features needs: the decoder's outputs and this likelihood's own
     * parameters ({@link #isOwnParameter}).
     */
    int rawWidth(int features);

    /** Names of the distribution parameters, in raw-layout order, e.g. {@code [logits]} or {@code [mean, logvar]}. */
    List<String> parameterNames();

    /**
     * The constants this likelihood's densities depend on beyond its identifier, by name, e.g. the learned-variance
     * bound of {@code gaussian}. Model files and ONNX metadata store them, and a reader refuses a file whose constants
     * differ from the likelihood it would build: a changed constant changes every score, and so the meaning of a
     * stored threshold. Empty unless a likelihood says otherwise.
     */
    default Map<String, String> scoreConstants() {
        return Map.of();
    }

    /**
     * Whether raw value {@code rawIndex} (of {@code rawWidth(features)}) is one of this likelihood's own parameters: a
     * learned number that is the same for every row, not a function of z, like PyTorch's {@code nn.Parameter}
     * log-variance. The decoder does not compute it: the network holds the own parameters after the decoder's
     * weights ({@code dev.vae.core.nn.RawLayout}) and puts them at their raw indices in every row it hands to this
     * likelihood, so the per-row methods read them where they read any raw value. Own parameters are numbered in
     * raw-index order. False for every index unless a likelihood says otherwise; true for the log-variances of
     * {@code gaussian-shared} and the log squared scales of {@code student-t-shared}.
     */
    default boolean isOwnParameter(int features, int rawIndex) {
        return false;
    }

    /** How many own parameters ({@link #isOwnParameter}) this likelihood has for {@code features} features. */
    default int ownParameterCount(int features) {
        int count = 0;
        for (int i = 0; i < rawWidth(features); i++) {
            count += isOwnParameter(features, i) ? 1 : 0;
        }
        return count;
    }

    /**
     * This likelihood with its own parameters ({@link #isOwnParameter}) bound to {@code values} (in their order), for
     * scoring: the same densities, computed without what depends on those values alone being redone per row; they
     * agree with this likelihood's within float rounding. The default returns this likelihood.
     */
    default Likelihood withOwnParameters(int features, float[] values) {
        return this;
    }

    /** The input scaling that suits this likelihood (min-max to [0, 1] for Bernoulli, standardisation for Gaussians). */
    ScalingKind preferredScaling();

    /** -log p(x|raw) for one row, summed over its {@code d} features. */
    double negativeLogLikelihood(float[] x, int xOff, float[] raw, int rawOff, int d);

    /** -log p(x_j|raw) for each feature j of one row, written to {@code out[outOff + j]}; they sum to the row's value. */
    void featureNegativeLogLikelihood(float[] x, int xOff, float[] raw, int rawOff, int d, double[] out, int outOff);

    /**
     * Writes {@code scale * d(-log p(x|raw)) / d raw} for one row to {@code grad[gradOff, gradOff + rawWidth(d))}
     * and returns the row's -log p(x|raw).
     */
    double gradient(float[] x, int xOff, float[] raw, int rawOff, int d, float scale, float[] grad, int gradOff);

    /** The distribution's mean for one row, in model space, written to {@code out[outOff, outOff + d)}. */
    void mean(float[] raw, int rawOff, int d, float[] out, int outOff);

    /** One draw from the distribution for one row, in model space, written to {@code out[outOff, outOff + d)}. */
    void sample(float[] raw, int rawOff, int d, NormalSampler random, float[] out, int outOff);
}
