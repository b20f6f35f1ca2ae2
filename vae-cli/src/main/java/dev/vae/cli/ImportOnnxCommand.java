package dev.vae.cli;

import dev.vae.core.nn.ModelType;
import dev.vae.core.VaeModel;
import dev.vae.core.io.ModelFile;
import dev.vae.core.likelihood.Likelihoods;
import dev.vae.core.scale.Scaler;
import dev.vae.core.scale.ScalingKind;
import dev.vae.onnx.imports.OnnxImportOptions;
import dev.vae.onnx.imports.OnnxImporter;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vae import-onnx}: turns an ONNX encoder/decoder pair (ours or another tool's) into a model file. */
@Command(name = "import-onnx", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Import an ONNX encoder and decoder (written by 'vae export-onnx' or by another tool, e.g. "
                + "PyTorch's torch.onnx.export) as a model that score, evaluate, encode and sample use.",
                "Names not given are matched by position: encoder outputs mu then logvar; the decoder's first output is "
                        + "the likelihood's first parameter (Bernoulli: the logits).",
                "Without a scaling option the graphs are assumed to take model-ready inputs."})
final class ImportOnnxCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--encoder", required = true, paramLabel = "FILE", description = "The encoder graph (.onnx).")
    Path encoder;

    @Option(names = "--decoder", required = true, paramLabel = "FILE", description = "The decoder graph (.onnx).")
    Path decoder;

    @Option(names = "--out", required = true, paramLabel = "MODEL", description = "The model file to write.")
    Path out;

    @Option(names = "--likelihood", paramLabel = "NAME", description = "bernoulli, gaussian, gaussian-shared or "
            + "gaussian-fixed[:VARIANCE] (default: from our metadata, or bernoulli when the decoder's first output is "
            + "named like logits). A decoder without our metadata outputs log sigma^2 itself: gaussian is imported as "
            + "gaussian:logvar-unbounded (no bound, no clipping: the foreign model's own scores); a logvar-bound=B "
            + "option is refused for it. student-t and student-t-shared are read from our own graphs only (their "
            + "metadata names them); given for a foreign decoder they are refused.")
    String likelihood;

    @Option(names = "--model-type", paramLabel = "TYPE", description = "vae or ae (default: vae when the encoder has two outputs).")
    String modelType;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "onnx",
            description = "onnx: ONNX Runtime runs the graphs (default); native: convert plain MLP graphs "
                    + "(Gemm or MatMul+Add with Relu/Tanh/Sigmoid) into a native network.")
    String backend;

    @Option(names = "--input-divisor", paramLabel = "V", description = "Scale every raw input as (x - offset) / V, e.g. 255 for pixels.")
    Float inputDivisor;

    @Option(names = "--input-offset", paramLabel = "V", description = "The offset of --input-divisor (default 0).")
    Float inputOffset;

    @Option(names = "--scaler-from", paramLabel = "MODEL", description = "Use the input scaler of this model file.")
    Path scalerFrom;

    @Option(names = "--encoder-input", paramLabel = "NAME", description = "The encoder's input name (default: its only input).")
    String encoderInput;

    @Option(names = "--encoder-outputs", paramLabel = "MU[,LOGVAR]", split = ",", description = "The encoder's output names.")
    List<String> encoderOutputs;

    @Option(names = "--decoder-input", paramLabel = "NAME", description = "The decoder's input name (default: its only input).")
    String decoderInput;

    @Option(names = "--decoder-outputs", paramLabel = "NAMES", split = ",",
            description = "The decoder's outputs, one per likelihood parameter (Bernoulli: the logits; gaussian: mean,logvar).")
    List<String> decoderOutputs;

    @Option(names = "--columns", paramLabel = "A,B,...", split = ",", description = "Feature column names (default: our metadata's, else x0..x{d-1}).")
    List<String> columns;

    @Option(names = "--columns-from", paramLabel = "CSV", description = "Take the feature column names from this CSV's header "
            + "(all columns but --label-column and --drop-columns).")
    Path columnsFrom;

    @Option(names = "--label-column", paramLabel = "NAME", description = "With --columns-from: a column that is not a feature.")
    String labelColumn;

    @Option(names = "--drop-columns", paramLabel = "A,B", split = ",", description = "With --columns-from: columns that are not features.")
    List<String> dropColumns;

    @Override
    public Integer call() throws Exception {
        OnnxImportOptions options = OnnxImportOptions.defaults()
                .withBackend(parseBackend(backend))
                .withLikelihood(likelihood == null ? null : Likelihoods.parse(likelihood))
                .withModelType(modelType == null ? null : ModelType.parse(modelType))
                .withEncoderNames(encoderInput, encoderOutputs)
                .withDecoderNames(decoderInput, decoderOutputs)
                .withFeatureNames(featureNames());
        VaeModel model = OnnxImporter.importModel(encoder, decoder, options);
        Scaler scaler = scaler(model.inputDim());
        if (scaler != null) {
            if (!model.scaler().equals(Scaler.identity(model.inputDim()))) {
                throw new IllegalArgumentException(encoder + ": the encoder already scales its input; "
                        + "do not give --input-divisor, --input-offset or --scaler-from");
            }
            model = model.toBuilder().scaler(scaler).build();
        }
        model = model.toBuilder().provenance("imported.command", "vae import-onnx").build();
        ModelFile.write(model, out);
        PrintWriter w = common.out();
        w.println("imported " + model.architecture().describe() + " (backend " + model.network().backend() + ", "
                + (model.threshold() == null ? "no threshold" : "threshold " + model.threshold().value()) + ") -> " + out);
        w.flush();
        return 0;
    }

    private static OnnxImportOptions.Backend parseBackend(String text) {
        try {
            return OnnxImportOptions.Backend.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown backend '" + text + "': expected onnx or native");
        }
    }

    private @Nullable List<String> featureNames() throws java.io.IOException {
        if (columns != null && columnsFrom != null) {
            throw new IllegalArgumentException("Give --columns or --columns-from, not both");
        }
        if (columns != null) {
            return columns;
        }
        if (columnsFrom == null) {
            return null;
        }
        CsvOptions csv = CsvOptions.withLabel(labelColumn, new HashSet<>(dropColumns == null ? List.of() : dropColumns));
        try (CsvReader reader = CsvReader.open(columnsFrom, csv)) {
            return reader.featureColumns();
        }
    }

    private @Nullable Scaler scaler(int d) throws java.io.IOException {
        if (scalerFrom != null && (inputDivisor != null || inputOffset != null)) {
            throw new IllegalArgumentException("Give --scaler-from or --input-divisor/--input-offset, not both");
        }
        if (scalerFrom != null) {
            Scaler s = ModelFile.read(scalerFrom).scaler();
            if (s.width() != d) {
                throw new IllegalArgumentException("The scaler of " + scalerFrom + " has " + s.width()
                        + " columns but the encoder takes " + d + " features");
            }
            return s;
        }
        if (inputDivisor == null && inputOffset == null) {
            return null;
        }
        float[] offset = new float[d];
        float[] divisor = new float[d];
        Arrays.fill(offset, inputOffset == null ? 0f : inputOffset);
        Arrays.fill(divisor, inputDivisor == null ? 1f : inputDivisor);
        return new Scaler(ScalingKind.MIN_MAX, offset, divisor);
    }
}
