package dev.vae.core.nn;

import dev.vae.core.kernel.ElementKernels;
import dev.vae.core.kernel.Simd;
import dev.vae.core.likelihood.Likelihood;
import dev.vae.core.random.NormalSampler;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The one forward pass that yields the parts of the negative ELBO for a batch of model-space rows, whatever runs
 * the network ({@link VaeNetwork.Evaluator}: native, ONNX Runtime, or the objective's own kernels on parameters in
 * training). Scoring, validation, trimming and threshold fitting all compute their terms here; the training step
 * computes the same terms with {@link #klDivergences} and {@link #standardDeviations} while it keeps the activations
 * its backward pass needs.
 *
 * <p>A pass {@link #encode encodes} a batch once (mu, log-variance and each row's KL term), then decodes it at
 * z = mu ({@link #decodeMean}) or at a draw z = mu + sigma * eps ({@link #decodeSample}) as often as the caller
 * wants, and gives each row's reconstruction term {@code -log p(x|z)} of the last decode, whole or per feature. For
 * an autoencoder the encoder's output is z, the KL term is 0, and a draw is refused.
 *
 * <p>Not thread-safe: one pass per thread. Its buffers are made at the first batch and grow to the largest batch
 * seen, so the steady state allocates nothing.
 */
public final class ElboPass {

    private final VaeNetwork.Evaluator evaluator;
    private final Likelihood likelihood;
    private final boolean vae;
    private final int d;
    private final int k;
    private final int rw;
    private int capacity;
    private int rows;
    private float[] x = new float[0];
    private int xOff;
    private float[] mu;
    private float[] logvar;
    private float[] z;
    private float[] eps;
    private float[] raw;
    private double[] kl;
    /** The batch's latent exponentials: e^logvar for the KL terms, e^(logvar / 2) for a draw. */
    private double[] exps;

    /**
     * A pass through {@code evaluator}, for {@code architecture}, whose decoder outputs are read with
     * {@code likelihood} (the architecture's, or a network's {@link VaeNetwork#scoringLikelihood()}).
     */
    public ElboPass(VaeNetwork.Evaluator evaluator, Architecture architecture, Likelihood likelihood) {
        this.evaluator = evaluator;
        this.likelihood = likelihood;
        this.vae = architecture.modelType() == ModelType.VAE;
        this.d = architecture.inputDim();
        this.k = architecture.latentDim();
        this.rw = architecture.decoderOutputDim();
        allocate(0);
    }

    /** A pass over {@code network} with a new evaluator of its own and the network's scoring likelihood. */
    public static ElboPass of(VaeNetwork network) {
        return new ElboPass(network.newEvaluator(), network.architecture(), network.scoringLikelihood());
    }

    private void allocate(int n) {
        capacity = n;
        mu = new float[n * k];
        logvar = new float[n * k];
        z = new float[n * k];
        eps = new float[n * k];
        raw = new float[n * rw];
        kl = new double[n];
        exps = new double[n * k];
    }

    /**
     * Encodes {@code n} model-space rows of {@code x} from offset {@code xOff} (the array is read again by every
     * later reconstruction term, so keep it unchanged until the next encode) and computes each row's KL term.
     */
    public void encode(float[] x, int xOff, int n) {
        if (n > capacity) {
            allocate(Math.max(n, capacity + capacity / 2));
        }
        this.x = x;
        this.xOff = xOff;
        this.rows = n;
        evaluator.encode(x, xOff, n, mu, vae ? logvar : null);
        if (!vae) {
            Arrays.fill(kl, 0, n, 0.0);
            return;
        }
        klDivergences(mu, 0, logvar, 0, k, n, k, exps, kl, 0);
    }

    /** Decodes the encoded rows at z = mu (for an autoencoder, at the encoder's output). */
    public void decodeMean() {
        evaluator.decode(mu, 0, rows, raw);
    }

    /**
     * Decodes the encoded rows at one draw z = mu + sigma * eps, row i's eps taken from {@code noise[i]} (K values
     * each, so that a row's draws depend on its own stream only).
     *
     * @throws IllegalStateException for an autoencoder, which has no latent distribution
     */
    public void decodeSample(NormalSampler[] noise) {
        if (!vae) {
            throw new IllegalStateException("A plain autoencoder has no latent distribution to draw from");
        }
        for (int i = 0; i < rows; i++) {
            noise[i].fill(eps, i * k, k);
        }
        decodeAt(eps);
    }

    /**
     * Decodes the encoded rows at z = mu + sigma * eps with the given noise ({@code rows x K}, from offset 0), or at
     * z = mu when {@code noise} is null (an autoencoder ignores the noise: its z is the encoder's output).
     */
    public void decodeAt(float @Nullable [] noise) {
        if (noise == null) {
            decodeMean();
            return;
        }
        if (noise != eps) {
            System.arraycopy(noise, 0, eps, 0, rows * k);
        }
        if (!vae) {
            decodeMean();
            return;
        }
        standardDeviations(logvar, 0, k, rows, k, exps, z);
        for (int t = 0; t < rows * k; t++) {
            // draw(mu, logvar, eps), with the standard deviations of the whole batch computed at once.
            z[t] = mu[t] + z[t] * eps[t];
        }
        evaluator.decode(z, 0, rows, raw);
    }

    /** The number of rows of the last encode. */
    public int rows() {
        return rows;
    }

    /** Row i's KL(q(z|x) || N(0, I)) in nats (0 for an autoencoder). */
    public double kl(int i) {
        return kl[i];
    }

    /** Row i's reconstruction term -log p(x|z) of the last decode, in nats. */
    public double reconstruction(int i) {
        return likelihood.negativeLogLikelihood(x, xOff + i * d, raw, i * rw, d);
    }

    /**
     * Row i's reconstruction term per feature, written to {@code out[outOff, outOff + d)}: they sum to
     * {@link #reconstruction(int)} within rounding (a likelihood may add them in another order).
     */
    public void featureReconstruction(int i, double[] out, int outOff) {
        featureReconstruction(i, x, xOff + i * d, out, outOff);
    }

    /**
     * The per-feature -log p(y_j|z) of another model-space row {@code y} (d values from {@code yOff}) under row i's
     * last decode, in nats, written to {@code out[outOff, outOff + d)}: e.g. of the decoder's mean, to compare a
     * row's terms with the best the decoder could give.
     */
    public void featureReconstruction(int i, float[] y, int yOff, double[] out, int outOff) {
        likelihood.featureNegativeLogLikelihood(y, yOff, raw, i * rw, d, out, outOff);
    }

    /** Row i's decoder mean E[x|z] of the last decode, in model space, written to {@code out[outOff, outOff + d)}. */
    public void decoderMean(int i, float[] out, int outOff) {
        likelihood.mean(raw, i * rw, d, out, outOff);
    }

    /**
     * log p(z) - log q(z|x) for row i's last draw z = mu + sigma * eps (the 2 pi constants cancel): with
     * {@code -reconstruction}, the log-weight of one importance sample.
     */
    public double logPriorOverPosterior(int i) {
        double sum = 0;
        for (int j = 0; j < k; j++) {
            int t = i * k + j;
            double zt = z[t];
            double e = eps[t];
            sum += -0.5 * zt * zt + 0.5 * (logvar[t] + e * e);
        }
        return sum;
    }

    /**
     * KL(N(mu, diag(exp(logvar))) || N(0, I)) = -1/2 sum_j (1 + logvar_j - mu_j^2 - exp(logvar_j)) over the K values
     * from {@code muOff} and {@code logvarOff}, in nats.
     */
    public static double klDivergence(float[] mu, int muOff, float[] logvar, int logvarOff, int k) {
        double[] out = new double[1];
        klDivergences(mu, muOff, logvar, logvarOff, k, 1, k, new double[k], out, 0);
        return out[0];
    }

    /**
     * {@link #klDivergence} of {@code n} rows at once: row i's K means from {@code mu[muOff + i *
     * stride]} and log-variances from {@code logvar[logvarOff + i * stride]}, its term into {@code out[outOff + i]}.
     * The exponentials go through the element kernels' {@link ElementKernels#strictExp} (vectorised where the JVM
     * can, StrictMath's bits: the same value on every JVM and CPU), in {@code exps} (at least n * K doubles).
     */
    public static void klDivergences(float[] mu, int muOff, float[] logvar, int logvarOff, int stride, int n, int k,
                                     double[] exps, double[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                exps[i * k + j] = logvar[logvarOff + i * stride + j];
            }
        }
        Simd.elements().strictExp(exps, 0, n * k);
        for (int i = 0; i < n; i++) {
            double sum = 0.0;
            for (int j = 0; j < k; j++) {
                float m = mu[muOff + i * stride + j];
                float lv = logvar[logvarOff + i * stride + j];
                sum += 1.0 + lv - (double) m * m - exps[i * k + j];
            }
            out[outOff + i] = -0.5 * sum;
        }
    }

    /**
     * {@link #standardDeviation} of {@code n} rows' K log-variances at once, with its bits: row i's from
     * {@code logvar[logvarOff + i * stride]} into {@code sd[i * K]}, through {@code exps} (at least n * K doubles).
     */
    public static void standardDeviations(float[] logvar, int logvarOff, int stride, int n, int k, double[] exps,
                                          float[] sd) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                exps[i * k + j] = 0.5 * logvar[logvarOff + i * stride + j];
            }
        }
        Simd.elements().strictExp(exps, 0, n * k);
        for (int t = 0; t < n * k; t++) {
            sd[t] = (float) exps[t];
        }
    }

    /** One coordinate of the reparameterised draw z = mu + exp(logvar / 2) * eps (Kingma and Welling, 2014). */
    public static float draw(float mu, float logvar, float eps) {
        return mu + standardDeviation(logvar) * eps;
    }

    /** The standard deviation exp(logvar / 2) of one latent coordinate, as {@link #draw} scales the noise with it. */
    public static float standardDeviation(float logvar) {
        // StrictMath: the same value on every JVM and CPU.
        return (float) StrictMath.exp(0.5 * logvar);
    }
}
