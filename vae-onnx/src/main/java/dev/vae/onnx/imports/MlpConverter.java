package dev.vae.onnx.imports;

import ai.onnx.proto.OnnxMl;
import dev.vae.core.nn.Architecture;
import dev.vae.core.nn.ModelType;
import dev.vae.core.io.ModelFormatException;
import dev.vae.core.kernel.Kernels;
import dev.vae.core.likelihood.Likelihood;
import dev.vae.core.nn.Activation;
import dev.vae.core.nn.NativeNetwork;
import dev.vae.core.nn.VaeObjective;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Converts plain MLP graphs into the native layout: each path from an output back to the input must be a chain
 * of linear layers ({@code Gemm}, or {@code MatMul} followed by {@code Add}, or a bare {@code MatMul}) separated by
 * {@code Relu}, {@code Tanh} or {@code Sigmoid}, optionally preceded by the input scaler {@code Div(Sub(x, offset),
 * divisor)} that this library's export puts first. Heads that share a trunk (mu and logvar; mean and log-variance)
 * become the column blocks of one last layer, in the library's order. Weights are copied into {@link DenseStack}'s
 * layout, [in x out] row-major then bias; Gemm's {@code transB}, {@code alpha} and {@code beta} are folded in.
 * Anything else is refused with the name of the operator that stopped the conversion.
 */
final class MlpConverter {

    /** One linear layer: {@code y = x W + b} with W [in x out] row-major; {@code input} is the tensor it reads. */
    record Linear(int in, int out, float[] weight, float[] bias, String input) {
    }

    /** A chain of linear layers, input side first, with the activations between consecutive layers. */
    record Chain(List<Linear> layers, List<Activation> activations) {
        Linear last() {
            return layers.get(layers.size() - 1);
        }
    }

    /** The scaler found at a graph's input: {@code Div(Sub(x, offset), divisor)}, producing {@code scaled}. */
    record InputScaler(String offsetTensor, String divisorTensor, float[] offset, float[] divisor, String scaled) {
    }

    private MlpConverter() {
    }

    /** The input scaler at the start of the graph, or null when the input is used unscaled. */
    static @Nullable InputScaler inputScaler(GraphIndex g, String input, int width) throws ModelFormatException {
        OnnxMl.NodeProto sub = null;
        for (OnnxMl.NodeProto n : g.graph.getNodeList()) {
            if (n.getInputCount() > 0 && n.getInput(0).equals(input)) {
                if (sub != null || !n.getOpType().equals("Sub")) {
                    return null;
                }
                sub = n;
            }
        }
        if (sub == null || sub.getInputCount() != 2 || !g.isConstant(sub.getInput(1))) {
            return null;
        }
        OnnxMl.NodeProto div = null;
        for (OnnxMl.NodeProto n : g.graph.getNodeList()) {
            if (n.getInputCount() > 0 && n.getInput(0).equals(sub.getOutput(0))) {
                if (div != null || !n.getOpType().equals("Div")) {
                    return null;
                }
                div = n;
            }
        }
        if (div == null || div.getInputCount() != 2 || !g.isConstant(div.getInput(1))) {
            return null;
        }
        float[] offset = broadcastRow(g, sub.getInput(1), width);
        float[] divisor = broadcastRow(g, div.getInput(1), width);
        return new InputScaler(sub.getInput(1), div.getInput(1), offset, divisor, div.getOutput(0));
    }

