package dev.vae.onnx.imports;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import dev.vae.core.nn.Architecture;
import dev.vae.core.nn.ModelType;
import dev.vae.core.VaeModel;
import dev.vae.core.io.ModelFormatException;
import dev.vae.core.likelihood.BernoulliLikelihood;
import dev.vae.core.likelihood.CompositeLikelihood;
import dev.vae.core.likelihood.LearnedVarianceGaussian;
import dev.vae.core.likelihood.Likelihood;
import dev.vae.core.likelihood.StudentTLikelihood;
import dev.vae.core.nn.Activation;
import dev.vae.core.nn.NativeNetwork;
import dev.vae.core.nn.VaeNetwork;
import dev.vae.core.scale.Scaler;
import dev.vae.core.scale.ScalingKind;
import dev.vae.onnx.LogScaleLink;
import dev.vae.onnx.OnnxMetadata;
import dev.vae.onnx.OnnxModelBytes;
import dev.vae.onnx.runtime.OnnxNetwork;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns an ONNX encoder/decoder pair into a {@link VaeModel} that the rest of the library scores, encodes, samples
 * and thresholds: either run by ONNX Runtime ({@link OnnxNetwork}) or converted into a native network when the
 * graphs are plain MLPs. Works for graphs this library exported (their metadata supplies likelihood, model type,
 * scaler, threshold and column names) and for graphs of other tools such as PyTorch's {@code torch.onnx.export}
 * (names by position unless given; see {@link OnnxImportOptions}).
 *
 * <p>Log-variances: a graph of ours keeps the link its metadata names (e.g. {@code gaussian}, s = 3 tanh(r / 3),
 * computed inside the decoder graph), so it scores exactly as the model it was exported from. A foreign decoder's
 * logvar output is taken as log sigma^2 itself: a {@code gaussian} or {@code gaussian-shared} given for it becomes
 * {@code gaussian:logvar-unbounded} ({@code gaussian-shared:logvar-unbounded}), so its scores are the foreign model's
 * own, with no clipping, whatever range its log-variances take. A Student-t decoder ({@code location},
 * {@code logscale2}) is read only from graphs of ours: its log-scale has only the bounded link, so a foreign decoder
 * is refused rather than clipped.
 *
 * <p>A likelihood's own parameters (e.g. {@code gaussian-shared}'s log-variances) convert to a native network from a
 * constant expanded to the rows, as this library exports them and PyTorch exports an {@code nn.Parameter}, or, in
 * graphs of builds before the likelihood owned them, from a decoder head whose weights are all 0 (its bias holds
 * the values; a non-zero weight is refused).
 *
 * <p>An input scaler {@code Div(Sub(x, offset), divisor)} at the start of the encoder (as this library's export
 * writes) is lifted out of the graph into the model's {@link Scaler}: for ONNX Runtime the graph's copy is set to
 * offset 0 and divisor 1, which computes x exactly, so the scaler is applied once, in Java, as for native models.
 */
public final class OnnxImporter {

    private OnnxImporter() {
    }

    /** Imports the two files. */
    public static VaeModel importModel(Path encoder, Path decoder, OnnxImportOptions options) throws IOException {
        return importModel(OnnxModelBytes.read(encoder), encoder.toString(), OnnxModelBytes.read(decoder),
                decoder.toString(), options);
    }

