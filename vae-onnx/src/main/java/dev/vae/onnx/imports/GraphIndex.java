package dev.vae.onnx.imports;

import ai.onnx.proto.OnnxMl;
import dev.vae.core.io.ModelFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Lookup tables over one ONNX graph: which node produces each tensor, which tensors are constants (initializers or
 * {@code Constant} nodes), and the graph's real inputs (those that are not initializers).
 */
final class GraphIndex {

    /** Largest tensor read into Java (2^28 floats, 1 GiB), far above any MLP a model file can hold. */
    private static final long MAX_ELEMENTS = 1L << 28;

    final OnnxMl.GraphProto graph;
    final String source;
    private final Map<String, OnnxMl.NodeProto> producers = new HashMap<>();
    private final Map<String, OnnxMl.TensorProto> constants = new HashMap<>();
    private final List<OnnxMl.ValueInfoProto> inputs = new ArrayList<>();

    GraphIndex(OnnxMl.GraphProto graph, String source) {
        this.graph = graph;
        this.source = source;
        for (OnnxMl.TensorProto t : graph.getInitializerList()) {
            constants.put(t.getName(), t);
        }
        for (OnnxMl.NodeProto n : graph.getNodeList()) {
            for (String out : n.getOutputList()) {
                producers.put(out, n);
            }
            if (n.getOpType().equals("Constant") && n.getOutputCount() == 1) {
                for (OnnxMl.AttributeProto a : n.getAttributeList()) {
                    if (a.getName().equals("value") && a.hasT()) {
                        constants.put(n.getOutput(0), a.getT());
                    }
                }
            }
        }
        Set<String> seen = new HashSet<>();
        for (OnnxMl.ValueInfoProto v : graph.getInputList()) {
            if (!constants.containsKey(v.getName()) && seen.add(v.getName())) {
                inputs.add(v);
            }
        }
    }

    /** The graph inputs that are not initializers. */
    List<OnnxMl.ValueInfoProto> inputs() {
        return inputs;
    }

    /** The node producing {@code tensor}, or null for graph inputs and constants. */
    OnnxMl.@Nullable NodeProto producer(String tensor) {
        return producers.get(tensor);
    }

    /** Whether {@code tensor} is a constant. */
    boolean isConstant(String tensor) {
        return constants.containsKey(tensor);
    }

    /** Follows Identity nodes back to the tensor they copy. */
    String skipIdentity(String tensor) {
        String cur = tensor;
        for (int guard = 0; guard < 1000; guard++) {
            OnnxMl.NodeProto n = producers.get(cur);
            if (n == null || !n.getOpType().equals("Identity")) {
                return cur;
            }
            cur = n.getInput(0);
        }
        return cur;
    }

    /** The dimensions of a constant, checked to be non-negative with a bounded element count. */
    long[] dims(String tensor) throws ModelFormatException {
        OnnxMl.TensorProto t = constant(tensor);
        long[] dims = new long[t.getDimsCount()];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            dims[i] = t.getDims(i);
            if (dims[i] < 0 || dims[i] > MAX_ELEMENTS) {
                throw new ModelFormatException(source + ": tensor '" + tensor + "' has an invalid dimension " + dims[i]);
            }
            count *= Math.max(dims[i], 1);
            if (count > MAX_ELEMENTS) {
                throw new ModelFormatException(source + ": tensor '" + tensor + "' is too large (" + count + "+ elements)");
            }
        }
        return dims;
    }

    /**
     * The float32 values of a constant, after checking that the data present matches the element count the
     * dimensions declare (so a hostile header cannot make us allocate more than the file holds).
     */
    float[] floats(String tensor) throws ModelFormatException {
        OnnxMl.TensorProto t = constant(tensor);
        if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
            throw new ModelFormatException(source + ": tensor '" + tensor + "' has element type " + t.getDataType()
                    + ", expected float32");
        }
        long[] dims = dims(tensor);
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        if (!t.getRawData().isEmpty()) {
            if (t.getRawData().size() != count * 4) {
                throw new ModelFormatException(source + ": tensor '" + tensor + "' declares " + count + " values but holds "
                        + t.getRawData().size() + " bytes");
            }
            float[] out = new float[(int) count];
            ByteBuffer.wrap(t.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        }
        if (t.getFloatDataCount() != count) {
            throw new ModelFormatException(source + ": tensor '" + tensor + "' declares " + count + " values but holds "
                    + t.getFloatDataCount());
        }
        float[] out = new float[(int) count];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.getFloatData(i);
        }
        return out;
    }

    private OnnxMl.TensorProto constant(String tensor) throws ModelFormatException {
        OnnxMl.TensorProto t = constants.get(tensor);
        if (t == null) {
            throw new ModelFormatException(source + ": tensor '" + tensor + "' is not a constant");
        }
        return t;
    }

    /** The name of the op type of a node, for messages. */
    static String describe(OnnxMl.NodeProto n) {
        return "'" + n.getOpType() + "'" + (n.getName().isEmpty() ? "" : " (node '" + n.getName() + "')");
    }

    /** An integer attribute of a node, or {@code dflt}. */
    static long intAttribute(OnnxMl.NodeProto n, String name, long dflt) {
        for (OnnxMl.AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getI();
            }
        }
        return dflt;
    }

    /** A float attribute of a node, or {@code dflt}. */
    static float floatAttribute(OnnxMl.NodeProto n, String name, float dflt) {
        for (OnnxMl.AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getF();
            }
        }
        return dflt;
    }

    /**
     * The fixed width (second dimension) a value info declares, or -1 when it is unknown or the tensor is not
     * [batch, width].
     */
    static long width(OnnxMl.ValueInfoProto v) {
        if (!v.getType().hasTensorType() || !v.getType().getTensorType().hasShape()) {
            return -1;
        }
        OnnxMl.TensorShapeProto s = v.getType().getTensorType().getShape();
        if (s.getDimCount() != 2 || !s.getDim(1).hasDimValue()) {
            return -1;
        }
        return s.getDim(1).getDimValue();
    }

    /** The element type a value info declares (0 when unknown). */
    static int elementType(OnnxMl.ValueInfoProto v) {
        return v.getType().hasTensorType() ? v.getType().getTensorType().getElemType() : 0;
    }
}
