package dev.vae.core.nn;

import dev.vae.core.data.Table;
import dev.vae.core.likelihood.Likelihood;
import dev.vae.core.likelihood.LearnedVarianceGaussian;
import dev.vae.core.likelihood.StudentTLikelihood;
import dev.vae.core.random.RowNoise;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The shape of a VAE or autoencoder: an MLP encoder {@code x -> hidden -> (mu, logvar)} (or {@code -> z} for an
 * AE) and an MLP decoder {@code z -> hidden -> raw likelihood parameters} (all but those the likelihood owns, which
 * are the same for every row: {@link #likelihoodParameterCount()}).
 *
 * @param inputDim      number of input features d
 * @param encoderHidden widths of the encoder's hidden layers, input side first (may be empty)
 * @param latentDim     latent dimension K
 * @param decoderHidden widths of the decoder's hidden layers, latent side first (may be empty)
 * @param activation    activation of every hidden layer
 * @param likelihood    the decoder's likelihood p(x|z)
 * @param modelType     VAE or plain AE
 */
public record Architecture(int inputDim, List<Integer> encoderHidden, int latentDim, List<Integer> decoderHidden,
                           Activation activation, Likelihood likelihood, ModelType modelType) {

    /** The default likelihood: per-row learned variances, log-variance link bounded at 2 (see {@link #defaults}). */
    public static final LearnedVarianceGaussian DEFAULT_LIKELIHOOD = LearnedVarianceGaussian.bounded(false, 2.0);

    /**
     * The default likelihood in words, for the option descriptions of the Tribuo trainer and the Spark estimator (a
     * compile-time constant, so that annotations can use it); {@code SmallSampleDefaultTest} checks that it names
     * {@link #DEFAULT_LIKELIHOOD}, {@link #SMALL_SAMPLE_LIKELIHOOD} and {@link #NEAR_CONSTANT_LIKELIHOOD}.
     */
    public static final String DEFAULT_LIKELIHOOD_DESCRIPTION = "gaussian:logvar-bound=2; gaussian-shared when the"
            + " training table has fewer rows than columns; student-t:nu=16 when a column holds one value in 99% or more"
            + " of its rows";

    /**
     * The share of rows one value must hold for a column to count as near-constant ({@link Table#nearConstantColumns}):
     * such a column's other values lie at least sqrt(0.99 / 0.01), about 10, standard deviations out.
     */
    public static final double NEAR_CONSTANT_SHARE = 0.99;

    /**
     * The default likelihood for a training table with a near-constant column: a Student-t with 16 degrees of freedom
     * and per-row scales ({@code student-t:nu=16}); see {@link #defaultLikelihood(Table)}.
     */
    public static final StudentTLikelihood NEAR_CONSTANT_LIKELIHOOD = StudentTLikelihood.of(false, 16);

    /**
     * The default likelihood for a training table with fewer rows than columns: one learned variance per feature,
     * shared by every row ({@code gaussian-shared}); see {@link #defaultLikelihood}.
     */
    public static final LearnedVarianceGaussian SMALL_SAMPLE_LIKELIHOOD = LearnedVarianceGaussian.SHARED;

    /** Upper bound on any layer width, to refuse absurd settings before allocating memory. */
    public static final int MAX_WIDTH = 1 << 16;

    /** Validates every field and copies the lists. */
    public Architecture {
        if (inputDim < 1 || inputDim > MAX_WIDTH) {
            throw new IllegalArgumentException("Invalid input dimension: " + inputDim + " (expected 1.." + MAX_WIDTH + ")");
        }
        if (latentDim < 1 || latentDim > MAX_WIDTH) {
            throw new IllegalArgumentException("Invalid latent dimension: " + latentDim + " (expected 1.." + MAX_WIDTH + ")");
        }
        encoderHidden = List.copyOf(encoderHidden);
        decoderHidden = List.copyOf(decoderHidden);
        for (int h : encoderHidden) {
            checkWidth("encoder hidden", h);
        }
        for (int h : decoderHidden) {
            checkWidth("decoder hidden", h);
        }
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(likelihood, "likelihood");
        Objects.requireNonNull(modelType, "modelType");
    }

    private static void checkWidth(String what, int h) {
        if (h < 1 || h > MAX_WIDTH) {
            throw new IllegalArgumentException("Invalid " + what + " layer width: " + h + " (expected 1.." + MAX_WIDTH + ")");
        }
    }

    /**
     * Defaults that adapt to the input width: one tanh hidden layer of {@code clamp(2d, 16, 512)} units, a latent
     * of {@code clamp(d / 4, 2, 32)}, a mirrored decoder, a Gaussian likelihood whose variances are decoder outputs,
     * one set per row, with the log-variance link bounded at 2 ({@code gaussian:logvar-bound=2}: every variance at
     * least e^-2 of the column's, {@link #DEFAULT_LIKELIHOOD}), a VAE.
     *
     * <p>Chosen by measurement (docs/anomaly-defaults.md, session 7: the 13-set suite with its fixed folds and
     * selection split). Per-row variances beat the shared ones of session 6 on the selection half; with the bound of
     * 3 they lost precision at the top of the ranking (satimage-2's AUPRC 0.99 to 0.63), which the floor of e^-2
     * restores: 0.877 mean AUROC and 0.650 AUPRC on the selection half against 0.850 and 0.644 before, confirmed on
     * the other half (0.677 and 0.264 against 0.669 and 0.262), no set more than 0.03 below Isolation Forest (two
     * before). Earlier sessions: tanh beat ReLU (0.919 vs 0.912 on five sets), hidden widths d or 4d and latents d/2
     * or d/8 did no better than 2d and d/4.
     */
    public static Architecture defaults(int inputDim) {
        return defaults(inputDim, Integer.MAX_VALUE);
    }

    /**
     * The defaults of {@link #defaults(int)} for a training table of {@code rows} rows: the same, but with the
     * likelihood of {@link #defaultLikelihood(int, int)}.
     */
    public static Architecture defaults(int inputDim, int rows) {
        int hidden = Math.max(16, Math.min(512, 2 * inputDim));
        int latent = Math.max(2, Math.min(32, inputDim / 4));
        return new Architecture(inputDim, List.of(hidden), latent, List.of(hidden), Activation.TANH,
                defaultLikelihood(inputDim, rows), ModelType.VAE);
    }

    /**
     * The measured default likelihood for a training table of {@code rows} rows and {@code inputDim} columns:
     * {@link #DEFAULT_LIKELIHOOD} (a variance per feature and row), unless the table has fewer rows than columns;
     * then {@link #SMALL_SAMPLE_LIKELIHOOD} (a variance per feature, shared by the rows).
     *
     * <p>Why: a per-row variance is a function of z that the decoder has to learn from the rows; with fewer rows than
     * features it fits the training rows' noise instead, and a few normal rows get tiny variances and the highest
     * scores. Measured (docs/anomaly-defaults.md, session 9): on pd_speech, the suite's one set with fewer training rows
     * (146) than columns (751), shared variances give 0.701 mean AUROC against 0.641; on five other sets cut to half a
     * row per column ({@code vae-bench/suite --candidates "sub=0.5;lik=gaussian-shared/sub=0.5"}) they tie on AUROC
     * (0.768 both) and lead on AUPRC (0.437 against 0.390). Every set with at least one row per column is unchanged.
     */
    public static LearnedVarianceGaussian defaultLikelihood(int inputDim, int rows) {
        return rows < inputDim ? SMALL_SAMPLE_LIKELIHOOD : DEFAULT_LIKELIHOOD;
    }

    /**
     * The measured default likelihood for a training table: {@link #defaultLikelihood(int, int)} for its shape, except
     * that a table with at least as many rows as columns and a near-constant column (one value in
     * {@value #NEAR_CONSTANT_SHARE} or more of its rows, not all) gets {@link #NEAR_CONSTANT_LIKELIHOOD}.
     *
     * <p>Why: standardised, a near-constant column's rare values lie 10 or more standard deviations out, and a
     * Gaussian term grows with the square of a residual, so a rare value there outweighs the rest of its row, in
     * training (where such rows then dominate the fit or are trimmed) and in the score. A Student-t term grows with
     * the logarithm of the residual; 16 degrees of freedom keep it near the Gaussian for ordinary residuals.
     * Measured (docs/anomaly-defaults.md, session 10): the sets of the suite that have such columns gain (spam 0.826
     * to 0.833 mean AUROC, F1 of the default threshold 0.141 to 0.181; the held-out digits set, counts that are almost
     * always 0, 0.585 to 0.685, where Isolation Forest has 0.679); with five near-constant noise columns added to every
     * set (the suite's {@code spike=5} stress test), the Gaussian loses 0.034 mean AUROC on the selection half and its
     * AUPRC falls from 0.650 to 0.442, while the Student-t keeps 0.863 and 0.590, and it leads on the confirmation
     * and held-out sets too. Tables without such a column train exactly as before. One-class Fashion-MNIST, whose
     * border pixels are near-constant, ties (0.917 against 0.919).
     */
    public static Likelihood defaultLikelihood(Table data) {
        LearnedVarianceGaussian byShape = defaultLikelihood(data.width(), data.rows());
        return byShape == DEFAULT_LIKELIHOOD && data.nearConstantColumns(NEAR_CONSTANT_SHARE).length > 0
                ? NEAR_CONSTANT_LIKELIHOOD : byShape;
    }

    /** This architecture with other encoder hidden widths and the decoder mirroring them. */
    public Architecture withHidden(List<Integer> hidden) {
        List<Integer> mirror = new ArrayList<>(hidden);
        java.util.Collections.reverse(mirror);
        return new Architecture(inputDim, hidden, latentDim, mirror, activation, likelihood, modelType);
    }

    /** This architecture with other decoder hidden widths. */
    public Architecture withDecoderHidden(List<Integer> hidden) {
        return new Architecture(inputDim, encoderHidden, latentDim, hidden, activation, likelihood, modelType);
    }

    /** This architecture with another latent dimension. */
    public Architecture withLatentDim(int latent) {
        return new Architecture(inputDim, encoderHidden, latent, decoderHidden, activation, likelihood, modelType);
    }

    /** This architecture with another likelihood. */
    public Architecture withLikelihood(Likelihood l) {
        return new Architecture(inputDim, encoderHidden, latentDim, decoderHidden, activation, l, modelType);
    }

    /** This architecture with another model type. */
    public Architecture withModelType(ModelType t) {
        return new Architecture(inputDim, encoderHidden, latentDim, decoderHidden, activation, likelihood, t);
    }

    /** This architecture with another hidden activation. */
    public Architecture withActivation(Activation a) {
        return new Architecture(inputDim, encoderHidden, latentDim, decoderHidden, a, likelihood, modelType);
    }

    /** Width of the encoder's last layer: 2K for a VAE (mu then logvar), K for an AE. */
    public int encoderOutputDim() {
        return modelType == ModelType.VAE ? 2 * latentDim : latentDim;
    }

    /**
     * Width of a row of raw likelihood parameters, what a network's decoding yields per row
     * ({@link VaeNetwork.Evaluator#decode}): the decoder's outputs and the likelihood's own parameters
     * ({@link #likelihoodParameterCount()}), {@link Likelihood#rawWidth} in all.
     */
    public int decoderOutputDim() {
        return likelihood.rawWidth(inputDim);
    }

    /**
     * How many parameters the likelihood owns ({@link Likelihood#ownParameterCount}): learned values the same for
     * every row, held after the decoder's weights, not computed by the decoder (0 for most likelihoods).
     */
    public int likelihoodParameterCount() {
        return likelihood.ownParameterCount(inputDim);
    }

    /** Which raw values of a row the decoder computes and which are the likelihood's own parameters. */
    public RawLayout rawLayout() {
        return RawLayout.of(likelihood, inputDim);
    }

    /** Layer widths of the encoder from input to output, e.g. {@code [784, 400, 40]}. */
    public int[] encoderSizes() {
        return sizes(inputDim, encoderHidden, encoderOutputDim());
    }

    /**
     * Layer widths of the decoder from latent to output, e.g. {@code [20, 400, 784]}: the last is the raw width less
     * the likelihood's own parameters, which the decoder does not compute.
     */
    public int[] decoderSizes() {
        return sizes(latentDim, decoderHidden, decoderOutputDim() - likelihoodParameterCount());
    }

    /** Multiply-adds of one row through the encoder's layers (what decides whether a batch is worth splitting). */
    public long encoderMultiplyAdds() {
        return multiplyAdds(encoderSizes());
    }

    /** Multiply-adds of one row through the decoder's layers. */
    public long decoderMultiplyAdds() {
        return multiplyAdds(decoderSizes());
    }

    private static long multiplyAdds(int[] sizes) {
        long macs = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            macs += (long) sizes[l] * sizes[l + 1];
        }
        return macs;
    }

    private static int[] sizes(int in, List<Integer> hidden, int out) {
        int[] s = new int[hidden.size() + 2];
        s[0] = in;
        for (int i = 0; i < hidden.size(); i++) {
            s[i + 1] = hidden.get(i);
        }
        s[s.length - 1] = out;
        return s;
    }

    /**
     * Every constant this architecture's scores depend on beyond its fields, by name: the likelihood's
     * ({@link Likelihood#scoreConstants()}, under {@code likelihood.}) and the derivation of sampling noise
     * ({@code noise}, for sampled scores). Model files and ONNX metadata store them; readers compare.
     */
    public Map<String, String> scoreConstants() {
        Map<String, String> all = new TreeMap<>();
        likelihood.scoreConstants().forEach((k, v) -> all.put("likelihood." + k, v));
        all.put("noise", RowNoise.ALGORITHM);
        return all;
    }

    /** A compact description such as {@code vae 784-400-20 relu bernoulli}. */
    public String describe() {
        StringBuilder b = new StringBuilder(modelType.id()).append(' ').append(inputDim);
        for (int h : encoderHidden) {
            b.append('-').append(h);
        }
        b.append('-').append(latentDim);
        if (!decoderHidden.equals(reversed(encoderHidden))) {
            b.append(" (decoder");
            for (int h : decoderHidden) {
                b.append(' ').append(h);
            }
            b.append(')');
        }
        return b.append(' ').append(activation.id()).append(' ').append(likelihood.id()).toString();
    }

    private static List<Integer> reversed(List<Integer> l) {
        List<Integer> r = new ArrayList<>(l);
        java.util.Collections.reverse(r);
        return r;
    }
}
