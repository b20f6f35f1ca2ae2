package dev.vae.anomaly.score;

import dev.vae.core.Architecture;
import dev.vae.core.ModelType;
import dev.vae.core.ScoreKind;
import dev.vae.core.ScoreSettings;
import dev.vae.core.VaeModel;
import dev.vae.core.likelihood.Likelihood;
import dev.vae.core.nn.VaeNetwork;
import dev.vae.core.random.RowNoise;
import java.util.Objects;

/**
 * Scores raw rows with a model. Thread-safe: each thread gets its own buffers.
 *
 * <p>Scores are in nats and <b>higher means more anomalous</b>:
 * <ul>
 *   <li>{@code negative-elbo}: (1/L) sum_l -log p(x|z_l) + KL(q(z|x) || N(0, I)); L = 0 means z = mu;</li>
 *   <li>{@code reconstruction}: (1/L) sum_l -log p(x|z_l), the reconstruction probability of An and Cho (2015)
 *       as a negative log.</li>
 * </ul>
 */
public final class Scorer {

    private static final int CHUNK = 256;

    private final VaeModel model;
    private final ScoreSettings settings;
    private final ThreadLocal<Buffers> buffers;

    /** A scorer with the model's own score settings. */
    public Scorer(VaeModel model) {
        this(model, model.scoreSettings());
    }

    /** A scorer with explicit score settings. */
    public Scorer(VaeModel model, ScoreSettings settings) {
        this.model = Objects.requireNonNull(model, "model");
        this.settings = Objects.requireNonNull(settings, "settings");
        if (settings.kind() == ScoreKind.IWAE) {
            throw new IllegalArgumentException("The iwae score is not available in this scorer yet");
        }
        this.buffers = ThreadLocal.withInitial(Buffers::new);
    }

    /** The model. */
    public VaeModel model() {
        return model;
    }

    /** The score settings. */
    public ScoreSettings settings() {
        return settings;
    }

    /**
     * Scores {@code rows} raw rows (row-major, {@code model.inputDim()} values each).
     *
     * @return one score per row, in nats; higher = more anomalous
     */
    public double[] score(float[] raw, int rows) {
        int d = model.inputDim();
        if ((long) rows * d != raw.length) {
            throw new IllegalArgumentException("Invalid input: expected " + rows + " rows of " + d + " features ("
                    + (long) rows * d + " values), actual " + raw.length + " values");
        }
        double[] out = new double[rows];
        score(raw, 0, rows, out, 0);
        return out;
    }

    /** Scores one raw row of {@code model.inputDim()} values. */
    public double score(float[] row) {
        return score(row, 1)[0];
    }

    /** Scores {@code rows} raw rows of {@code raw} starting at row offset {@code rowOff}, into {@code out[outOff..]}. */
    public void score(float[] raw, int rowOff, int rows, double[] out, int outOff) {
        Buffers b = buffers.get();
        int d = model.inputDim();
        for (int start = 0; start < rows; start += CHUNK) {
            int n = Math.min(CHUNK, rows - start);
            b.scoreChunk(raw, (rowOff + start) * d, n, out, outOff + start);
        }
    }

    private final class Buffers {
        final VaeNetwork.Evaluator evaluator = model.network().newEvaluator();
        final Architecture arch = model.architecture();
        final int d = arch.inputDim();
        final int k = arch.latentDim();
        final int rw = arch.decoderOutputDim();
        final float[] x = new float[CHUNK * d];
        final float[] mu = new float[CHUNK * k];
        final float[] logvar = new float[CHUNK * k];
        final float[] z = new float[CHUNK * k];
        final float[] eps = new float[k];
        final float[] raw = new float[CHUNK * rw];
        final double[] recon = new double[CHUNK];

        void scoreChunk(float[] input, int inOff, int n, double[] out, int outOff) {
            model.scaler().apply(input, inOff, x, 0, n);
            boolean vae = arch.modelType() == ModelType.VAE;
            evaluator.encode(x, 0, n, mu, vae ? logvar : null);
            Likelihood lik = arch.likelihood();
            int samples = vae ? settings.samples() : 0;
            java.util.Arrays.fill(recon, 0, n, 0.0);
            if (samples == 0) {
                evaluator.decode(mu, 0, n, raw);
                for (int i = 0; i < n; i++) {
                    recon[i] = lik.negativeLogLikelihood(x, i * d, raw, i * rw, d);
                }
            } else {
                for (int l = 0; l < samples; l++) {
                    for (int i = 0; i < n; i++) {
                        // Each row's noise stream depends only on the model seed, the row and the sample index.
                        long seed = RowNoise.seed(model.seed() + l, input, inOff + i * d, d);
                        new dev.vae.core.random.NormalSampler(seed).fill(eps, 0, k);
                        for (int j = 0; j < k; j++) {
                            z[i * k + j] = mu[i * k + j] + (float) Math.exp(0.5 * logvar[i * k + j]) * eps[j];
                        }
                    }
                    evaluator.decode(z, 0, n, raw);
                    for (int i = 0; i < n; i++) {
                        recon[i] += lik.negativeLogLikelihood(x, i * d, raw, i * rw, d);
                    }
                }
                for (int i = 0; i < n; i++) {
                    recon[i] /= samples;
                }
            }
            for (int i = 0; i < n; i++) {
                double s = recon[i];
                if (vae && settings.kind() == ScoreKind.NEGATIVE_ELBO) {
                    s += kl(i);
                }
                out[outOff + i] = s;
            }
        }

        double kl(int i) {
            double sum = 0.0;
            for (int j = 0; j < k; j++) {
                float m = mu[i * k + j];
                float lv = logvar[i * k + j];
                sum += 1.0 + lv - (double) m * m - Math.exp(lv);
            }
            return -0.5 * sum;
        }
    }
}
