package dev.vae.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.vae.core.io.ModelFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Reads and checks ONNX files before anything else touches them. A hostile or malformed file gets a
 * {@link ModelFormatException} naming it: too large, not a protobuf ONNX model, no graph, tensors stored outside
 * the file, operators from a non-standard domain, random-number operators (scores must be deterministic) or
 * control flow with sub-graphs. Sizes are checked before bytes are read, and protobuf never allocates more than
 * the bytes it was given. Public for the import and runtime packages, which both check every graph here first; its
 * {@link #parse} is the one public signature of this module that holds a protobuf type.
 */
public final class OnnxModelBytes {

    /** Largest ONNX file accepted (256 MiB), so that a model file holding two of them stays within its own limit. */
    public static final long MAX_BYTES = 256L << 20;

    /** Operators refused whatever the backend: they draw random numbers or run sub-graphs. */
    private static final Set<String> REFUSED = Set.of("RandomNormal", "RandomNormalLike", "RandomUniform",
            "RandomUniformLike", "Multinomial", "Bernoulli", "Dropout", "Loop", "If", "Scan");

    private OnnxModelBytes() {
    }

    /** Reads the file at {@code path}, refusing one larger than {@link #MAX_BYTES} before reading it. */
    public static byte[] read(Path path) throws IOException {
        long size = Files.size(path);
        if (size > MAX_BYTES) {
            throw new ModelFormatException(path + ": " + size + " bytes is larger than an ONNX file may be here ("
                    + MAX_BYTES + ")");
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new ModelFormatException(path + ": larger than an ONNX file may be here (" + MAX_BYTES + " bytes)");
            }
            return bytes;
        }
    }

    /**
     * Parses and checks ONNX bytes; {@code source} names them in errors.
     *
     * @throws ModelFormatException naming {@code source} when the bytes are too many, not an ONNX model, or hostile
     */
    public static OnnxMl.ModelProto parse(byte[] bytes, String source) throws ModelFormatException {
        if (bytes.length > MAX_BYTES) {
            throw new ModelFormatException(source + ": " + bytes.length + " bytes is larger than an ONNX file may be here ("
                    + MAX_BYTES + ")");
        }
        if (bytes.length == 0) {
            throw new ModelFormatException(source + ": empty file, not an ONNX model");
        }
        OnnxMl.ModelProto model;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setRecursionLimit(32);
            model = OnnxMl.ModelProto.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelFormatException(source + ": not an ONNX model (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new ModelFormatException(source + ": cannot parse the ONNX model (" + e.getMessage() + ")", e);
        }
        check(model, source);
        return model;
    }

    private static void check(OnnxMl.ModelProto model, String source) throws ModelFormatException {
        if (model.getIrVersion() < 3 || !model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw new ModelFormatException(source + ": not an ONNX model (no IR version or no graph nodes)");
        }
        if (model.getFunctionsCount() > 0) {
            throw new ModelFormatException(source + ": ONNX model-local functions are not supported");
        }
        OnnxMl.GraphProto g = model.getGraph();
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            String domain = n.getDomain();
            if (!domain.isEmpty() && !domain.equals("ai.onnx")) {
                throw new ModelFormatException(source + ": unsupported operator '" + domain + ":" + n.getOpType()
                        + "' (node '" + n.getName() + "'): only the standard ONNX domain is accepted");
            }
            if (REFUSED.contains(n.getOpType())) {
                throw new ModelFormatException(source + ": unsupported operator '" + n.getOpType() + "' (node '"
                        + n.getName() + "'): random or control-flow operators would make scores non-deterministic "
                        + "or are not handled");
            }
            for (OnnxMl.AttributeProto a : n.getAttributeList()) {
                if (a.hasG() || a.getGraphsCount() > 0) {
                    throw new ModelFormatException(source + ": node '" + n.getName() + "' (" + n.getOpType()
                            + ") holds a sub-graph, which is not supported");
                }
            }
        }
        for (OnnxMl.TensorProto t : g.getInitializerList()) {
            if (t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
                throw new ModelFormatException(source + ": tensor '" + t.getName()
                        + "' is stored in an external file; embed the weights in the ONNX file");
            }
        }
    }

}