    /**
     * Traces {@code output} back to {@code stop} (the input, or the scaler's output).
     *
     * @throws ModelFormatException naming the operator when the path is not a plain MLP
     */
    static Chain trace(GraphIndex g, String output, String stop) throws ModelFormatException {
        List<Linear> layers = new ArrayList<>();
        List<Activation> activations = new ArrayList<>();
        Activation pending = null;
        String cur = g.skipIdentity(output);
        while (!cur.equals(stop)) {
            OnnxMl.NodeProto n = g.producer(cur);
            if (n == null) {
                throw new ModelFormatException(g.source + ": tensor '" + cur + "' is neither computed by a node nor the "
                        + "input '" + stop + "': cannot convert to a native network");
            }
            Activation act = activation(n.getOpType());
            if (act != null) {
                if (layers.isEmpty()) {
                    throw new ModelFormatException(g.source + ": output '" + output + "' passes through " + n.getOpType()
                            + "; the native network needs the raw parameters straight from a linear layer "
                            + "(for Bernoulli, name the logits output)");
                }
                if (pending != null) {
                    throw new ModelFormatException(g.source + ": two activations in a row at " + GraphIndex.describe(n)
                            + ": cannot convert to a native network");
                }
                pending = act;
                cur = g.skipIdentity(n.getInput(0));
                continue;
            }
            Linear linear = linear(g, n);
            if (linear == null) {
                throw new ModelFormatException(g.source + ": unsupported operator " + GraphIndex.describe(n)
                        + " for native conversion (supported: Gemm, MatMul, Add, Relu, Tanh, Sigmoid, Identity); "
                        + "use the onnx backend");
            }
            if (!layers.isEmpty()) {
                activations.add(pending == null ? Activation.IDENTITY : pending);
                if (layers.get(layers.size() - 1).in() != linear.out()) {
                    throw new ModelFormatException(g.source + ": layer widths do not chain at " + GraphIndex.describe(n));
                }
            }
            pending = null;
            layers.add(linear);
            cur = g.skipIdentity(linear.input());
        }
        if (pending != null) {
            throw new ModelFormatException(g.source + ": an activation is applied to the input itself: cannot convert");
        }
        if (layers.isEmpty()) {
            throw new ModelFormatException(g.source + ": output '" + output + "' is the input itself: no layers to convert");
        }
        Collections.reverse(layers);
        Collections.reverse(activations);
        return new Chain(layers, activations);
    }

    /**
     * For {@code s = B tanh(r / B)} (a bounded learned-variance or Student-t log-scale link, as this library exports
     * it), the tensor r; otherwise an error. Decoders with the unbounded link output s = r from a linear layer and
     * need no unwrapping.
     */
    static String logVarianceLinkInput(GraphIndex g, String output, double bound) throws ModelFormatException {
        String cur = g.skipIdentity(output);
        OnnxMl.NodeProto mul = g.producer(cur);
        String refusal = g.source + ": native conversion of a gaussian or student-t decoder needs its log-scale = " + bound
                + " tanh(r / " + bound + ") of a linear layer r (this library's link); output '" + output
                + "' is computed differently: use the onnx backend";
        if (mul == null || !mul.getOpType().equals("Mul") || mul.getInputCount() != 2) {
            throw new ModelFormatException(refusal);
        }
        int c = g.isConstant(mul.getInput(1)) ? 1 : 0;
        if (!isScalar(g, mul.getInput(c), bound)) {
            throw new ModelFormatException(refusal);
        }
        OnnxMl.NodeProto tanh = g.producer(g.skipIdentity(mul.getInput(1 - c)));
        if (tanh == null || !tanh.getOpType().equals("Tanh")) {
            throw new ModelFormatException(refusal);
        }
        OnnxMl.NodeProto div = g.producer(g.skipIdentity(tanh.getInput(0)));
        if (div == null || !div.getOpType().equals("Div") || !isScalar(g, div.getInput(1), bound)) {
            throw new ModelFormatException(refusal);
        }
        return div.getInput(0);
    }

    private static boolean isScalar(GraphIndex g, String tensor, double value) throws ModelFormatException {
        if (!g.isConstant(tensor)) {
            return false;
        }
        float[] v = g.floats(tensor);
        return v.length == 1 && v[0] == (float) value;
    }

    /**
     * Joins heads that share their trunk (all layers but the last) into one chain whose last layer holds the heads'
     * columns side by side, in the given order.
     */
    static Chain joinHeads(List<Chain> heads, String source, String what) throws ModelFormatException {
        Chain first = heads.get(0);
        int outs = 0;
        for (Chain h : heads) {
            if (h.layers().size() != first.layers().size() || !h.last().input().equals(first.last().input())
                    || h.last().in() != first.last().in()) {
                throw new ModelFormatException(source + ": the " + what + " outputs do not share one trunk of layers: "
                        + "cannot convert to a native network");
            }
            outs += h.last().out();
        }
        int in = first.last().in();
        float[] w = new float[Math.multiplyExact(in, outs)];
        float[] b = new float[outs];
        int col = 0;
        for (Chain h : heads) {
            Linear l = h.last();
            for (int i = 0; i < in; i++) {
                System.arraycopy(l.weight(), i * l.out(), w, i * outs + col, l.out());
            }
            System.arraycopy(l.bias(), 0, b, col, l.out());
            col += l.out();
        }
        List<Linear> layers = new ArrayList<>(first.layers().subList(0, first.layers().size() - 1));
        layers.add(new Linear(in, outs, w, b, first.last().input()));
        return new Chain(layers, first.activations());
    }

