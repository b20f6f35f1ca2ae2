package dev.vae.core.nn;

import dev.vae.core.likelihood.Likelihood;

/**
 * The computation of a trained encoder/decoder pair, whatever runs it: the native {@link NativeNetwork}, or a
 * backend such as ONNX Runtime for imported graphs. Implementations are immutable and thread-safe; the
 * per-thread state lives in the {@link Evaluator}s they hand out.
 */
public interface VaeNetwork {

    /** The architecture (for imported networks the hidden layers may be unknown and listed empty). */
    Architecture architecture();

    /** The name of the backend, e.g. {@code native} or {@code onnx}. */
    String backend();

    /**
     * The likelihood to score this network's raw rows with: the architecture's, unless the network can bind
     * what is the same for every row once ({@link Likelihood#withOwnParameters}), as {@link NativeNetwork} does.
     */
    default Likelihood scoringLikelihood() {
        return architecture().likelihood();
    }

    /** A new evaluator with its own buffers; use one per thread. */
    Evaluator newEvaluator();

    /** Runs the encoder and decoder on batches. Not thread-safe. */
    interface Evaluator {

        /**
         * Encodes {@code n} model-space rows of {@code x} starting at {@code xOff}: writes mu (n x K) and, for a
         * VAE, logvar (n x K). For an AE, mu receives z and {@code logvar} may be null (it is left untouched).
         */
        void encode(float[] x, int xOff, int n, float[] mu, float[] logvar);

        /**
         * Decodes {@code n} latent rows of {@code z} starting at {@code zOff} into raw likelihood parameters (n x raw
         * width, {@link Architecture#decoderOutputDim()}), the likelihood's own parameters included in every row.
         */
        void decode(float[] z, int zOff, int n, float[] raw);
    }
}
