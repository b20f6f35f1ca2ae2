package dev.vae.core.nn;

import dev.vae.core.kernel.ColumnKernels;
import dev.vae.core.kernel.JavaKernels;
import dev.vae.core.kernel.MatrixKernels;
import java.util.Arrays;

/**
 * A stack of dense layers {@code a_l = act(a_{l-1} W_l + b_l)} whose parameters live in a flat array starting
 * at {@link #parameterOffset()}. Each weight matrix is stored row-major as [in x out], followed by its bias
 * [out]. The last layer has no activation (the likelihood or the latent head owns the link). Stateless and
 * thread-safe: all buffers are passed in.
 */
public final class DenseStack {

    private final int[] sizes;
    private final Activation activation;
    private final int parameterOffset;
    private final int[] weightOffsets;
    private final int parameterCount;

    /**
     * @param sizes           layer widths from input to output (at least two entries)
     * @param activation      activation of the hidden layers
     * @param parameterOffset where this stack's parameters start in the flat array
     */
    public DenseStack(int[] sizes, Activation activation, int parameterOffset) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("A dense stack needs an input and an output width");
        }
        this.sizes = sizes.clone();
        this.activation = activation;
        this.parameterOffset = parameterOffset;
        this.weightOffsets = new int[sizes.length - 1];
        long off = parameterOffset;
        for (int l = 0; l < sizes.length - 1; l++) {
            weightOffsets[l] = Math.toIntExact(off);
            off += (long) sizes[l] * sizes[l + 1] + sizes[l + 1];
        }
        if (off > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("Too many parameters for one array: " + off);
        }
        this.parameterCount = Math.toIntExact(off - parameterOffset);
    }

    /** Number of layers (weight matrices). */
    public int layers() {
        return sizes.length - 1;
    }

    /** Width of layer boundary {@code i}: 0 is the input, {@link #layers()} the output. */
    public int width(int i) {
        return sizes[i];
    }

    /** The widest layer output. */
    public int maxOutputWidth() {
        int m = 0;
        for (int i = 1; i < sizes.length; i++) {
            m = Math.max(m, sizes[i]);
        }
        return m;
    }

    /** The hidden activation. */
    public Activation activation() {
        return activation;
    }

    /** Where this stack's parameters start. */
    public int parameterOffset() {
        return parameterOffset;
    }

    /** How many parameters the stack has. */
    public int parameterCount() {
        return parameterCount;
    }

    /** Offset of layer {@code l}'s weight matrix [in x out] in the flat array. */
    public int weightOffset(int l) {
        return weightOffsets[l];
    }

    /** Offset of layer {@code l}'s bias [out] in the flat array. */
    public int biasOffset(int l) {
        return weightOffsets[l] + sizes[l] * sizes[l + 1];
    }

    /**
     * Forward pass of {@code n} rows. {@code outs[l]} receives layer {@code l}'s output (n x width(l+1)), after
     * its activation; the last one holds the stack's (linear) output.
     */
    public void forward(MatrixKernels k, float[] params, float[] x, int xOff, int n, float[][] outs) {
        float[] in = x;
        int inOff = xOff;
        for (int l = 0; l < layers(); l++) {
            int din = sizes[l];
            int dout = sizes[l + 1];
            float[] out = outs[l];
            // Start each row from the bias and accumulate the product onto it: one pass over the output fewer.
            int b = biasOffset(l);
            for (int i = 0; i < n; i++) {
                System.arraycopy(params, b, out, i * dout, dout);
            }
            k.gemm(n, dout, din, in, inOff, params, weightOffsets[l], out, 0, true);
            if (l < layers() - 1) {
                activation.apply(out, 0, n * dout);
            }
            in = out;
            inOff = 0;
        }
    }

    /** Widest layer boundary up to which {@link #forwardColumns} pays: wider rows vectorise well as they are. */
    static final int COLUMN_MAX_WIDTH = 96;
    /** Fewest rows for which {@link #forwardColumns} pays. */
    static final int COLUMN_MIN_ROWS = 16;

    /** Whether a forward pass of {@code n} rows is faster in column layout (every layer narrow, batch long). */
    public boolean prefersColumns(int n) {
        if (n < COLUMN_MIN_ROWS) {
            return false;
        }
        for (int w : sizes) {
            if (w > COLUMN_MAX_WIDTH) {
                return false;
            }
        }
        return true;
    }

    /**
     * Forward pass of {@code n} rows for inference, in column layout from the input to the output: the same bits as
     * {@link #forward}'s last output, written row-major to {@code out} (n x output width), with one transpose in and
     * one out instead of two per layer. {@code cols[l]} holds at least {@code width(l)} arrays of at least {@code n}
     * floats.
     */
    public void forwardColumns(float[] params, float[] x, int xOff, int n, float[][][] cols, float[] out) {
        ColumnKernels.toColumns(x, xOff, n, sizes[0], cols[0]);
        for (int l = 0; l < layers(); l++) {
            int dout = sizes[l + 1];
            ColumnKernels.dense(n, dout, sizes[l], cols[l], params, weightOffsets[l], biasOffset(l), cols[l + 1]);
            if (l < layers() - 1) {
                for (int j = 0; j < dout; j++) {
                    activation.apply(cols[l + 1][j], 0, n);
                }
            }
        }
        ColumnKernels.fromColumns(cols[layers()], n, sizes[layers()], out, 0);
    }

    /**
     * This stack's weight matrices split into rows ({@code [layer][input][output]}), copied from {@code params}: what
     * {@link #forwardPrepared} reads, so that inference on a few rows need not copy them on every call.
     */
    public float[][][] splitWeights(float[] params) {
        float[][][] w = new float[layers()][][];
        for (int l = 0; l < layers(); l++) {
            int din = sizes[l];
            int dout = sizes[l + 1];
            w[l] = new float[din][];
            for (int p = 0; p < din; p++) {
                w[l][p] = Arrays.copyOfRange(params, weightOffsets[l] + p * dout, weightOffsets[l] + (p + 1) * dout);
            }
        }
        return w;
    }

    /**
     * Inference on {@code n} rows with weights from {@link #splitWeights} (biases from {@code params}): the same bits
     * as {@link #forward}, whose outputs it writes to {@code outs}.
     */
    public void forwardPrepared(float[][][] weights, float[] params, float[] x, int xOff, int n, float[][] outs) {
        float[] in = x;
        int inOff = xOff;
        for (int l = 0; l < layers(); l++) {
            int dout = sizes[l + 1];
            float[] out = outs[l];
            int b = biasOffset(l);
            for (int i = 0; i < n; i++) {
                System.arraycopy(params, b, out, i * dout, dout);
            }
            // Every layer, the narrow latent head of a wide stack included, by rows over the non-zero inputs: by
            // columns the head (400 -> 40 in MNIST's encoder) paid two transposes and multiplied its ReLU zeros
            // (measured: MNIST scoring at batch 64 36.5k -> 42.0k rows/s, at batch 4096 43.6k -> 46.1k, means of four
            // alternating runs). Same bits either way.
            JavaKernels.gemmPrepared(n, dout, sizes[l], in, inOff, weights[l], out, 0);
            if (l < layers() - 1) {
                activation.apply(out, 0, n * dout);
            }
            in = out;
            inOff = 0;
        }
    }

    /** Column buffers for {@link #forwardColumns} of up to {@code rows} rows. */
    float[][][] newColumns(int rows) {
        float[][][] cols = new float[sizes.length][][];
        for (int l = 0; l < sizes.length; l++) {
            cols[l] = new float[sizes[l]][rows];
        }
        return cols;
    }

    /**
     * Backward pass of {@code n} rows after {@link #forward}. {@code dOut} holds d(loss)/d(output) (n x output
     * width); it is used as scratch. Writes d(loss)/d(parameters) into {@code grad} at this stack's offsets
     * (overwriting), and d(loss)/d(x) into {@code dInput} when it is not null.
     *
     * @param scratchA, scratchB buffers of at least {@code n * maxOutputWidth()} (and n * input width when
     *                  {@code dInput} is wanted) floats
     */
    public void backward(MatrixKernels k, float[] params, float[] x, int xOff, int n, float[][] outs, float[] dOut,
                         float[] grad, float[] dInput, float[] scratchA, float[] scratchB) {
        float[] dz = dOut;
        for (int l = layers() - 1; l >= 0; l--) {
            int din = sizes[l];
            int dout = sizes[l + 1];
            float[] in = l == 0 ? x : outs[l - 1];
            int inOff = l == 0 ? xOff : 0;
            k.gemmTN(din, dout, n, in, inOff, dz, 0, grad, weightOffsets[l], false);
            int b = biasOffset(l);
            for (int j = 0; j < dout; j++) {
                grad[b + j] = 0f;
            }
            for (int i = 0; i < n; i++) {
                int r = i * dout;
                for (int j = 0; j < dout; j++) {
                    grad[b + j] += dz[r + j];
                }
            }
            if (l > 0) {
                float[] da = dz == scratchA ? scratchB : scratchA;
                k.gemmNT(n, din, dout, dz, 0, params, weightOffsets[l], da, 0, false);
                activation.backprop(outs[l - 1], 0, da, 0, n * din);
                dz = da;
            } else if (dInput != null) {
                k.gemmNT(n, din, dout, dz, 0, params, weightOffsets[l], dInput, 0, false);
            }
        }
    }
}
