package dev.vae.core.nn;

import dev.vae.core.kernel.MatrixKernels;
import dev.vae.core.likelihood.Likelihood;
import org.jspecify.annotations.Nullable;

/**
 * The training objective of an {@link Architecture} and its exact gradient by backpropagation.
 *
 * <p>For a VAE the loss of a batch of n rows is the mean over rows of
 * {@code -log p(x|z) + beta * KL(q(z|x) || N(0, I))} with {@code z = mu + exp(logvar / 2) * eps}
 * (the reparameterisation trick of Kingma and Welling, 2014), so gradients flow through mu and logvar.
 * For an AE it is the mean of {@code -log p(x|z)} at {@code z = encoder(x)}. Inputs are in model space (scaled).
 *
 * <p>The flat parameter layout is the encoder's stack followed by the decoder's. Raw outputs the likelihood
 * declares shared ({@link Likelihood#isSharedOutput}) are the decoder's bias alone: their weights are held at zero
 * and their weight gradients are zero. Thread-safe: all state is in the {@link Workspace} passed to each call.
 */
public final class VaeObjective {

    private final Architecture architecture;
    private final DenseStack encoder;
    private final DenseStack decoder;
    private final MatrixKernels kernels;
    private final MatrixKernels trainingKernels;
    /** The decoder's raw output columns whose incoming weights are held at zero (ascending). */
    private final int[] sharedColumns;
    /** The flat indices of those weights (ascending): what is cleared in parameters and gradients. */
    private final int[] sharedWeights;

    /** The objective of {@code architecture}, computed with {@code kernels}. */
    public VaeObjective(Architecture architecture, MatrixKernels kernels) {
        this.architecture = architecture;
        this.kernels = kernels;
        this.trainingKernels = kernels.forTraining();
        this.encoder = new DenseStack(architecture.encoderSizes(), architecture.activation(), 0);
        this.decoder = new DenseStack(architecture.decoderSizes(), architecture.activation(), encoder.parameterCount());
        int d = architecture.inputDim();
        this.sharedColumns = java.util.stream.IntStream.range(0, architecture.decoderOutputDim())
                .filter(c -> architecture.likelihood().isSharedOutput(d, c)).toArray();
        int last = decoder.layers() - 1;
        int in = decoder.width(last);
        int out = decoder.width(last + 1);
        this.sharedWeights = new int[in * sharedColumns.length];
        for (int i = 0, t = 0; i < in; i++) {
            for (int c : sharedColumns) {
                sharedWeights[t++] = decoder.weightOffset(last) + i * out + c;
            }
        }
    }

    /**
     * Sets to zero, in {@code a} (parameters or their gradient, in the flat layout), the decoder's weights into
     * the shared raw outputs: on parameters this makes those outputs the bias alone, on a gradient it keeps them
     * so. Does nothing when the likelihood shares no output.
     */
    public void clearSharedOutputWeights(float[] a) {
        for (int i : sharedWeights) {
            a[i] = 0f;
        }
    }

    /**
     * The number of leading raw outputs that depend on z when every shared output comes after them (the shared
     * ones form the tail, as the log-variances of {@code gaussian-shared} do), else the raw width: how wide a
     * decoder that leaves the shared outputs to their biases has to compute.
     */
    public int computedOutputs() {
        int rw = architecture.decoderOutputDim();
        int first = rw - sharedColumns.length;
        return sharedColumns.length > 0 && sharedColumns[0] == first ? first : rw;
    }

    /**
     * The index of the first decoder weight into a shared raw output that is not zero, or -1 when there is none
     * (the parameters are valid for the likelihood).
     */
    public int firstNonZeroSharedOutputWeight(float[] params) {
        for (int i : sharedWeights) {
            if (params[i] != 0f) {
                return i;
            }
        }
        return -1;
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

    /** Total number of parameters. */
    public int parameterCount() {
        return encoder.parameterCount() + decoder.parameterCount();
    }

    /** A workspace for batches of up to {@code rows} rows (it grows when needed). */
    public Workspace workspace(int rows) {
        return new Workspace(encoder, decoder, architecture.latentDim(), rows);
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
                decoder.forward(kernels, params, z, zOff, n, ws.decoderOuts);
                System.arraycopy(ws.decoderOutput(), 0, raw, 0, n * architecture.decoderOutputDim());
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
        decoder.forward(trainingKernels, params, ws.z, 0, n, ws.decoderOuts);

        Likelihood lik = architecture.likelihood();
        int d = architecture.inputDim();
        int rw = architecture.decoderOutputDim();
        float[] raw = ws.decoderOutput();
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
        decoder.backward(trainingKernels, params, ws.z, 0, n, ws.decoderOuts, ws.dRaw, grad, ws.dz, ws.scratchA, ws.scratchB);
        clearSharedOutputWeights(grad);

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
                    float lv = head[h + k + j];
                    float sd = (float) StrictMath.exp(0.5 * lv);
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
        double total = 0.0;
        for (int i = 0; i < n; i++) {
            int h = i * 2 * k;
            int zi = i * k;
            double kl = ElboPass.klDivergence(head, h, head, h + k, k);
            for (int j = 0; j < k; j++) {
                ws.z[zi + j] = eps == null ? head[h + j] : ElboPass.draw(head[h + j], head[h + k + j], eps[zi + j]);
            }
            if (klOut != null) {
                klOut[klOff + i] = kl;
            }
            total += kl;
        }
        return total;
    }
}
