package dev.vae.onnx.imports;

import dev.vae.core.nn.ModelType;
import dev.vae.core.likelihood.Likelihood;
import dev.vae.core.scale.Scaler;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How to import an encoder/decoder pair. Every field but {@code backend} may be null, meaning "work it out":
 * from the graphs' metadata when this library wrote them, otherwise from the graphs themselves (names by position:
 * encoder outputs mu then logvar, decoder outputs the likelihood's parameters first).
 *
 * @param backend        {@code ONNX} to run the graphs in ONNX Runtime, {@code NATIVE} to convert plain MLP graphs
 *                       into a native network
 * @param likelihood     the decoder's likelihood; null: the metadata's, or Bernoulli when the decoder's first output
 *                       is named like logits; otherwise an error
 * @param modelType      VAE or AE; null: the metadata's, or VAE when the encoder has two outputs, AE for one
 * @param scaler         the scaler that maps raw rows to the graphs' inputs; null: the one inside the encoder graph
 *                       if any, else none (the graphs take model-ready inputs)
 * @param encoderInput   the encoder's input name; null: its only input
 * @param encoderOutputs mu[, logvar] output names; null: by position
 * @param decoderInput   the decoder's input name; null: its only input
 * @param decoderOutputs output names of the likelihood's parameters, in its order; null: by position
 * @param featureNames   column names; null: the metadata's, else {@code x0 .. x{d-1}}
 */
public record OnnxImportOptions(Backend backend, @Nullable Likelihood likelihood, @Nullable ModelType modelType,
                                @Nullable Scaler scaler, @Nullable String encoderInput,
                                @Nullable List<String> encoderOutputs, @Nullable String decoderInput,
                                @Nullable List<String> decoderOutputs, @Nullable List<String> featureNames) {

    /** Which backend runs an imported model. */
    public enum Backend {
        /** ONNX Runtime runs the imported graphs. */
        ONNX,
        /** The graphs' weights are copied into a native network. */
        NATIVE
    }

    /** Validates the fields and copies the lists. */
    public OnnxImportOptions {
        Objects.requireNonNull(backend, "backend");
        encoderOutputs = encoderOutputs == null ? null : List.copyOf(encoderOutputs);
        decoderOutputs = decoderOutputs == null ? null : List.copyOf(decoderOutputs);
        featureNames = featureNames == null ? null : List.copyOf(featureNames);
        if (encoderOutputs != null && (encoderOutputs.isEmpty() || encoderOutputs.size() > 2)) {
            throw new IllegalArgumentException("Invalid encoder output names " + encoderOutputs + ": expected mu[,logvar]");
        }
        if (decoderOutputs != null && (decoderOutputs.isEmpty() || decoderOutputs.size() > 2)) {
            throw new IllegalArgumentException("Invalid decoder output names " + decoderOutputs
                    + ": expected one per likelihood parameter");
        }
    }

    /** Everything worked out from the graphs, run by ONNX Runtime. */
    public static OnnxImportOptions defaults() {
        return new OnnxImportOptions(Backend.ONNX, null, null, null, null, null, null, null, null);
    }

    /** These options with another backend. */
    public OnnxImportOptions withBackend(Backend b) {
        return new OnnxImportOptions(b, likelihood, modelType, scaler, encoderInput, encoderOutputs, decoderInput,
                decoderOutputs, featureNames);
    }

    /** These options with a likelihood. */
    public OnnxImportOptions withLikelihood(@Nullable Likelihood l) {
        return new OnnxImportOptions(backend, l, modelType, scaler, encoderInput, encoderOutputs, decoderInput,
                decoderOutputs, featureNames);
    }

    /** These options with a model type. */
    public OnnxImportOptions withModelType(@Nullable ModelType t) {
        return new OnnxImportOptions(backend, likelihood, t, scaler, encoderInput, encoderOutputs, decoderInput,
                decoderOutputs, featureNames);
    }

    /** These options with an input scaler. */
    public OnnxImportOptions withScaler(@Nullable Scaler s) {
        return new OnnxImportOptions(backend, likelihood, modelType, s, encoderInput, encoderOutputs, decoderInput,
                decoderOutputs, featureNames);
    }

    /** These options with the encoder's input and output names. */
    public OnnxImportOptions withEncoderNames(@Nullable String input, @Nullable List<String> outputs) {
        return new OnnxImportOptions(backend, likelihood, modelType, scaler, input, outputs, decoderInput,
                decoderOutputs, featureNames);
    }

    /** These options with the decoder's input and output names. */
    public OnnxImportOptions withDecoderNames(@Nullable String input, @Nullable List<String> outputs) {
        return new OnnxImportOptions(backend, likelihood, modelType, scaler, encoderInput, encoderOutputs, input,
                outputs, featureNames);
    }

    /** These options with feature column names. */
    public OnnxImportOptions withFeatureNames(@Nullable List<String> names) {
        return new OnnxImportOptions(backend, likelihood, modelType, scaler, encoderInput, encoderOutputs, decoderInput,
                decoderOutputs, names);
    }
}
