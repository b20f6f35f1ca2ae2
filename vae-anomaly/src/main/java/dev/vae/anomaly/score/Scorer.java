package dev.vae.anomaly.score;

import dev.vae.core.nn.Architecture;
import dev.vae.core.nn.ModelType;
import dev.vae.core.ScoreKind;
import dev.vae.core.ScoreSettings;
import dev.vae.core.VaeModel;
import dev.vae.core.kernel.RowParallel;
import dev.vae.core.nn.ElboPass;
import dev.vae.core.random.NormalSampler;
import dev.vae.core.random.RowNoise;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Scores raw rows with a model. Thread-safe: the model is immutable and each thread gets its own buffers, so one
 * scorer may be shared by any number of threads.
 *
 * <p>Every score is per row, in nats, and <b>higher means more anomalous</b>:
 * <ul>
 *   <li>{@code negative-elbo}: (1/L) sum_l -log p(x|z_l) + KL(q(z|x) || N(0, I)); L = 0 means z = mu;</li>
 *   <li>{@code reconstruction}: (1/L) sum_l -log p(x|z_l), the reconstruction probability of An and Cho (2015,
 *       "Variational autoencoder based anomaly detection using reconstruction probability") as a negative log;</li>
 *   <li>{@code iwae}: -log (1/K sum_k p(x|z_k) p(z_k) / q(z_k|x)) with z_k ~ q(z|x), the importance-weighted
 *       bound of Burda, Grosse and Salakhutdinov (2016, "Importance Weighted Autoencoders"). Its expectation
 *       decreases towards -log p(x) as K grows and never lies below it; K = 1 gives a one-sample negative ELBO.</li>
 * </ul>
 * For a plain autoencoder (no latent distribution) every score is the reconstruction term at z = encoder(x)
 * and {@code iwae} is refused.
 *
 * <p>The terms come from core's {@link ElboPass}, the forward pass training's validation and trimming use too; a
 * scorer adds only batching across threads, the averaging over latent draws, and the IWAE combination.
 *
 * <p>An ensemble ({@link VaeModel#memberCount()} &gt; 1) scores each row with every member, as above, and returns
 * the mean of the members' scores, summed in member order (and so each part of a breakdown), in nats; the mean of
 * the members' bounds bounds the mixture's negative log-likelihood ({@link VaeModel}). Every member draws its latent
 * samples from the row's one noise stream, started afresh.
 *
 * <p>Determinism: the L (or K) latent draws of a row come from one noise stream seeded by the model's seed and
 * the row's raw values ({@link RowNoise}), so a row's score is the same bit for bit whatever batch, thread or
 * order it is scored in.
 */
public final class Scorer {

    private static final int CHUNK = 256;
    /** Blocks a thread should have to take from a split batch. */
    private static final int BLOCKS_PER_THREAD = 4;
    /** Fewest rows of a block: fewer would stream a wide model's weights once per handful of rows. */
    private static final int MIN_BLOCK_ROWS = 16;

    private final VaeModel model;
    private final ScoreSettings settings;
    private final ThreadLocal<Buffers> buffers;
    private final long macsPerRow;

    /** A scorer with the model's own score settings. */
    public Scorer(VaeModel model) {
        this(model, model.scoreSettings());
    }

    /**
     * A scorer with explicit score settings.
     *
     * @throws IllegalArgumentException when the iwae score is asked of a plain autoencoder
     */
    public Scorer(VaeModel model, ScoreSettings settings) {
        this.model = Objects.requireNonNull(model, "model");
        this.settings = Objects.requireNonNull(settings, "settings");
        if (settings.kind() == ScoreKind.IWAE && model.architecture().modelType() != ModelType.VAE) {
            throw new IllegalArgumentException("The iwae score needs a VAE; this model is a plain autoencoder");
        }
        this.buffers = ThreadLocal.withInitial(Buffers::new);
        this.macsPerRow = model.memberCount() * macsPerRow(model.architecture(), settings);
    }

    /** The model. */
    public VaeModel model() {
        return model;
    }

    /** The score settings. */
    public ScoreSettings settings() {
        return settings;
    }

    /** The name of the backend that runs the network ({@code native}, {@code onnx}, ...). */
    public String backend() {
        return model.network().backend();
    }

    /**
     * Scores {@code rows} raw rows (row-major, {@code model.inputDim()} values each).
     *
     * @return one score per row, in nats; higher = more anomalous
     */
    public double[] score(float[] raw, int rows) {
        checkExact(raw, rows);
        double[] out = new double[rows];
        score(raw, 0, rows, out, 0);
        return out;
    }

    /**
     * Scores one raw row of {@code model.inputDim()} values.
     *
     * @return its score in nats; higher = more anomalous
     */
    public double score(float[] row) {
        return score(row, 1)[0];
    }

    /**
     * Scores {@code rows} raw rows of {@code raw} starting at row {@code rowOff}, writing one score per row (in nats,
     * higher = more anomalous) to {@code out[outOff, outOff + rows)}.
     */
    public void score(float[] raw, int rowOff, int rows, double[] out, int outOff) {
        checkLength(raw, rowOff, rows);
        if (outOff < 0 || outOff + rows > out.length) {
            throw new IllegalArgumentException("Output too small: " + rows + " scores from offset " + outOff
                    + " into an array of " + out.length);
        }
        run(raw, rowOff, rows, out, outOff, null);
    }

    /**
     * Scores rows and breaks each score into its parts: the reconstruction term (also split by feature) and the
     * KL term, all in nats, all with the same latent draws as the score.
     *
     * @return the breakdown; its scores equal {@link #score(float[], int)}'s bit for bit
     */
    public ScoreBreakdown explain(float[] raw, int rows) {
        checkExact(raw, rows);
        int d = model.inputDim();
        ScoreBreakdown b = new ScoreBreakdown(rows, d, new double[rows], new double[rows], new double[rows],
                new double[rows * d]);
        run(raw, 0, rows, b.scores(), 0, b);
        return b;
    }

    private void run(float[] raw, int rowOff, int rows, double[] out, int outOff, @Nullable ScoreBreakdown parts) {
        // Big batches are split across cores, whole (network, likelihood and KL), in blocks that the threads take
        // as they come free (up to four a thread, of 16 to 256 rows), so that a core the machine gives to something else for a while
        // costs a block, not half the batch. Each thread scores with its own buffers, and a row's score does not
        // depend on the block or thread that computes it.
        int threads = RowParallel.parts(rows, macsPerRow);
        if (threads <= 1) {
            scoreRows(raw, rowOff, 0, rows, out, outOff, parts);
            return;
        }
        int blockRows = Math.min(CHUNK, Math.max(MIN_BLOCK_ROWS, rows / (threads * BLOCKS_PER_THREAD)));
        int blocks = (rows + blockRows - 1) / blockRows;
        RowParallel.runBlocks(threads, blocks, block -> {
            int from = block * blockRows;
            scoreRows(raw, rowOff, from, Math.min(rows, from + blockRows), out, outOff, parts);
        });
    }

    /** Scores rows {@code [from, to)} of a call on this thread, in chunks. */
    private void scoreRows(float[] raw, int rowOff, int from, int to, double[] out, int outOff,
                           @Nullable ScoreBreakdown parts) {
        int d = model.inputDim();
        Buffers b = buffers.get();
        for (int start = from; start < to; start += CHUNK) {
            int n = Math.min(CHUNK, to - start);
            b.scoreChunk(raw, (rowOff + start) * d, n, out, outOff + start, parts, start);
        }
    }

    /** Multiply-adds of one row's score: the encoder once, the decoder once per latent draw. */
    private static long macsPerRow(Architecture arch, ScoreSettings settings) {
        return arch.encoderMultiplyAdds() + Math.max(1, settings.samples()) * arch.decoderMultiplyAdds();
    }

    private void checkExact(float[] raw, int rows) {
        int d = model.inputDim();
        if (rows < 0 || (long) rows * d != raw.length) {
            throw new IllegalArgumentException("Invalid input: expected " + rows + " rows of " + d + " features ("
                    + (long) rows * d + " values), actual " + raw.length + " values");
        }
    }

    private void checkLength(float[] raw, int rowOff, int rows) {
        int d = model.inputDim();
        if (rows < 0 || rowOff < 0 || (long) (rowOff + rows) * d > raw.length) {
            throw new IllegalArgumentException("Invalid input: expected " + rows + " rows of " + d + " features from row "
                    + rowOff + " (" + (long) (rowOff + rows) * d + " values), actual " + raw.length + " values");
        }
    }

    /**
     * One thread's buffers around its {@link ElboPass}es (one a member): the scaled rows, per-row sums, noise streams
     * and, for an ensemble, one member's scores and parts before they join the mean.
     */
    private final class Buffers {
        final ElboPass[] passes = model.members().stream().map(ElboPass::of).toArray(ElboPass[]::new);
        final int d = model.inputDim();
        final boolean vae = model.architecture().modelType() == ModelType.VAE;
        final float[] x = new float[CHUNK * d];
        final double[] recon = new double[CHUNK];
        final double[] logWeights;
        final double[] featureBuf = new double[d];
        final NormalSampler[] noise = new NormalSampler[CHUNK];

        /** One member's scores and parts of a chunk, for an ensemble (null for one network). */
        final double @Nullable [] memberOut;
        final @Nullable ScoreBreakdown memberParts;

        Buffers() {
            int kSamples = settings.kind() == ScoreKind.IWAE ? settings.samples() : 0;
            logWeights = new double[CHUNK * kSamples];
            boolean ensemble = passes.length > 1;
            memberOut = ensemble ? new double[CHUNK] : null;
            memberParts = ensemble ? new ScoreBreakdown(CHUNK, d, new double[CHUNK], new double[CHUNK],
                    new double[CHUNK], new double[CHUNK * d]) : null;
        }

        void scoreChunk(float[] input, int inOff, int n, double[] out, int outOff, @Nullable ScoreBreakdown parts,
                        int partsRow) {
            model.scaler().apply(input, inOff, x, 0, n);
            if (passes.length == 1) {
                scoreMember(passes[0], input, inOff, n, out, outOff, parts, partsRow);
                return;
            }
            // The mean of the members' scores (and parts), summed in member order.
            double[] one = Objects.requireNonNull(memberOut);
            ScoreBreakdown oneParts = parts == null ? null : memberParts;
            Arrays.fill(out, outOff, outOff + n, 0.0);
            if (parts != null) {
                Arrays.fill(parts.reconstruction(), partsRow, partsRow + n, 0.0);
                Arrays.fill(parts.kl(), partsRow, partsRow + n, 0.0);
                Arrays.fill(parts.featureContributions(), partsRow * d, (partsRow + n) * d, 0.0);
            }
            for (ElboPass member : passes) {
                scoreMember(member, input, inOff, n, one, 0, oneParts, 0);
                addInto(out, outOff, one, n);
                if (parts != null && oneParts != null) {
                    addInto(parts.reconstruction(), partsRow, oneParts.reconstruction(), n);
                    addInto(parts.kl(), partsRow, oneParts.kl(), n);
                    addInto(parts.featureContributions(), partsRow * d, oneParts.featureContributions(), n * d);
                }
            }
            int members = passes.length;
            divide(out, outOff, n, members);
            if (parts != null) {
                divide(parts.reconstruction(), partsRow, n, members);
                divide(parts.kl(), partsRow, n, members);
                divide(parts.featureContributions(), partsRow * d, n * d, members);
            }
        }

        /** {@code to[toOff + i] += from[i]} for {@code i < len}. */
        private static void addInto(double[] to, int toOff, double[] from, int len) {
            for (int i = 0; i < len; i++) {
                to[toOff + i] += from[i];
            }
        }

        /** {@code a[off + i] /= by} for {@code i < len}. */
        private static void divide(double[] a, int off, int len, int by) {
            for (int i = 0; i < len; i++) {
                a[off + i] /= by;
            }
        }

        /** Scores a chunk of model-space rows (in {@link #x}) with one member's {@code pass}. */
        private void scoreMember(ElboPass pass, float[] input, int inOff, int n, double[] out, int outOff,
                                 @Nullable ScoreBreakdown parts, int partsRow) {
            pass.encode(x, 0, n);
            int samples = vae ? settings.samples() : 0;
            boolean iwae = vae && settings.kind() == ScoreKind.IWAE;
            double[] features = parts == null ? null : parts.featureContributions();
            Arrays.fill(recon, 0, n, 0.0);
            if (features != null) {
                Arrays.fill(features, partsRow * d, (partsRow + n) * d, 0.0);
            }
            if (samples == 0) {
                pass.decodeMean();
                accumulate(pass, n, features, partsRow);
            } else {
                for (int i = 0; i < n; i++) {
                    // One stream per row from the model seed and the row's raw values: independent of the batch.
                    noise[i] = new NormalSampler(RowNoise.seed(model.seed(), input, inOff + i * d, d));
                }
                for (int l = 0; l < samples; l++) {
                    pass.decodeSample(noise);
                    if (iwae) {
                        for (int i = 0; i < n; i++) {
                            double nll = reconstruction(pass, i, features, partsRow);
                            recon[i] += nll;
                            logWeights[i * samples + l] = -nll + pass.logPriorOverPosterior(i);
                        }
                    } else {
                        accumulate(pass, n, features, partsRow);
                    }
                }
                // The mean over the draws.
                divide(recon, 0, n, samples);
                if (features != null) {
                    divide(features, partsRow * d, n * d, samples);
                }
            }
            for (int i = 0; i < n; i++) {
                double klTerm = pass.kl(i);
                double s;
                if (iwae) {
                    s = -(logSumExp(logWeights, i * samples, samples) - StrictMath.log(samples));
                } else if (settings.kind() == ScoreKind.RECONSTRUCTION) {
                    s = recon[i];
                } else {
                    s = recon[i] + klTerm;
                }
                out[outOff + i] = s;
                if (parts != null) {
                    parts.reconstruction()[partsRow + i] = recon[i];
                    parts.kl()[partsRow + i] = klTerm;
                }
            }
        }

        private void accumulate(ElboPass pass, int n, double @Nullable [] features, int partsRow) {
            for (int i = 0; i < n; i++) {
                recon[i] += reconstruction(pass, i, features, partsRow);
            }
        }

        /**
         * Row i's reconstruction term of the last decode, its per-feature terms added to the breakdown's when there is
         * one. The row's value is the pass's whole-row term either way, so that an explained score has the same bits
         * as the plain one (the feature terms sum to it within rounding: a likelihood may add them in another order).
         */
        private double reconstruction(ElboPass pass, int i, double @Nullable [] features, int partsRow) {
            if (features != null) {
                pass.featureReconstruction(i, featureBuf, 0);
                int off = (partsRow + i) * d;
                for (int j = 0; j < d; j++) {
                    features[off + j] += featureBuf[j];
                }
            }
            return pass.reconstruction(i);
        }
    }

    /** log(sum_i exp(a[off + i])) over {@code len} values, computed without overflow. */
    static double logSumExp(double[] a, int off, int len) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) {
            max = Math.max(max, a[off + i]);
        }
        if (max == Double.NEGATIVE_INFINITY || Double.isNaN(max)) {
            return max;
        }
        double sum = 0;
        for (int i = 0; i < len; i++) {
            sum += StrictMath.exp(a[off + i] - max);
        }
        return max + StrictMath.log(sum);
    }
}