    /**
     * Imports two serialized graphs; the sources name them in errors.
     *
     * @throws ModelFormatException naming the file when a graph is malformed or hostile, lacks a named input or output,
     *                              or (native backend) is not a plain MLP
     */
    public static VaeModel importModel(byte[] encoder, String encoderSource, byte[] decoder, String decoderSource,
                                       OnnxImportOptions options) throws ModelFormatException {
        OnnxMl.ModelProto em = OnnxModelBytes.parse(encoder, encoderSource);
        OnnxMl.ModelProto dm = OnnxModelBytes.parse(decoder, decoderSource);
        OnnxMetadata meta;
        try {
            meta = OnnxMetadata.parse(metadata(em));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(encoderSource + ": " + e.getMessage(), e);
        }
        GraphIndex eg = new GraphIndex(em.getGraph(), encoderSource);
        GraphIndex dg = new GraphIndex(dm.getGraph(), decoderSource);

        OnnxMl.ValueInfoProto encIn = input(eg, options.encoderInput());
        int d = fixedWidth(encIn, encoderSource);
        OnnxMl.ValueInfoProto decIn = input(dg, options.decoderInput());
        int k = fixedWidth(decIn, decoderSource);

        List<String> encGraphOutputs = names(eg.graph.getOutputList());
        ModelType type = options.modelType() != null ? options.modelType()
                : meta != null ? meta.architecture().modelType()
                : encGraphOutputs.size() >= 2 ? ModelType.VAE : ModelType.AE;
        int encWanted = type == ModelType.VAE ? 2 : 1;
        List<String> encOuts = options.encoderOutputs() != null ? options.encoderOutputs()
                : byPosition(encGraphOutputs, encWanted, encoderSource, type.id() + " encoder (mu" + (encWanted == 2 ? ", logvar)" : ")"));
        if (encOuts.size() != encWanted) {
            throw new ModelFormatException(encoderSource + ": a " + type.id() + " encoder needs " + encWanted
                    + " outputs, got names " + encOuts);
        }
        checkOutputs(eg, encOuts, k, encoderSource);

        List<String> decGraphOutputs = names(dg.graph.getOutputList());
        Likelihood likelihood = options.likelihood() != null ? options.likelihood()
                : meta != null ? meta.architecture().likelihood()
                : guessLikelihood(decGraphOutputs, decoderSource);
        if (meta == null) {
            likelihood = foreign(likelihood, decoderSource);
        }
        int params = likelihood.parameterNames().size();
        List<String> decOuts = options.decoderOutputs() != null ? options.decoderOutputs()
                : byPosition(decGraphOutputs, params, decoderSource, likelihood.id() + " decoder " + likelihood.parameterNames());
        if (decOuts.size() != params) {
            throw new ModelFormatException(decoderSource + ": the " + likelihood.id() + " likelihood needs " + params
                    + " decoder outputs " + likelihood.parameterNames() + ", got names " + decOuts);
        }
        checkOutputs(dg, decOuts, d, decoderSource);

        MlpConverter.InputScaler inGraph = MlpConverter.inputScaler(eg, encIn.getName(), d);
        Scaler scaler;
        if (inGraph != null) {
            if (options.scaler() != null) {
                throw new ModelFormatException(encoderSource + ": the encoder already scales its input (x - offset) / divisor; "
                        + "do not give another scaler");
            }
            ScalingKind kind = meta != null ? meta.scaler().kind() : guessKind(inGraph);
            try {
                scaler = new Scaler(kind, inGraph.offset(), inGraph.divisor());
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(encoderSource + ": invalid input scaler in the graph: " + e.getMessage(), e);
            }
        } else {
            scaler = options.scaler() != null ? options.scaler() : Scaler.identity(d);
        }
        if (scaler.width() != d) {
            throw new ModelFormatException(encoderSource + ": the scaler has " + scaler.width() + " columns but the encoder takes "
                    + d + " features");
        }

        NativeNetwork converted = null;
        ModelFormatException notMlp = null;
        try {
            converted = convert(eg, encIn.getName(), inGraph, encOuts, dg, decIn.getName(), decOuts, d, k, likelihood,
                    type);
        } catch (ModelFormatException e) {
            notMlp = e;
        }
        VaeNetwork network;
        if (options.backend() == OnnxImportOptions.Backend.NATIVE) {
            if (converted == null) {
                throw notMlp;
            }
            network = converted;
        } else {
            Architecture arch = converted != null ? converted.architecture()
                    : architecture(d, k, likelihood, type, encoderSource);
            byte[] encBytes = inGraph == null ? encoder : neutralize(em, inGraph);
            network = new OnnxNetwork(arch, encBytes, decoder,
                    OnnxNetwork.settings(encIn.getName(), encOuts, decIn.getName(), decOuts));
        }
        List<String> names = options.featureNames() != null ? options.featureNames()
                : meta != null ? meta.featureNames() : VaeModel.defaultNames(d);
        try {
            VaeModel.Builder model = VaeModel.builder(network).scaler(scaler).featureNames(names)
                    .threshold(meta != null ? meta.threshold() : null)
                    .provenance("imported.encoder", encoderSource)
                    .provenance("imported.decoder", decoderSource)
                    .provenance("imported.producer", (em.getProducerName() + " " + em.getProducerVersion()).trim())
                    .provenance("imported.backend", network.backend());
            if (meta != null && meta.series() != null && options.featureNames() == null) {
                // A windowed model's export: the imported model scores series point by point as the original did.
                meta.series().toProperties().forEach(model::property);
            }
            return model.build();
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(encoderSource + ": " + e.getMessage(), e);
        }
    }

