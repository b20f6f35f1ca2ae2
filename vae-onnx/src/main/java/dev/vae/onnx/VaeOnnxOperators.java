package dev.vae.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;

/**
 * The ONNX operators the exported graphs use, at opset {@value #OPSET} of the default domain. Tribuo's own
 * {@code ONNXOperators} lacks Relu, Tanh, Exp, Log, MatMul and others; this enum plugs them into its graph builder
 * through the {@link ONNXOperator} interface. Signatures follow the ONNX operator specification at opset 13
 * (where ReduceSum, Split, Slice and Clip take their axes, splits and bounds as inputs, not attributes).
 */
public enum VaeOnnxOperators implements ONNXOperator {
    /** Element-wise max(0, x). */
    RELU("Relu", 1, 0, 1),
    /** Element-wise tanh. */
    TANH("Tanh", 1, 0, 1),
    /** Element-wise logistic function. */
    SIGMOID("Sigmoid", 1, 0, 1),
    /** Element-wise e^x. */
    EXP("Exp", 1, 0, 1),
    /** Element-wise natural logarithm. */
    LOG("Log", 1, 0, 1),
    /** Element-wise log(1 + e^x). */
    SOFTPLUS("Softplus", 1, 0, 1),
    /** Element-wise absolute value. */
    ABS("Abs", 1, 0, 1),
    /** Element-wise negation. */
    NEG("Neg", 1, 0, 1),
    /** Copies its input. */
    IDENTITY("Identity", 1, 0, 1),
    /** Broadcasting addition. */
    ADD("Add", 2, 0, 1),
    /** Broadcasting subtraction. */
    SUB("Sub", 2, 0, 1),
    /** Broadcasting multiplication. */
    MUL("Mul", 2, 0, 1),
    /** Broadcasting division. */
    DIV("Div", 2, 0, 1),
    /** Matrix product with numpy broadcasting. */
    MATMUL("MatMul", 2, 0, 1),
    /** General matrix product {@code alpha * A' B' + beta * C}. */
    GEMM("Gemm", 2, 1, 1, attr("alpha", AttributeType.FLOAT), attr("beta", AttributeType.FLOAT),
            attr("transA", AttributeType.INT), attr("transB", AttributeType.INT)),
    /** Sum over the axes given as the second input. */
    REDUCE_SUM("ReduceSum", 1, 1, 1, attr("keepdims", AttributeType.INT),
            attr("noop_with_empty_axes", AttributeType.INT)),
    /** Clips to the bounds given as optional second and third inputs. */
    CLIP("Clip", 1, 2, 1),
    /** Element-wise a > b, a boolean tensor. */
    GREATER("Greater", 2, 0, 1),
    /** Splits into two parts along an axis, part sizes given as the second input. */
    SPLIT2("Split", 1, 1, 2, attr("axis", AttributeType.INT)),
    /** A slice given by starts, ends, axes and steps inputs. */
    SLICE("Slice", 3, 2, 1),
    /** The shape of a tensor, as int64. */
    SHAPE("Shape", 1, 0, 1),
    /** Broadcasts the first input to the shape given as the second. */
    EXPAND("Expand", 2, 0, 1),
    /** Converts the element type. */
    CAST("Cast", 1, 0, 1, attr("to", AttributeType.INT));

    /** The opset version of the default domain the exported graphs import. */
    public static final int OPSET = 13;

    private final String opName;
    private final int inputs;
    private final int optionalInputs;
    private final int outputs;
    private final Map<String, ONNXAttribute> attributes;

    VaeOnnxOperators(String opName, int inputs, int optionalInputs, int outputs, ONNXAttribute... attributes) {
        this.opName = opName;
        this.inputs = inputs;
        this.optionalInputs = optionalInputs;
        this.outputs = outputs;
        Map<String, ONNXAttribute> m = new LinkedHashMap<>();
        for (ONNXAttribute a : attributes) {
            m.put(a.getName(), a);
        }
        this.attributes = Collections.unmodifiableMap(m);
    }

    private static ONNXAttribute attr(String name, AttributeType type) {
        return new ONNXAttribute(name, type, false);
    }

    /** The ONNX operator type, e.g. {@code Relu}. */
    @Override
    public String getOpName() {
        return opName;
    }

    /** The number of required inputs. */
    @Override
    public int getNumInputs() {
        return inputs;
    }

    /** The number of optional inputs. */
    @Override
    public int getNumOptionalInputs() {
        return optionalInputs;
    }

    /** The number of outputs. */
    @Override
    public int getNumOutputs() {
        return outputs;
    }

    /** The attributes the operator accepts, by name. */
    @Override
    public Map<String, ONNXAttribute> getAttributes() {
        return attributes;
    }

    /** The attributes a node must set: none of the operators here has a mandatory attribute. */
    @Override
    public Set<String> getMandatoryAttributeNames() {
        return attributes.values().stream().filter(ONNXAttribute::isMandatory).map(ONNXAttribute::getName)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** {@value #OPSET}. */
    @Override
    public int getOpVersion() {
        return OPSET;
    }

    /** The default ONNX domain, the empty string. */
    @Override
    public String getOpDomain() {
        return "";
    }
}