    /**
     * The row of {@code width} values that {@code output} repeats in every row: {@code Expand(c, shape)} of a constant
     * c (how this library exports a likelihood's own parameters, and how PyTorch exports an {@code nn.Parameter}
     * expanded to the batch) or the constant itself; null when {@code output} is computed otherwise.
     */
    static float @Nullable [] expandedConstant(GraphIndex g, String output, int width) throws ModelFormatException {
        String cur = g.skipIdentity(output);
        OnnxMl.NodeProto n = g.producer(cur);
        if (n != null && n.getOpType().equals("Expand") && n.getInputCount() == 2) {
            cur = g.skipIdentity(n.getInput(0));
        }
        return g.isConstant(cur) ? broadcastRow(g, cur, width) : null;
    }

    /**
     * Builds the native network from an encoder chain, a decoder chain and the likelihood's own parameters, one
     * array per parameter head in order ({@code owned}: constants of the graph). When {@code owned} is empty but the
     * likelihood owns parameters, the decoder chain must hold them as heads whose weights are all 0, as graphs of
     * builds before the likelihood owned them did: their biases are the values
     * ({@link VaeObjective#fromSharedOutputLayout}), and a non-zero weight is refused.
     */
    static NativeNetwork toNative(Chain encoder, Chain decoder, List<float[]> owned, int latent, Likelihood likelihood,
                                  ModelType type, String source) throws ModelFormatException {
        List<Activation> acts = new ArrayList<>(encoder.activations());
        acts.addAll(decoder.activations());
        Activation act = acts.isEmpty() ? Activation.IDENTITY : acts.get(0);
        for (Activation a : acts) {
            if (a != act) {
                throw new ModelFormatException(source + ": hidden layers use different activations (" + act.id() + " and "
                        + a.id() + "); the native network has one activation for every hidden layer");
            }
        }
        List<Integer> encHidden = new ArrayList<>();
        for (int l = 1; l < encoder.layers().size(); l++) {
            encHidden.add(encoder.layers().get(l).in());
        }
        List<Integer> decHidden = new ArrayList<>();
        for (int l = 1; l < decoder.layers().size(); l++) {
            decHidden.add(decoder.layers().get(l).in());
        }
        int d = encoder.layers().get(0).in();
        Architecture arch;
        try {
            arch = new Architecture(d, encHidden, latent, decHidden, act, likelihood, type);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source + ": " + e.getMessage(), e);
        }
        // Without constants, own parameters come as zero-weight decoder heads: the decoder then has every raw column.
        boolean asHeads = owned.isEmpty() && arch.likelihoodParameterCount() > 0;
        int decoderOut = asHeads ? arch.decoderOutputDim() : arch.decoderOutputDim() - arch.likelihoodParameterCount();
        if (encoder.last().out() != arch.encoderOutputDim() || decoder.layers().get(0).in() != latent
                || decoder.last().out() != decoderOut) {
            throw new ModelFormatException(source + ": layer widths do not fit a " + arch.describe() + " (encoder output "
                    + encoder.last().out() + ", expected " + arch.encoderOutputDim() + "; decoder " + decoder.layers().get(0).in()
                    + " -> " + decoder.last().out() + ", expected " + latent + " -> " + decoderOut + ")");
        }
        int ownValues = owned.stream().mapToInt(v -> v.length).sum();
        if (!asHeads && ownValues != arch.likelihoodParameterCount()) {
            throw new ModelFormatException(source + ": the " + likelihood.id() + " likelihood owns "
                    + arch.likelihoodParameterCount() + " parameters, the graph's constants hold " + ownValues);
        }
        VaeObjective objective = new VaeObjective(arch, Kernels.best());
        float[] params = new float[asHeads ? objective.sharedOutputLayoutParameterCount() : objective.parameterCount()];
        // DenseStack's layout is each layer's weights then its bias, layer after layer, the own parameters last.
        int at = copy(encoder, params, 0);
        at = copy(decoder, params, at);
        for (float[] values : owned) {
            System.arraycopy(values, 0, params, at, values.length);
            at += values.length;
        }
        try {
            return new NativeNetwork(objective, asHeads ? objective.fromSharedOutputLayout(params, "Parameter") : params);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source + ": " + e.getMessage(), e);
        }
    }

    /** Copies the chain's layers into {@code params} from {@code at}, weights then bias each; returns where it ended. */
    private static int copy(Chain chain, float[] params, int at) {
        for (Linear layer : chain.layers()) {
            System.arraycopy(layer.weight(), 0, params, at, layer.weight().length);
            at += layer.weight().length;
            System.arraycopy(layer.bias(), 0, params, at, layer.bias().length);
            at += layer.bias().length;
        }
        return at;
    }

    private static @Nullable Activation activation(String opType) {
        return switch (opType) {
            case "Relu" -> Activation.RELU;
            case "Tanh" -> Activation.TANH;
            case "Sigmoid" -> Activation.SIGMOID;
            default -> null;
        };
    }

    /** The linear layer a node computes (Gemm, MatMul + Add, MatMul), or null when it is none of these. */
    private static @Nullable Linear linear(GraphIndex g, OnnxMl.NodeProto n) throws ModelFormatException {
        switch (n.getOpType()) {
            case "Gemm" -> {
                if (n.getInputCount() < 2 || !g.isConstant(n.getInput(1))) {
                    return null;
                }
                if (GraphIndex.intAttribute(n, "transA", 0) != 0) {
                    throw new ModelFormatException(g.source + ": Gemm with transA=1 " + GraphIndex.describe(n)
                            + " is not a plain dense layer");
                }
                boolean transB = GraphIndex.intAttribute(n, "transB", 0) != 0;
                float alpha = GraphIndex.floatAttribute(n, "alpha", 1f);
                float beta = GraphIndex.floatAttribute(n, "beta", 1f);
                long[] dims = g.dims(n.getInput(1));
                if (dims.length != 2) {
                    throw new ModelFormatException(g.source + ": Gemm weight '" + n.getInput(1) + "' is not a matrix");
                }
                int in = (int) (transB ? dims[1] : dims[0]);
                int out = (int) (transB ? dims[0] : dims[1]);
                float[] raw = g.floats(n.getInput(1));
                float[] w = new float[raw.length];
                for (int i = 0; i < in; i++) {
                    for (int j = 0; j < out; j++) {
                        w[i * out + j] = alpha * (transB ? raw[j * in + i] : raw[i * out + j]);
                    }
                }
                float[] b = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? broadcastRow(g, n.getInput(2), out) : new float[out];
                for (int j = 0; j < out; j++) {
                    b[j] *= beta;
                }
                return new Linear(in, out, w, b, n.getInput(0));
            }
            case "MatMul" -> {
                return matMul(g, n, null);
            }
            case "Add" -> {
                if (n.getInputCount() != 2) {
                    return null;
                }
                int c = g.isConstant(n.getInput(1)) ? 1 : g.isConstant(n.getInput(0)) ? 0 : -1;
                if (c < 0) {
                    return null;
                }
                OnnxMl.NodeProto mm = g.producer(g.skipIdentity(n.getInput(1 - c)));
                if (mm == null || !mm.getOpType().equals("MatMul")) {
                    return null;
                }
                return matMul(g, mm, n.getInput(c));
            }
            default -> {
                return null;
            }
        }
    }

    private static @Nullable Linear matMul(GraphIndex g, OnnxMl.NodeProto n, @Nullable String bias) throws ModelFormatException {
        if (n.getInputCount() != 2 || !g.isConstant(n.getInput(1))) {
            return null;
        }
        long[] dims = g.dims(n.getInput(1));
        if (dims.length != 2) {
            throw new ModelFormatException(g.source + ": MatMul weight '" + n.getInput(1) + "' is not a matrix");
        }
        int in = (int) dims[0];
        int out = (int) dims[1];
        float[] b = bias == null ? new float[out] : broadcastRow(g, bias, out);
        return new Linear(in, out, g.floats(n.getInput(1)), b, n.getInput(0));
    }

    /** A constant of shape [], [1], [w] or [1, w] as a row of {@code w} values. */
    private static float[] broadcastRow(GraphIndex g, String tensor, int w) throws ModelFormatException {
        float[] v = g.floats(tensor);
        if (v.length == w) {
            return v;
        }
        if (v.length == 1) {
            float[] out = new float[w];
            java.util.Arrays.fill(out, v[0]);
            return out;
        }
        throw new ModelFormatException(g.source + ": constant '" + tensor + "' has " + v.length + " values, expected 1 or " + w);
    }
}