    private static Architecture architecture(int d, int k, Likelihood likelihood, ModelType type, String source)
            throws ModelFormatException {
        try {
            // The hidden layers of a graph that is not a plain MLP are unknown: listed empty, activation identity.
            return new Architecture(d, List.of(), k, List.of(), Activation.IDENTITY, likelihood, type);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source + ": " + e.getMessage(), e);
        }
    }

    private static NativeNetwork convert(GraphIndex eg, String encIn, MlpConverter.@Nullable InputScaler inGraph,
                                         List<String> encOuts, GraphIndex dg, String decIn, List<String> decOuts, int d,
                                         int k, Likelihood likelihood, ModelType type) throws ModelFormatException {
        String stop = inGraph != null ? inGraph.scaled() : encIn;
        List<MlpConverter.Chain> encHeads = new ArrayList<>();
        for (String o : encOuts) {
            encHeads.add(MlpConverter.trace(eg, o, stop));
        }
        // A parameter the likelihood owns (gaussian-shared's log-variances) is, in graphs of this library and in
        // PyTorch's usual export of an nn.Parameter, a constant expanded to the rows; in graphs of builds before the
        // likelihood owned it, a head of the decoder whose weights are all 0 (toNative converts those).
        List<MlpConverter.Chain> decHeads = new ArrayList<>();
        List<float[]> owned = new ArrayList<>();
        boolean heads = false;
        for (int p = 0; p < decOuts.size(); p++) {
            String tensor = decOuts.get(p);
            LearnedVarianceGaussian link = p == 1 ? LogScaleLink.of(likelihood) : null;
            if (link != null && link.isBounded()) {
                // Our graphs output s = B tanh(r / B); the native network holds r, the linear layer under the link.
                tensor = MlpConverter.logVarianceLinkInput(dg, tensor, link.bound());
            }
            boolean own = isOwned(likelihood, d, p);
            float[] constant = own ? MlpConverter.expandedConstant(dg, tensor, d) : null;
            if (constant != null) {
                owned.add(constant);
            } else {
                decHeads.add(MlpConverter.trace(dg, tensor, decIn));
                heads |= own;
            }
        }
        if (heads && !owned.isEmpty()) {
            throw new ModelFormatException(dg.source + ": the " + likelihood.id() + " likelihood's own parameters are "
                    + "partly constants and partly decoder heads: cannot convert to a native network");
        }
        return MlpConverter.toNative(MlpConverter.joinHeads(encHeads, eg.source, "encoder"),
                MlpConverter.joinHeads(decHeads, dg.source, "decoder"), owned, k, likelihood, type,
                eg.source + " + " + dg.source);
    }

    /**
     * Whether decoder output {@code p} (parameter p over all {@code d} features; a composite's blocks are not read
     * back) holds parameters the likelihood owns rather than values the decoder computes.
     */
    private static boolean isOwned(Likelihood likelihood, int d, int p) {
        return !(likelihood instanceof CompositeLikelihood) && likelihood.isOwnParameter(d, p * d);
    }

    /**
     * The likelihood of a graph written by another tool: a learned-variance Gaussian gets the unbounded link, because
     * such a decoder's logvar output is log sigma^2 itself (PyTorch's usual VAE), and its scores must be its own
     * whatever range those values take. A bound is this library's training-time parameterisation: an explicit
     * non-default one given for a foreign graph is refused rather than dropped. A Student-t, alone or as a composite
     * block, is refused: it has no unbounded link, so a foreign log-scale output beyond +-B would be clipped and the
     * scores would not be the foreign model's.
     */
    private static Likelihood foreign(Likelihood likelihood, String source) throws ModelFormatException {
        List<Likelihood> parts = likelihood instanceof CompositeLikelihood c
                ? c.blocks().stream().map(CompositeLikelihood.Block::likelihood).toList() : List.of(likelihood);
        for (Likelihood part : parts) {
            if (part instanceof StudentTLikelihood t) {
                String what = part == likelihood ? "the likelihood " + t.id()
                        : "the likelihood " + likelihood.id() + " (its " + t.id() + " block)";
                throw new ModelFormatException(source + ": " + what + " is imported only from graphs this library "
                        + "exported (with their metadata); "
                        + "this decoder has no metadata of ours, and its log-scale would be clipped to (-"
                        + LearnedVarianceGaussian.LOG_VARIANCE_BOUND + ", " + LearnedVarianceGaussian.LOG_VARIANCE_BOUND
                        + ") by the Student-t's link");
            }
        }
        if (!(likelihood instanceof LearnedVarianceGaussian g)) {
            return likelihood;
        }
        if (g.isBounded() && g.bound() != LearnedVarianceGaussian.LOG_VARIANCE_BOUND) {
            throw new ModelFormatException(source + ": the likelihood " + g.id() + " bounds the log-variance, but this "
                    + "decoder has no metadata of ours: a foreign decoder's logvar is log sigma^2 itself and is imported "
                    + "as " + g.withoutBound().id() + " (give that, or " + (g.sharedVariance() ? "gaussian-shared" : "gaussian")
                    + ")");
        }
        return g.withoutBound();
    }

    private static OnnxMl.ValueInfoProto input(GraphIndex g, @Nullable String name) throws ModelFormatException {
        List<OnnxMl.ValueInfoProto> inputs = g.inputs();
        if (name == null) {
            if (inputs.size() != 1) {
                throw new ModelFormatException(g.source + ": expected one input, found " + names(inputs) + "; name it");
            }
            return inputs.get(0);
        }
        for (OnnxMl.ValueInfoProto v : inputs) {
            if (v.getName().equals(name)) {
                return v;
            }
        }
        throw new ModelFormatException(g.source + ": has no input '" + name + "' (inputs: " + names(inputs) + ")");
    }

    private static int fixedWidth(OnnxMl.ValueInfoProto v, String source) throws ModelFormatException {
        if (GraphIndex.elementType(v) != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
            throw new ModelFormatException(source + ": input '" + v.getName() + "' is not float32");
        }
        long w = GraphIndex.width(v);
        if (w < 1 || w > Architecture.MAX_WIDTH) {
            throw new ModelFormatException(source + ": input '" + v.getName() + "' must be [batch, width] with a fixed width "
                    + "between 1 and " + Architecture.MAX_WIDTH + (w < 0 ? "" : " (found " + w + ")"));
        }
        return (int) w;
    }

    private static void checkOutputs(GraphIndex g, List<String> wanted, int width, String source) throws ModelFormatException {
        for (String name : wanted) {
            OnnxMl.ValueInfoProto found = null;
            for (OnnxMl.ValueInfoProto v : g.graph.getOutputList()) {
                if (v.getName().equals(name)) {
                    found = v;
                }
            }
            if (found == null) {
                throw new ModelFormatException(source + ": has no output '" + name + "' (outputs: "
                        + names(g.graph.getOutputList()) + ")");
            }
            long w = GraphIndex.width(found);
            if (w > 0 && w != width) {
                throw new ModelFormatException(source + ": output '" + name + "' has width " + w + ", expected " + width);
            }
        }
    }

    private static List<String> byPosition(List<String> outputs, int n, String source, String what)
            throws ModelFormatException {
        if (outputs.size() < n) {
            throw new ModelFormatException(source + ": a " + what + " needs " + n + " outputs, the graph has " + outputs);
        }
        return List.copyOf(outputs.subList(0, n));
    }

    private static Likelihood guessLikelihood(List<String> decoderOutputs, String source) throws ModelFormatException {
        if (!decoderOutputs.isEmpty() && decoderOutputs.get(0).toLowerCase(Locale.ROOT).contains("logit")) {
            return BernoulliLikelihood.INSTANCE;
        }
        throw new ModelFormatException(source + ": cannot tell the decoder's likelihood from its outputs " + decoderOutputs
                + "; give it (bernoulli, gaussian or gaussian-fixed)");
    }

    private static ScalingKind guessKind(MlpConverter.InputScaler s) {
        for (int j = 1; j < s.offset().length; j++) {
            if (s.offset()[j] != s.offset()[0] || s.divisor()[j] != s.divisor()[0]) {
                return ScalingKind.STANDARDIZE;
            }
        }
        return ScalingKind.MIN_MAX;
    }

    /** The model's {@code metadata_props} as a map. */
    private static Map<String, String> metadata(OnnxMl.ModelProto model) {
        Map<String, String> m = new LinkedHashMap<>();
        for (OnnxMl.StringStringEntryProto e : model.getMetadataPropsList()) {
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }

    private static List<String> names(List<OnnxMl.ValueInfoProto> values) {
        List<String> out = new ArrayList<>();
        for (OnnxMl.ValueInfoProto v : values) {
            out.add(v.getName());
        }
        return out;
    }

    /** The encoder with its in-graph scaler set to offset 0 and divisor 1, so that it computes (x - 0) / 1 = x exactly. */
    private static byte[] neutralize(OnnxMl.ModelProto model, MlpConverter.InputScaler s) {
        OnnxMl.GraphProto.Builder g = model.getGraph().toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            OnnxMl.TensorProto t = g.getInitializer(i);
            if (t.getName().equals(s.offsetTensor()) || t.getName().equals(s.divisorTensor())) {
                g.setInitializer(i, filled(t, t.getName().equals(s.offsetTensor()) ? 0f : 1f));
            }
        }
        for (int i = 0; i < g.getNodeCount(); i++) {
            OnnxMl.NodeProto n = g.getNode(i);
            if (n.getOpType().equals("Constant") && n.getOutputCount() == 1
                    && (n.getOutput(0).equals(s.offsetTensor()) || n.getOutput(0).equals(s.divisorTensor()))) {
                float v = n.getOutput(0).equals(s.offsetTensor()) ? 0f : 1f;
                OnnxMl.NodeProto.Builder nb = n.toBuilder();
                for (int a = 0; a < nb.getAttributeCount(); a++) {
                    if (nb.getAttribute(a).hasT()) {
                        nb.setAttribute(a, nb.getAttribute(a).toBuilder().setT(filled(nb.getAttribute(a).getT(), v)));
                    }
                }
                g.setNode(i, nb);
            }
        }
        return model.toBuilder().setGraph(g).build().toByteArray();
    }

    private static OnnxMl.TensorProto filled(OnnxMl.TensorProto t, float value) {
        long count = 1;
        for (long dim : t.getDimsList()) {
            count *= dim;
        }
        ByteBuffer b = ByteBuffer.allocate((int) count * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < count; i++) {
            b.putFloat(value);
        }
        return t.toBuilder().clearFloatData().setRawData(ByteString.copyFrom(b.array())).build();
    }
}
