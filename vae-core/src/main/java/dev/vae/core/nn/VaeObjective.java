package dev.vae.core.nn;

import dev.vae.core.kernel.MatrixKernels;
import dev.vae.core.likelihood.Likelihood;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * The training objective of an {@link Architecture} and its exact gradient by backpropagation.
 *
 * <p>For a VAE the loss of a batch of n rows is the mean over rows of
 * {@code -log p(x|z) + beta * KL(q(z|x) || N(0, I))} with {@code z = mu + exp(logvar / 2) * eps}
 * (the reparameterisation trick of Kingma and Welling, 2014), so gradients flow through mu and logvar.
 * For an AE it is the mean of {@code -log p(x|z)} at {@code z = encoder(x)}. Inputs are in model space (scaled).
 *
 * <p>The flat parameter layout is the encoder's stack, the decoder's, then the likelihood's own parameters
 * ({@link Likelihood#isOwnParameter}, in their order): the decoder computes only the raw values that depend on z, and
 * {@link RawLayout} puts the own parameters beside them in every raw row. Thread-safe: all state is in the
 * {@link Workspace} passed to each call.
 */
public final class VaeObjective {

    private final Architecture architecture;
    private final DenseStack encoder;
    private final DenseStack decoder;
    private final RawLayout layout;
    private final MatrixKernels kernels;
    private final MatrixKernels trainingKernels;

    /** The objective of {@code architecture}, computed with {@code kernels}. */
    public VaeObjective(Architecture architecture, MatrixKernels kernels) {
        this.architecture = architecture;
        this.kernels = kernels;
        this.trainingKernels = kernels.forTraining();
        this.encoder = new DenseStack(architecture.encoderSizes(), architecture.activation(), 0);
        this.decoder = new DenseStack(architecture.decoderSizes(), architecture.activation(), encoder.parameterCount());
        this.layout = architecture.rawLayout();
        if ((long) likelihoodParameterOffset() + layout.ownCount() > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("Too many parameters for one array: " + architecture.describe());
        }
    }

    /** Which raw values the decoder computes and which are the likelihood's own parameters. */
    public RawLayout rawLayout() {
        return layout;
    }

    /** Where the likelihood's own parameters start in the flat layout: after the decoder's. */
    public int likelihoodParameterOffset() {
        return encoder.parameterCount() + decoder.parameterCount();
    }

    /**
     * The number of parameters in the layout of model files up to version 2 (and of the checkpoints and ONNX graphs
     * of the builds that wrote them), in which the likelihood's own parameters were decoder outputs: the decoder's
     * last layer had a column for every raw value, with zero weights into the own parameters' columns, whose biases
     * were their values. The same as {@link #parameterCount()} when the likelihood owns no parameter.
     */
    public int sharedOutputLayoutParameterCount() {
        return encoder.parameterCount() + sharedOutputDecoder().parameterCount();
    }

    /**
     * Parameters in this objective's layout from parameters in the layout of {@link #sharedOutputLayoutParameterCount()}:
     * the decoder's weights into the own parameters' columns are dropped and those columns' biases become the own
     * parameters. {@code old} itself when the likelihood owns no parameter (the layouts are the same).
     *
     * @param what names the array in the error, e.g. {@code Parameter} or {@code Adam first moment}
     * @throws IllegalArgumentException when the length is not that layout's, or naming the first weight into an own
     *                                  parameter's column that is not 0 (such a file's values were not shared by
     *                                  every row)
     */
    public float[] fromSharedOutputLayout(float[] old, String what) {
        return fromSharedOutputLayout(old, what, true);
    }

    /** {@link #fromSharedOutputLayout(float[], String)}, the weights into own parameters' columns checked or ignored. */
    private float[] fromSharedOutputLayout(float[] old, String what, boolean requireZero) {
        if (layout.ownCount() == 0) {
            return old;
        }
        DenseStack full = sharedOutputDecoder();
        if (old.length != encoder.parameterCount() + full.parameterCount()) {
            throw new IllegalArgumentException(what + " count mismatch for " + architecture.describe()
                    + " in the layout with the shared values as decoder outputs: expected "
                    + (encoder.parameterCount() + full.parameterCount()) + ", actual " + old.length);
        }
        int last = decoder.layers() - 1;
        float[] p = new float[parameterCount()];
        // The encoder and every decoder layer but the last have the same offsets in both layouts.
        System.arraycopy(old, 0, p, 0, decoder.weightOffset(last));
        int in = decoder.width(last);
        int rw = layout.rawWidth();
        int dw = layout.decoderWidth();
        for (int i = 0; i < in; i++) {
            int from = full.weightOffset(last) + i * rw;
            for (int c = 0; c < dw; c++) {
                p[decoder.weightOffset(last) + i * dw + c] = old[from + layout.decoderColumn(c)];
            }
            for (int t = 0; requireZero && t < layout.ownCount(); t++) {
                int at = from + layout.ownColumn(t);
                if (old[at] != 0f) {
                    throw new IllegalArgumentException(what + " " + at + " is a decoder weight into the value the "
                            + architecture.likelihood().id() + " likelihood shares across rows, so it must be 0, but it"
                            + " is " + old[at]);
                }
            }
        }
        for (int c = 0; c < dw; c++) {
            p[decoder.biasOffset(last) + c] = old[full.biasOffset(last) + layout.decoderColumn(c)];
        }
        for (int t = 0; t < layout.ownCount(); t++) {
            p[likelihoodParameterOffset() + t] = old[full.biasOffset(last) + layout.ownColumn(t)];
        }
        return p;
    }

    /**
     * Writes {@code p} (in this objective's layout) to {@code old} in the layout of
     * {@link #sharedOutputLayoutParameterCount()}, with 0 for the decoder's weights into the own parameters' columns:
     * the inverse of {@link #fromSharedOutputLayout}. Training sums a gradient's squares for its norm in that layout's
     * order and blocks, so that clipping gives the bits it gave when the own parameters were decoder outputs.
     */
    public void toSharedOutputLayout(float[] p, float[] old) {
        if (layout.ownCount() == 0) {
            System.arraycopy(p, 0, old, 0, parameterCount());
            return;
        }
        DenseStack full = sharedOutputDecoder();
        int last = decoder.layers() - 1;
        System.arraycopy(p, 0, old, 0, decoder.weightOffset(last));
        int in = decoder.width(last);
        int rw = layout.rawWidth();
        int dw = layout.decoderWidth();
        for (int i = 0; i < in; i++) {
            int to = full.weightOffset(last) + i * rw;
            for (int t = 0; t < layout.ownCount(); t++) {
                old[to + layout.ownColumn(t)] = 0f;
            }
            for (int c = 0; c < dw; c++) {
                old[to + layout.decoderColumn(c)] = p[decoder.weightOffset(last) + i * dw + c];
            }
        }
        for (int c = 0; c < dw; c++) {
            old[full.biasOffset(last) + layout.decoderColumn(c)] = p[decoder.biasOffset(last) + c];
        }
        for (int t = 0; t < layout.ownCount(); t++) {
            old[full.biasOffset(last) + layout.ownColumn(t)] = p[likelihoodParameterOffset() + t];
        }
    }

    /** The decoder of the layout of {@link #sharedOutputLayoutParameterCount()}: its last layer as wide as a raw row. */
    private DenseStack sharedOutputDecoder() {
        int[] sizes = architecture.decoderSizes();
        sizes[sizes.length - 1] = layout.rawWidth();
        return new DenseStack(sizes, architecture.activation(), encoder.parameterCount());
    }

    /**
     * Parameters drawn as {@link NativeNetwork#initialize} draws them, in the order it always has: every weight and
     * bias of each layer, the decoder's last layer with a column for every raw value; then the weights drawn for the
     * own parameters' columns are dropped and their biases become the own parameters, so a network starts from the
     * values it started from when those were decoder outputs.
     */
    float[] initialParameters(SplittableRandom random) {
        DenseStack full = sharedOutputDecoder();
        float[] p = new float[encoder.parameterCount() + full.parameterCount()];
        for (DenseStack stack : new DenseStack[] {encoder, full}) {
            for (int l = 0; l < stack.layers(); l++) {
                double bound = 1.0 / Math.sqrt(stack.width(l));
                int from = stack.weightOffset(l);
                int to = stack.biasOffset(l) + stack.width(l + 1);
                for (int i = from; i < to; i++) {
                    p[i] = (float) ((2.0 * random.nextDouble() - 1.0) * bound);
                }
            }
        }
        return fromSharedOutputLayout(p, "Parameter", false);
    }

    /** The architecture. */
    public Architecture architecture() {
        return architecture;
    }

    /** The kernels of forward passes outside training steps (row-independent: scores do not depend on the batch). */
    public MatrixKernels kernels() {
        return kernels;
    }

    /** The encoder's layer stack. */
    public DenseStack encoder() {
        return encoder;
    }

    /** The decoder's layer stack. */
    public DenseStack decoder() {
        return decoder;
    }

    /** Total number of parameters: the encoder's, the decoder's and the likelihood's own. */
    public int parameterCount() {
        return likelihoodParameterOffset() + layout.ownCount();
    }

    /** A workspace for batches of up to {@code rows} rows (it grows when needed). */
    public Workspace workspace(int rows) {
        return new Workspace(encoder, decoder, architecture.latentDim(), layout.rawWidth(), rows);
    }

    /**
     * The decoder's forward pass of {@code n} latent rows with the parameters {@code params}, keeping its activations
     * in {@code ws}; returns the raw rows (n x raw width from offset 0): the decoder's output itself when the
     * likelihood owns no parameter, else {@code ws}'s raw buffer with the own parameters written in.
     */
    private float[] decodeRaw(MatrixKernels mk, float[] params, float[] z, int zOff, int n, Workspace ws) {
        decoder.forward(mk, params, z, zOff, n, ws.decoderOuts);
        if (layout.ownCount() == 0) {
            return ws.decoderOutput();
        }
        layout.assemble(ws.decoderOutput(), n, params, likelihoodParameterOffset(), ws.raw, 0);
        return ws.raw;
    }

    /**
     * Forward pass only, through an {@link ElboPass} on {@link #evaluator}: with {@code eps == null} (or for an AE)
     * z = mu, else z = mu + sigma * eps (n x K). Per-row terms are written to {@code reconstructionOut} and
     * {@code klOut} when they are not null.
     */
    public BatchLoss loss(float[] params, float[] x, int xOff, int n, float @Nullable [] eps, Workspace ws,
                          double @Nullable [] reconstructionOut, double @Nullable [] klOut) {
        ElboPass pass = new ElboPass(evaluator(params, ws), architecture, architecture.likelihood());
        pass.encode(x, xOff, n);
        pass.decodeAt(eps);
        double recon = 0.0;
        double kl = 0.0;
        for (int i = 0; i < n; i++) {
            double r = pass.reconstruction(i);
            if (reconstructionOut != null) {
                reconstructionOut[i] = r;
            }
            if (klOut != null) {
                klOut[i] = pass.kl(i);
            }
            recon += r;
            kl += pass.kl(i);
        }
        return new BatchLoss(recon, kl, n);
    }

    /**
     * An evaluator of this objective's forward pass on {@code params} (read, not copied: it sees later updates), with
     * the objective's row-independent kernels and {@code ws} for its activations: what training's validation and
     * trimming score with, without building a {@link NativeNetwork} each epoch. Not thread-safe.
     */
    public VaeNetwork.Evaluator evaluator(float[] params, Workspace ws) {
        return new VaeNetwork.Evaluator() {
            @Override
            public void encode(float[] x, int xOff, int n, float[] mu, float @Nullable [] logvar) {
                ws.ensure(n);
                encoder.forward(kernels, params, x, xOff, n, ws.encoderOuts);
                float[] head = ws.encoderOutput();
                int k = architecture.latentDim();
                int w = encoder.width(encoder.layers());
                for (int i = 0; i < n; i++) {
                    System.arraycopy(head, i * w, mu, i * k, k);
                    if (logvar != null && w == 2 * k) {
                        System.arraycopy(head, i * w + k, logvar, i * k, k);
                    }
                }
            }

            @Override
            public void decode(float[] z, int zOff, int n, float[] raw) {
                ws.ensure(n);
                float[] rows = decodeRaw(kernels, params, z, zOff, n, ws);
                System.arraycopy(rows, 0, raw, 0, n * layout.rawWidth());
            }
        };
    }

    /**
     * Loss and gradient of a batch: writes d(loss)/d(params) of the mean loss (reconstruction + beta * KL) into
     * {@code grad} (every entry overwritten) and returns the batch's loss sums.
     *
     * @param eps  N(0, I) noise, n x K (ignored for an AE; null means z = mu)
     * @param beta weight of the KL term (beta-VAE, KL warm-up)
     */
    public BatchLoss lossAndGradient(float[] params, float[] x, int xOff, int n, float[] eps, double beta,
                                     float[] grad, Workspace ws) {
        return lossAndGradient(params, x, xOff, n, eps, beta, grad, ws, null, 0, null, 0);
    }

    /**
     * {@link #lossAndGradient(float[], float[], int, int, float[], double, float[], Workspace)} with per-row weights
     * and per-row losses, at no extra cost: {@code grad} receives the gradient of {@code (1/n) sum_i w_i L_i}, where
     * {@code L_i = -log p(x_i|z_i) + beta * KL_i} and {@code w_i = rowWeights[weightOff + i]} (null = every weight 1,
     * the same bits as the plain call); {@code rowLossOut[lossOff + i]} receives {@code L_i} (unweighted) when it is
     * not null. The returned sums are unweighted. A row of weight 0 is computed but adds nothing to the gradient
     * (trimmed-loss training).
     */
    public BatchLoss lossAndGradient(float[] params, float[] x, int xOff, int n, float[] eps, double beta,
                                     float[] grad, Workspace ws, float[] rowWeights, int weightOff,
                                     double[] rowLossOut, int lossOff) {
        return lossAndGradient(params, x, xOff, n, eps, beta, grad, ws, rowWeights, weightOff, rowLossOut, lossOff,
                null);
    }

    /**
     * {@link #lossAndGradient(float[], float[], int, int, float[], double, float[], Workspace, float[], int, double[],
     * int)} that also writes each row's {@code KL_i} into {@code rowKlOut[lossOff + i]} when it is not null (it needs
     * {@code rowLossOut}): with both, a caller splits any subset of the rows' losses into reconstruction
     * ({@code L_i - beta * KL_i}) and KL, as the trainer does for the rows trimming leaves out.
     */
    public BatchLoss lossAndGradient(float[] params, float[] x, int xOff, int n, float[] eps, double beta,
                                     float[] grad, Workspace ws, float[] rowWeights, int weightOff,
                                     double[] rowLossOut, int lossOff, double[] rowKlOut) {
        if (rowKlOut != null && rowLossOut == null) {
            throw new IllegalArgumentException("Per-row KL values need the per-row loss array too");
        }
        ws.ensure(n);
        boolean vae = architecture.modelType() == ModelType.VAE;
        double kl = encodeAndSample(trainingKernels, params, x, xOff, n, eps, ws, rowLossOut, lossOff);
        float[] raw = decodeRaw(trainingKernels, params, ws.z, 0, n, ws);

        Likelihood lik = architecture.likelihood();
        int d = architecture.inputDim();
        int rw = layout.rawWidth();
        float scale = 1f / n;
        double recon = 0.0;
        for (int i = 0; i < n; i++) {
            float si = rowWeights == null ? scale : rowWeights[weightOff + i] * scale;
            double r = lik.gradient(x, xOff + i * d, raw, i * rw, d, si, ws.dRaw, i * rw);
            if (rowLossOut != null) {
                if (rowKlOut != null) {
                    rowKlOut[lossOff + i] = rowLossOut[lossOff + i];
                }
                rowLossOut[lossOff + i] = r + beta * rowLossOut[lossOff + i];
            }
            recon += r;
        }
        float[] dDecoded = ws.dRaw;
        if (layout.ownCount() > 0) {
            dDecoded = ws.dDecoded;
            layout.splitGradient(ws.dRaw, n, dDecoded, grad, likelihoodParameterOffset());
        }
        decoder.backward(trainingKernels, params, ws.z, 0, n, ws.decoderOuts, dDecoded, grad, ws.dz, ws.scratchA, ws.scratchB);

        int k = architecture.latentDim();
        float[] head = ws.encoderOutput();
        if (vae) {
            float b = (float) (beta / n);
            for (int i = 0; i < n; i++) {
                int h = i * 2 * k;
                int zi = i * k;
                float bi = rowWeights == null ? b : rowWeights[weightOff + i] * b;
                for (int j = 0; j < k; j++) {
                    float mu = head[h + j];
                    float sd = ws.sd[zi + j];
                    float dz = ws.dz[zi + j];
                    float e = eps == null ? 0f : eps[zi + j];
                    ws.dHead[h + j] = dz + bi * mu;
                    ws.dHead[h + k + j] = dz * e * 0.5f * sd + bi * 0.5f * (sd * sd - 1f);
                }
            }
        } else {
            System.arraycopy(ws.dz, 0, ws.dHead, 0, n * k);
        }
        encoder.backward(trainingKernels, params, x, xOff, n, ws.encoderOuts, ws.dHead, grad, null, ws.scratchA, ws.scratchB);
        return new BatchLoss(recon, kl, n);
    }

    /**
     * The training step's encoder pass, keeping its activations in {@code ws} for the backward pass: fills
     * {@code ws.z} with {@link ElboPass}'s draw and returns the batch's KL sum (per row in {@code klOut[klOff + i]}).
     */
    private double encodeAndSample(MatrixKernels mk, float[] params, float[] x, int xOff, int n, float[] eps, Workspace ws,
                                   double[] klOut, int klOff) {
        encoder.forward(mk, params, x, xOff, n, ws.encoderOuts);
        float[] head = ws.encoderOutput();
        int k = architecture.latentDim();
        if (architecture.modelType() == ModelType.AE) {
            System.arraycopy(head, 0, ws.z, 0, n * k);
            if (klOut != null) {
                java.util.Arrays.fill(klOut, klOff, klOff + n, 0.0);
            }
            return 0.0;
        }
        ElboPass.klDivergences(head, 0, head, k, 2 * k, n, k, ws.exps, ws.kl, 0);
        // ElboPass.draw, with the standard deviations kept for the backward pass (one exp each, not two).
        ElboPass.standardDeviations(head, k, 2 * k, n, k, ws.exps, ws.sd);
        double total = 0.0;
        for (int i = 0; i < n; i++) {
            int h = i * 2 * k;
            int zi = i * k;
            for (int j = 0; j < k; j++) {
                ws.z[zi + j] = eps == null ? head[h + j] : head[h + j] + ws.sd[zi + j] * eps[zi + j];
            }
            if (klOut != null) {
                klOut[klOff + i] = ws.kl[i];
            }
            total += ws.kl[i];
        }
        return total;
    }
}
