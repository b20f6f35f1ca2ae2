package dev.vae.train;

import dev.vae.core.nn.Architecture;
import dev.vae.core.VaeModel;
import dev.vae.core.kernel.ElementKernels;
import dev.vae.core.kernel.Kernels;
import dev.vae.core.kernel.MatrixKernels;
import dev.vae.core.kernel.RowParallel;
import dev.vae.core.kernel.Simd;
import dev.vae.core.likelihood.CompositeLikelihood;
import dev.vae.core.nn.BatchLoss;
import dev.vae.core.nn.NativeNetwork;
import dev.vae.core.nn.VaeNetwork;
import dev.vae.core.nn.VaeObjective;
import dev.vae.core.nn.Workspace;
import dev.vae.core.random.NormalSampler;
import dev.vae.core.random.Shuffle;
import dev.vae.core.scale.Scaler;
import dev.vae.core.stats.TwoClassSplit;
import dev.vae.core.data.Table;
import dev.vae.train.optim.Adam;
import dev.vae.train.optim.Optimiser;
import dev.vae.train.optim.OptimiserFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Trains a VAE or autoencoder by minibatch gradient steps (the library's Adam, or the configuration's
 * {@link TrainingConfig#optimiserFactory() optimiser}) on the negative ELBO, with a held-out validation split, early
 * stopping on the validation negative ELBO (z = mu), restoration of the best epoch's weights, KL warm-up,
 * gradient-norm clipping, trimmed-loss training of a fixed or adaptive share of the rows
 * ({@link TrainingConfig#trimFraction()}, {@link TrainingConfig#trimAdaptive()}), a divergence guard,
 * checkpoints and resume.
 *
 * <p><b>Reproducibility.</b> The validation split and the initial weights derive from the configured seed; every
 * epoch's shuffle and reparameterisation noise derive from (seed, epoch) alone. A model's bits are a function of
 * exactly these, all written into its provenance:
 * <ul>
 *   <li>the data, the settings and the seed;</li>
 *   <li>the thread count ({@code trainer.threads}): it fixes the shards whose gradients are summed (below);</li>
 *   <li>the matrix kernels of the training steps ({@code trainer.matrix-kernels},
 *       {@link dev.vae.core.kernel.MatrixKernels#forTraining()}). The portable Java kernels sum in a fixed order and
 *       give the same bits on every machine. A native BLAS (OpenBLAS, when installed) picks its blocking and its
 *       CPU-specific kernel at run time and splits products over its own threads: its bits hold only for the same
 *       library build, CPU type and BLAS thread count ({@code OPENBLAS_NUM_THREADS}). {@code -Dvae.kernels=java}
 *       trains with the portable kernels everywhere.</li>
 * </ul>
 * Not among them: the JVM's flags and the CPU's vector width. The element kernels (likelihoods, tanh, matrix blocks)
 * give the same bits with or without the Vector API module and at any width ({@code trainer.vector-lanes}: the fixed
 * logical lane count of their sums, see {@link dev.vae.core.kernel.ElementKernels}), and the double-precision
 * functions are {@code StrictMath}'s. {@link #resume} from a checkpoint continues to the same bits as an
 * uninterrupted run (a checkpoint needs no generator state).
 *
 * <p><b>Threads.</b> Each minibatch is split into {@code threads} fixed contiguous shards; each thread computes its
 * shard's gradient (of the shard's mean loss) into its own buffer with its own workspace, and the shard gradients
 * are summed in shard order with weights {@code shard_rows / batch_rows}. The noise is drawn for the whole batch
 * before sharding. Summation order depends on the thread count, so results are bit-identical for a given thread
 * count (not across thread counts).
 *
 * <p><b>Immutable and re-entrant.</b> A trainer holds only its {@link TrainingConfig}. What a run does besides
 * training, its {@link TrainingListener}s and its {@link CheckpointPolicy}, comes with each call in
 * {@link RunOptions}; every call derives its own generators, optimiser and buffers, so one trainer may run any number
 * of {@code fit} and {@code resume} calls, one after the other or at the same time, and they never share state or
 * listeners.
 */
public final class VaeTrainer {

    private static final int EVAL_CHUNK = 1024;

    private final TrainingConfig config;

    /** A trainer with the given configuration. */
    public VaeTrainer(TrainingConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The configuration. */
    public TrainingConfig config() {
        return config;
    }

    /**
     * Trains on {@code data} (raw units; labels, if any, are ignored), without listeners or checkpoints
     * ({@link RunOptions#none()}).
     *
     * @throws TrainingDivergedException when the loss or gradient becomes non-finite (it names the epoch and batch)
     */
    public TrainingResult fit(Table data) {
        return fit(data, RunOptions.none());
    }

    /**
     * Trains on {@code data} (raw units; labels, if any, are ignored), telling {@code options}' listeners and writing
     * its checkpoints. The options change no bit of the result.
     *
     * @throws TrainingDivergedException when the loss or gradient becomes non-finite (it names the epoch and batch)
     * @throws UncheckedIOException      when a checkpoint cannot be written
     * @throws IllegalArgumentException  when {@code options} ask for checkpoints and the optimiser is not an
     *                                   {@link Adam}, the only one whose state a checkpoint holds
     */
    public TrainingResult fit(Table data, RunOptions options) {
        return run(data, null, Objects.requireNonNull(options, "options"));
    }

    /**
     * Continues the run saved in {@code checkpoint} on the same {@code data} with the same settings (the number of
     * epochs and the patience may differ), to the same bits an uninterrupted run would have reached; without
     * listeners or checkpoints ({@link RunOptions#none()}).
     *
     * @throws IllegalArgumentException when the checkpoint belongs to another run (other data, settings or seed), or
     *                                  the optimiser is not an {@link Adam}
     */
    public TrainingResult resume(Table data, Checkpoint checkpoint) {
        return resume(data, checkpoint, RunOptions.none());
    }

    /**
     * Continues the run saved in {@code checkpoint} as {@link #resume(Table, Checkpoint)} does, telling
     * {@code options}' listeners (from the first epoch after the checkpoint's) and writing its checkpoints (counting
     * epochs from the start of the run, as the interrupted run did). The options change no bit of the result.
     *
     * @throws IllegalArgumentException when the checkpoint belongs to another run (other data, settings or seed), or
     *                                  the optimiser is not an {@link Adam}
     * @throws UncheckedIOException     when a checkpoint cannot be written
     */
    public TrainingResult resume(Table data, Checkpoint checkpoint, RunOptions options) {
        return run(data, Objects.requireNonNull(checkpoint, "checkpoint"), Objects.requireNonNull(options, "options"));
    }

    private TrainingResult run(Table data, @Nullable Checkpoint from, RunOptions options) {
        if (config.members() > 1) {
            if (from != null || options.checkpointPolicy() != null) {
                throw new IllegalArgumentException("A checkpoint holds one network, and this run trains an ensemble of "
                        + config.members() + ": train it without checkpoints (--checkpoint), or one network");
            }
            return ensemble(data, options);
        }
        return run(data, from, options, config.seed());
    }

    /**
     * Trains the {@link TrainingConfig#members()} networks of an ensemble one after the other, member m with seed
     * {@link #memberSeed}(seed, m) and every member on the validation split of the configured seed, so that they see
     * the same rows, fit the same scaler and stop on the same validation rows; member 0 is the network a run of one
     * would train, bit for bit. The listeners hear each member's run in turn. A member that diverges ends the run:
     * the exception names it and carries no last good model.
     */
    private TrainingResult ensemble(Table data, RunOptions options) {
        long started = System.nanoTime();
        List<TrainingResult> members = new ArrayList<>();
        for (int m = 0; m < config.members(); m++) {
            long seed = memberSeed(config.seed(), m);
            VaeTrainer member = new VaeTrainer(config.toBuilder().members(1).seed(seed).build());
            try {
                members.add(member.run(data, null, options, config.seed()));
            } catch (TrainingDivergedException e) {
                throw e.inMember(m + 1, config.members(), seed);
            }
        }
        TrainingResult first = members.get(0);
        VaeModel one = first.model();
        List<VaeNetwork> networks = new ArrayList<>();
        Map<String, String> provenance = new TreeMap<>(one.provenance());
        for (int m = 0; m < members.size(); m++) {
            VaeModel model = members.get(m).model();
            if (!model.scaler().equals(one.scaler())) {
                throw new IllegalStateException("Ensemble member " + (m + 1) + " fitted another scaler on the same rows");
            }
            networks.add(model.network());
            String key = "member." + (m + 1) + ".";
            provenance.put(key + "seed", model.provenance().get("trainer.seed"));
            provenance.put(key + "best-epoch", model.provenance().get("result.best-epoch"));
            provenance.put(key + "epochs-run", model.provenance().get("result.epochs-run"));
            provenance.put(key + "stop-reason", model.provenance().get("result.stop-reason"));
        }
        provenance.put("trainer.ensemble", Integer.toString(members.size()));
        provenance.put("trainer.seed", Long.toString(config.seed()));
        provenance.put("result.seconds", String.format(Locale.ROOT, "%.3f", (System.nanoTime() - started) / 1e9));
        VaeModel model = VaeModel.builder(networks).scaler(one.scaler()).featureNames(one.featureNames())
                .seed(config.seed()).provenance(provenance).build();
        return new TrainingResult(model, first.history(), first.bestEpoch(), first.stopReason(), first.validation(),
                members);
    }

    /**
     * The seed of member {@code member} (0-based) of an ensemble trained with {@code seed}: the seed itself for the
     * first, so that an ensemble's first member is the single network of that seed, else a SplitMix64 mix.
     */
    public static long memberSeed(long seed, int member) {
        if (member == 0) {
            return seed;
        }
        long z = seed ^ (0xD1B54A32D192ED03L * member);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** One network's run, its validation split derived from {@code splitSeed} (an ensemble's seed, else the run's). */
    private TrainingResult run(Table data, @Nullable Checkpoint from, RunOptions options, long splitSeed) {
        Run run = new Run(data, options, splitSeed);
        if ((from != null || options.checkpointPolicy() != null) && !(run.state.optimiser instanceof Adam)) {
            throw new IllegalArgumentException("Checkpoints save the state of the library's Adam only, and this run's"
                    + " optimiser is " + run.state.optimiser.describe() + ": train without checkpoints (--checkpoint)"
                    + " and resume, or with the default optimiser");
        }
        if (from != null) {
            run.state.restore(from, run.fingerprint, run.objective);
        }
        run.listeners.forEach(l -> l.onStart(config, run.train.rows(), run.validationRows));
        long started = System.nanoTime();
        String reason;
        try {
            reason = run.epochs();
        } catch (TrainingDivergedException e) {
            throw run.diverged(e, from, started);
        }
        return run.finish(reason, from, started);
    }

    /**
     * What a run carries from one epoch to the next, and nothing else: exactly what a {@link Checkpoint} saves
     * ({@link #checkpoint}) and a resume restores ({@link #restore}). No generator state: each epoch derives its
     * shuffle and noise from (seed, epoch).
     */
    private static final class RunState {
        float[] params;
        final Optimiser optimiser;
        /** The last completed epoch (0 before the first). */
        int epoch;
        float[] best;
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch;
        int sinceBest;
        final List<EpochStats> history = new ArrayList<>();
        /** Trimmed-loss training only: each training row's loss in the last epoch's minibatch steps. */
        final double @Nullable [] rowLoss;
        /** Whether {@link #rowLoss} holds a whole epoch's losses, from which trimming may choose. */
        boolean haveLosses;

        RunState(float[] initial, Optimiser optimiser, int trainRows, boolean trimmed) {
            this.params = initial;
            this.optimiser = optimiser;
            this.best = initial.clone();
            this.rowLoss = trimmed ? new double[trainRows] : null;
        }

        /** The optimiser as the {@link Adam} whose state a checkpoint holds ({@link #run} refuses any other). */
        Adam adam() {
            return (Adam) optimiser;
        }

        /** This state as a checkpoint of the run {@code fingerprint}. */
        Checkpoint checkpoint(String fingerprint) {
            Adam adam = adam();
            return new Checkpoint(fingerprint, epoch, params, adam.firstMoments(), adam.secondMoments(), adam.steps(),
                    best, bestEpoch, bestLoss, sinceBest, history, rowLoss);
        }

        /**
         * Takes the state saved in {@code from}, refusing a checkpoint of another run than {@code fingerprint}. A
         * checkpoint whose arrays are in the layout of builds in which the likelihood's own parameters were decoder
         * outputs ({@link VaeObjective#sharedOutputLayoutParameterCount()}) is converted: the zero weights (whose
         * Adam moments are zero too) are dropped, so the run continues to the bits it would have reached.
         */
        void restore(Checkpoint from, String fingerprint, VaeObjective objective) {
            if (!from.fingerprint().equals(fingerprint)) {
                throw new IllegalArgumentException("The checkpoint belongs to another run: it was made for ["
                        + from.fingerprint() + "], this run is [" + fingerprint + "]");
            }
            float[][] arrays = {from.parameters(), from.best(), from.adamFirst(), from.adamSecond()};
            int n = arrays[0].length;
            if (n != objective.parameterCount() && n == objective.sharedOutputLayoutParameterCount()) {
                String[] what = {"Parameter", "Best-epoch parameter", "Adam first moment", "Adam second moment"};
                for (int i = 0; i < arrays.length; i++) {
                    arrays[i] = objective.fromSharedOutputLayout(arrays[i], what[i]);
                }
            }
            if (arrays[0].length != objective.parameterCount()) {
                throw new IllegalArgumentException("The checkpoint holds " + n + " parameters; "
                        + objective.architecture().describe() + " has " + objective.parameterCount());
            }
            params = arrays[0];
            adam().restore(arrays[2], arrays[3], from.adamSteps());
            best = arrays[1];
            bestLoss = from.bestLoss();
            bestEpoch = from.bestEpoch();
            sinceBest = from.sinceBest();
            history.addAll(from.history());
            epoch = from.epoch();
            if (rowLoss != null) {
                double[] saved = from.rowLosses();
                if (saved == null || saved.length != rowLoss.length) {
                    throw new IllegalArgumentException("The checkpoint holds no row losses for trimmed-loss training");
                }
                System.arraycopy(saved, 0, rowLoss, 0, rowLoss.length);
                haveLosses = true;
            }
        }
    }

    /** The running sums of one epoch's minibatch steps, and the epoch's statistics from them. */
    private static final class EpochSums {
        double loss;
        double reconstruction;
        double kl;
        // The left-out rows' sums, subtracted from the batch sums to give the kept (optimised) rows' means.
        double leftLoss;
        double leftReconstruction;
        double leftKl;
        int leftOutRows;
        int batches;

        void add(BatchLoss batch, double beta) {
            loss += batch.reconstruction() + beta * batch.kl();
            reconstruction += batch.reconstruction();
            kl += batch.kl();
        }

        void addLeftOut(double rowLoss, double rowKl, double beta) {
            leftLoss += rowLoss;
            leftReconstruction += rowLoss - beta * rowKl;
            leftKl += rowKl;
        }

        EpochStats stats(int epoch, int trainRows, double validationLoss, double seconds) {
            double rowsPerSecond = trainRows / Math.max(seconds, 1e-9);
            if (leftOutRows == 0) {
                return new EpochStats(epoch, loss / trainRows, reconstruction / trainRows, kl / trainRows,
                        validationLoss, seconds, rowsPerSecond);
            }
            int kept = trainRows - leftOutRows;
            return new EpochStats(epoch, (loss - leftLoss) / kept, (reconstruction - leftReconstruction) / kept,
                    (kl - leftKl) / kept, validationLoss, seconds, rowsPerSecond, loss / trainRows,
                    leftLoss / leftOutRows, leftOutRows);
        }
    }

    /**
     * One call of {@link #fit} or {@link #resume}: the split and scaled data, the network, the scratch buffers of the
     * minibatch steps, the {@link RunState} the epochs carry forward and the call's listeners and checkpoint policy.
     * Its methods are the steps of the run.
     */
    private final class Run {
        final Table data;
        /** This run's listeners, in the order they are called. */
        final List<TrainingListener> listeners;
        final @Nullable CheckpointPolicy checkpoints;
        final Table train;
        final @Nullable Table validation;
        final int validationRows;
        final Scaler scaler;
        /** The training rows in model space. */
        final float[] x;
        /** The validation rows in model space, or null without a validation split. */
        final float @Nullable [] xv;
        final NativeNetwork init;
        final VaeObjective objective;
        final String fingerprint;
        final RunState state;
        final int d;
        final int k;
        final int batch;
        final Shard[] shards;
        final float[] xb;
        final float[] eps;
        final float[] grad;
        final double[] squares;
        /** The gradient in the layout its norm is summed in, when that is not its own; see {@link #gradient}. */
        final float @Nullable [] normLayout;
        /** The training rows in the epoch's order. */
        final int[] rows;
        /** Trimmed-loss training: the rows left out of this epoch's gradient, and the batch's weights and losses. */
        final boolean @Nullable [] excluded;
        final float @Nullable [] wb;
        final double @Nullable [] lb;
        final double @Nullable [] kb;
        final Workspace evalWs;

        /**
         * Splits and scales {@code data}, initialises the network and allocates the buffers of the steps, for a run
         * with {@code options}.
         */
        Run(Table data, RunOptions options, long splitSeed) {
            if (data.rows() < 2) {
                throw new IllegalArgumentException("Training needs at least 2 rows, got " + data.rows() + " from "
                        + data.source());
            }
            this.data = data;
            this.listeners = options.listeners();
            this.checkpoints = options.checkpointPolicy();
            SplittableRandom root = new SplittableRandom(config.seed());
            SplittableRandom ownSplit = root.split();
            SplittableRandom derivedSplit = splitSeed == config.seed() ? ownSplit
                    : new SplittableRandom(splitSeed).split();
            SplittableRandom splitRandom = config.validationSeed() == null ? derivedSplit
                    : new SplittableRandom(config.validationSeed());
            long initSeed = root.nextLong();

            d = data.width();
            int[] order = Shuffle.permutation(data.rows(), splitRandom);
            int held = (int) Math.floor(data.rows() * config.validationFraction());
            validationRows = held > 0 && data.rows() - held < 1 ? 0 : held;
            int[] validationIdx = Arrays.copyOfRange(order, 0, validationRows);
            int[] trainIdx = Arrays.copyOfRange(order, validationRows, order.length);
            Arrays.sort(validationIdx);
            Arrays.sort(trainIdx);
            train = data.select(trainIdx);
            validation = validationRows > 0 ? data.select(validationIdx) : null;

            Architecture arch = config.architecture(data);
            scaler = arch.likelihood() instanceof CompositeLikelihood c
                    ? c.fitScaler(train.values(), train.rows(), d)
                    : Scaler.fit(arch.likelihood().preferredScaling(), train.values(), train.rows(), d);
            x = new float[train.values().length];
            scaler.apply(train.values(), 0, x, 0, train.rows());
            if (validation != null) {
                xv = new float[validation.values().length];
                scaler.apply(validation.values(), 0, xv, 0, validation.rows());
            } else {
                xv = null;
            }

            init = NativeNetwork.initialize(arch, initSeed);
            objective = init.objective();
            OptimiserFactory factory = config.optimiserFactory();
            float[] initial = init.parameters();
            Optimiser optimiser = factory == null ? new Adam(initial.length, config.learningRate())
                    : Objects.requireNonNull(factory.create(initial.length), "the optimiser factory's optimiser");
            fingerprint = fingerprint(arch, data, optimiser);
            boolean trimmed = config.trimFraction() > 0;
            state = new RunState(initial, optimiser, train.rows(), trimmed);

            int parameters = state.params.length;
            batch = Math.min(config.batchSize(), train.rows());
            k = arch.latentDim();
            shards = new Shard[config.threads()];
            for (int s = 0; s < shards.length; s++) {
                shards[s] = new Shard(objective, batch, k, parameters);
            }
            xb = new float[batch * d];
            eps = new float[batch * k];
            grad = shards.length == 1 ? shards[0].grad : new float[parameters];
            // A likelihood that owns parameters: the gradient's norm is summed in the layout in which they were
            // decoder outputs (see gradient), whose length is the sum's.
            int normLength = objective.sharedOutputLayoutParameterCount();
            normLayout = normLength == parameters ? null : new float[normLength];
            squares = new double[(normLength + BLOCK - 1) / BLOCK];
            rows = new int[train.rows()];
            excluded = trimmed ? new boolean[train.rows()] : null;
            wb = trimmed ? new float[batch] : null;
            lb = trimmed ? new double[batch] : null;
            kb = trimmed ? new double[batch] : null;
            evalWs = objective.workspace(Math.min(EVAL_CHUNK, Math.max(1, validationRows)));
        }

        /** Runs the epochs after the state's until the last or an early stop; returns why it stopped, in words. */
        String epochs() {
            for (int epoch = state.epoch + 1; epoch <= config.epochs(); epoch++) {
                EpochStats stats = epoch(epoch);
                state.history.add(stats);
                state.epoch = epoch;
                listeners.forEach(l -> l.onEpochEnd(stats));
                if (patienceRunsOut(stats)) {
                    return "early stop: validation loss did not improve for " + config.patience() + " epochs";
                }
                if (checkpoints != null && checkpoints.isDueAfter(epoch)) {
                    writeCheckpoint(state.checkpoint(fingerprint), checkpoints.file());
                }
            }
            return "reached the maximum of " + config.epochs() + " epochs";
        }

        /**
         * One epoch: the shuffle, the choice of the rows trimming leaves out, the minibatch steps, the weights'
         * guard and the validation loss.
         */
        EpochStats epoch(int epoch) {
            SplittableRandom epochRandom = new SplittableRandom(epochSeed(config.seed(), epoch));
            for (int i = 0; i < rows.length; i++) {
                rows[i] = i;
            }
            Shuffle.shuffle(rows, epochRandom);
            NormalSampler noise = new NormalSampler(epochRandom.split());
            double beta = config.betaAt(epoch);
            long t0 = System.nanoTime();
            EpochSums sums = new EpochSums();
            boolean trimming = state.rowLoss != null && epoch > config.trimWarmupEpochs() && state.haveLosses;
            if (trimming) {
                sums.leftOutRows = trimmedRows(state.rowLoss);
                highest(state.rowLoss, sums.leftOutRows, excluded);
            }
            for (int start = 0; start < rows.length; start += batch) {
                step(epoch, start, Math.min(batch, rows.length - start), noise, beta, trimming, sums);
            }
            state.haveLosses = state.rowLoss != null;
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (!allFinite(state.params)) {
                throw new TrainingDivergedException(epoch, sums.batches, "the weights are no longer finite");
            }
            return sums.stats(epoch, rows.length, validationLoss(epoch, sums.batches), seconds);
        }

        /**
         * One minibatch step on the {@code n} rows from {@code start} in the epoch's order: the batch's noise, its
         * gradient across the shards (weighted to the kept rows' mean when trimming), the divergence guard, the
         * clipped optimiser step and the listeners' call.
         */
        void step(int epoch, int start, int n, NormalSampler noise, double beta, boolean trimming, EpochSums sums) {
            for (int i = 0; i < n; i++) {
                System.arraycopy(x, rows[start + i] * d, xb, i * d, d);
            }
            noise.fill(eps, 0, n * k);
            int batchIndex = ++sums.batches;
            int kept = trimming ? weighKeptRows(start, n) : n;
            // No weights before trimming starts (every row weighs 1); the row losses are recorded throughout.
            BatchLoss loss = gradient(shards, state.params, xb, eps, n, d, k, beta, grad, squares, normLayout,
                    trimming ? wb : null, lb, kb);
            double batchLeftOut = recordRowLosses(start, n, beta, trimming, sums);
            double norm = guardedNorm(epoch, batchIndex, loss, beta);
            if (kept > 0) {
                float clip = config.clipNorm() > 0 && norm > config.clipNorm() ? (float) (config.clipNorm() / norm) : 1f;
                state.optimiser.step(state.params, grad, clip, shards.length);
            }
            sums.add(loss, beta);
            double batchLoss = kept == n ? loss.meanLoss(beta)
                    : kept == 0 ? Double.NaN
                    : (loss.reconstruction() + beta * loss.kl() - batchLeftOut) / kept;
            listeners.forEach(l -> l.onBatchEnd(epoch, batchIndex, n, batchLoss));
        }

        /**
         * Sets the weights {@code wb} of the batch's rows from {@code start}: 0 for a left-out row, n / kept for a
         * kept one, so the gradient is that of the kept rows' mean loss. Returns how many rows are kept.
         */
        int weighKeptRows(int start, int n) {
            boolean[] out = Objects.requireNonNull(excluded);
            float[] weights = Objects.requireNonNull(wb);
            int kept = 0;
            for (int i = 0; i < n; i++) {
                kept += out[rows[start + i]] ? 0 : 1;
            }
            float w = kept == 0 ? 0f : (float) n / kept;
            for (int i = 0; i < n; i++) {
                weights[i] = out[rows[start + i]] ? 0f : w;
            }
            return kept;
        }

        /**
         * Saves the batch's row losses (trimmed-loss training) and adds the left-out ones to {@code sums}; returns
         * the batch's left-out loss.
         */
        double recordRowLosses(int start, int n, double beta, boolean trimming, EpochSums sums) {
            double batchLeftOut = 0;
            if (lb != null && kb != null && state.rowLoss != null && excluded != null) {
                for (int i = 0; i < n; i++) {
                    state.rowLoss[rows[start + i]] = lb[i];
                    if (trimming && excluded[rows[start + i]]) {
                        batchLeftOut += lb[i];
                        sums.addLeftOut(lb[i], kb[i], beta);
                    }
                }
            }
            return batchLeftOut;
        }

        /** The divergence guard of a step: the gradient's norm, when it and the batch's loss are finite. */
        double guardedNorm(int epoch, int batchIndex, BatchLoss loss, double beta) {
            if (!loss.isFinite()) {
                throw new TrainingDivergedException(epoch, batchIndex, "the loss is " + loss.meanLoss(beta));
            }
            double norm = norm(squares);
            if (!Double.isFinite(norm)) {
                throw new TrainingDivergedException(epoch, batchIndex, "the gradient is not finite");
            }
            return norm;
        }

        /** The validation loss of the epoch's weights (trimmed when training trims); NaN without a split. */
        double validationLoss(int epoch, int batches) {
            if (xv == null || validation == null) {
                return Double.NaN;
            }
            double trim = config.trimFraction();
            double loss = trim > 0
                    ? trimmedMean(objective, state.params, xv, validation.rows(), evalWs, trim)
                    : evaluate(objective, state.params, xv, validation.rows(), evalWs).meanLoss(1.0);
            if (!Double.isFinite(loss)) {
                throw new TrainingDivergedException(epoch, batches, "the validation loss is " + loss);
            }
            return loss;
        }

        /**
         * Keeps the weights of the best epoch so far and counts the epochs since; true when the patience runs out.
         * During KL warm-up the training loss is not the ELBO, so only the validation loss (always at beta = 1) is a
         * fair yardstick; without validation the last epoch's weights are kept.
         */
        boolean patienceRunsOut(EpochStats stats) {
            if (xv == null || stats.validationLoss() < state.bestLoss) {
                if (xv != null) {
                    state.bestLoss = stats.validationLoss();
                }
                state.bestEpoch = stats.epoch();
                System.arraycopy(state.params, 0, state.best, 0, state.params.length);
                state.sinceBest = 0;
                return false;
            }
            if (config.patience() > 0 && ++state.sinceBest >= config.patience()) {
                int bestEpoch = state.bestEpoch;
                listeners.forEach(l -> l.onEarlyStop(stats.epoch(), bestEpoch, config.patience()));
                return true;
            }
            return false;
        }

        /** Tells the listeners and gives {@code e} the best epoch's model, if an epoch completed before. */
        TrainingDivergedException diverged(TrainingDivergedException e, @Nullable Checkpoint from, long started) {
            int kept = state.bestEpoch;
            listeners.forEach(l -> l.onStop(e.getMessage(), kept));
            VaeModel lastGood = kept == 0 ? null
                    : model("diverged: " + e.getMessage(), (System.nanoTime() - started) / 1e9, from, null);
            return e.withLastGood(lastGood);
        }

        /** Tells the listeners and builds the result: the best epoch's model and the history. */
        TrainingResult finish(String reason, @Nullable Checkpoint from, long started) {
            int kept = state.bestEpoch;
            listeners.forEach(l -> l.onStop(reason, kept));
            VaeModel model = model(reason, (System.nanoTime() - started) / 1e9, from, state.rowLoss);
            return new TrainingResult(model, state.history, kept, reason, validation);
        }

        /** The model of the best epoch's weights with the run's provenance. */
        VaeModel model(String reason, double seconds, @Nullable Checkpoint from, double @Nullable [] rowLoss) {
            Map<String, String> provenance = provenance(data, train.rows(), validationRows, state.bestEpoch,
                    state.history.size(), reason, seconds, objective.kernels(), state.optimiser);
            if (from != null) {
                provenance.put("result.resumed-after-epoch", Integer.toString(from.epoch()));
            }
            if (rowLoss != null) {
                // What the last epoch's losses leave out: with adaptive trimming, an estimate of the anomalies' count.
                provenance.put("result.trimmed-rows", Integer.toString(trimmedRows(rowLoss)));
            }
            return VaeModel.builder(init.withParameters(state.best))
                    .scaler(scaler)
                    .featureNames(data.columns())
                    .seed(config.seed())
                    .provenance(provenance)
                    .build();
        }
    }

    private static void writeCheckpoint(Checkpoint c, Path file) {
        try {
            c.write(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /** Gradient elements per block of the parallel combination, norm and update: 64 KiB of floats. */
    static final int BLOCK = 16 * 1024;

    /** Per-thread buffers for one contiguous shard of each minibatch. */
    private static final class Shard {
        final VaeObjective objective;
        final Workspace ws;
        final float[] grad;
        final float[] eps;
        final int latent;
        int from;
        int rows;
        BatchLoss loss = new BatchLoss(0, 0, 0);

        Shard(VaeObjective objective, int batch, int latent, int parameters) {
            this.objective = objective;
            this.ws = objective.workspace(batch);
            this.grad = new float[parameters];
            this.eps = new float[batch * latent];
            this.latent = latent;
        }

        void run(float[] params, float[] xb, float[] batchEps, int d, double beta, float @Nullable [] weights,
                 double @Nullable [] rowLoss, double @Nullable [] rowKl) {
            System.arraycopy(batchEps, from * latent, eps, 0, rows * latent);
            // Null weights and row losses (untrimmed training) are the plain call, bit for bit.
            loss = objective.lossAndGradient(params, xb, from * d, rows, eps, beta, grad, ws, weights, from, rowLoss,
                    from, rowKl);
        }
    }

    /**
     * The minibatch's loss sums and, in {@code grad}, the gradient of its mean loss: the shard gradients weighted by
     * shard_rows / batch_rows and summed in shard order. {@code squares[b]} receives the sum of squares of the
     * gradient's block b ({@link #BLOCK} elements), for its norm. Shards run in parallel, then the combination does,
     * by blocks; neither split changes a bit.
     *
     * <p>With {@code normLayout} (a likelihood that owns parameters), the squares are summed over the gradient written
     * in the layout in which those parameters were decoder outputs ({@link VaeObjective#toSharedOutputLayout}), in
     * its order and blocks: the zeros it adds change no sum, and the norm, so clipping, keeps the bits of the
     * builds that trained in that layout.
     */
    private static BatchLoss gradient(Shard[] shards, float[] params, float[] xb, float[] eps, int n, int d, int k,
                                      double beta, float[] grad, double[] squares, float @Nullable [] normLayout,
                                      float @Nullable [] weights, double @Nullable [] rowLoss,
                                      double @Nullable [] rowKl) {
        int t = shards.length;
        for (int s = 0; s < t; s++) {
            shards[s].from = (int) ((long) n * s / t);
            shards[s].rows = (int) ((long) n * (s + 1) / t) - shards[s].from;
        }
        RowParallel.run(t, s -> {
            if (shards[s].rows > 0) {
                shards[s].run(params, xb, eps, d, beta, weights, rowLoss, rowKl);
            }
        });
        BatchLoss total = new BatchLoss(0, 0, 0);
        for (Shard s : shards) {
            if (s.rows > 0) {
                total = total.plus(s.loss);
            }
        }
        float[] summed = grad;
        if (normLayout != null) {
            if (t > 1) {
                int gradBlocks = (grad.length + BLOCK - 1) / BLOCK;
                RowParallel.run(t, part -> {
                    for (int b = firstBlock(gradBlocks, part, t); b < firstBlock(gradBlocks, part + 1, t); b++) {
                        combine(shards, n, grad, b * BLOCK, Math.min(grad.length, (b + 1) * BLOCK));
                    }
                });
            }
            shards[0].objective.toSharedOutputLayout(grad, normLayout);
            summed = normLayout;
        }
        float[] g = summed;
        boolean combined = normLayout != null || t == 1;
        int blocks = squares.length;
        RowParallel.run(t, part -> {
            for (int b = firstBlock(blocks, part, t); b < firstBlock(blocks, part + 1, t); b++) {
                int from = b * BLOCK;
                int to = Math.min(g.length, from + BLOCK);
                if (!combined) {
                    combine(shards, n, grad, from, to);
                }
                double sum = 0;
                for (int i = from; i < to; i++) {
                    sum += (double) g[i] * g[i];
                }
                squares[b] = sum;
            }
        });
        return total;
    }

    /** {@code grad[from, to)} = sum over shards, in shard order, of (shard rows / n) * the shard's gradient. */
    private static void combine(Shard[] shards, int n, float[] grad, int from, int to) {
        boolean first = true;
        for (Shard s : shards) {
            if (s.rows == 0) {
                continue;
            }
            float w = (float) s.rows / n;
            float[] g = s.grad;
            if (first) {
                for (int i = from; i < to; i++) {
                    grad[i] = w * g[i];
                }
                first = false;
            } else {
                for (int i = from; i < to; i++) {
                    grad[i] += w * g[i];
                }
            }
        }
    }

    /** The first of the blocks that part {@code part} of {@code parts} takes (the parts split the blocks evenly). */
    private static int firstBlock(int blocks, int part, int parts) {
        return (int) ((long) blocks * part / parts);
    }

    /** The L2 norm from per-block sums of squares, added in block order (the same bits for any thread count). */
    private static double norm(double[] squares) {
        double sum = 0;
        for (double v : squares) {
            sum += v;
        }
        return Math.sqrt(sum);
    }

    /** Mean negative ELBO terms at z = mu over {@code n} model-space rows. */
    static BatchLoss evaluate(VaeObjective objective, float[] params, float[] x, int n, Workspace ws) {
        int d = objective.architecture().inputDim();
        BatchLoss total = new BatchLoss(0, 0, 0);
        for (int start = 0; start < n; start += EVAL_CHUNK) {
            int m = Math.min(EVAL_CHUNK, n - start);
            total = total.plus(objective.loss(params, x, start * d, m, null, ws, null, null));
        }
        return total;
    }

    /**
     * Marks in {@code out} the {@code m} entries of {@code loss} with the highest values (NaN counts as the highest;
     * among equal values the higher index goes first), clearing the others. Deterministic: it depends on the values
     * alone, never on how they were computed or on the thread count.
     */
    static void highest(double[] loss, int m, boolean[] out) {
        Arrays.fill(out, false);
        if (m <= 0) {
            return;
        }
        double[] sorted = loss.clone();
        for (int i = 0; i < sorted.length; i++) {
            if (Double.isNaN(sorted[i])) {
                sorted[i] = Double.POSITIVE_INFINITY;
            }
        }
        Arrays.sort(sorted);
        double t = sorted[sorted.length - m];
        int marked = 0;
        for (int i = 0; i < loss.length; i++) {
            double v = Double.isNaN(loss[i]) ? Double.POSITIVE_INFINITY : loss[i];
            if (v > t) {
                out[i] = true;
                marked++;
            }
        }
        for (int i = loss.length - 1; i >= 0 && marked < m; i--) {
            double v = Double.isNaN(loss[i]) ? Double.POSITIVE_INFINITY : loss[i];
            if (v == t) {
                out[i] = true;
                marked++;
            }
        }
    }

    /** How many rows the losses {@code rowLoss} leave out of the next epoch's gradient. */
    private int trimmedRows(double[] rowLoss) {
        int cap = (int) Math.floor(config.trimFraction() * rowLoss.length);
        return config.trimAdaptive() ? Math.min(cap, aboveLossSplit(rowLoss)) : cap;
    }

    /**
     * How many rows lie above the two-class split of their losses ({@link TwoClassSplit}); rows of NaN or infinite
     * loss always count as above. Depends on the values alone, so a resumed run splits as the uninterrupted one did.
     */
    static int aboveLossSplit(double[] loss) {
        return TwoClassSplit.of(loss).above();
    }

    /**
     * The mean negative ELBO at z = mu of the {@code n} rows without the {@code floor(trim * n)} highest ones (the
     * trimmed mean: validation rows contain anomalies too).
     */
    static double trimmedMean(VaeObjective objective, float[] params, float[] x, int n, Workspace ws, double trim) {
        int d = objective.architecture().inputDim();
        double[] all = new double[n];
        double[] recon = new double[Math.min(EVAL_CHUNK, n)];
        double[] kl = new double[recon.length];
        for (int start = 0; start < n; start += EVAL_CHUNK) {
            int m = Math.min(EVAL_CHUNK, n - start);
            objective.loss(params, x, start * d, m, null, ws, recon, kl);
            for (int i = 0; i < m; i++) {
                double v = recon[i] + kl[i];
                all[start + i] = Double.isNaN(v) ? Double.POSITIVE_INFINITY : v;
            }
        }
        Arrays.sort(all);
        int keep = n - (int) Math.floor(trim * n);
        double sum = 0;
        for (int i = 0; i < keep; i++) {
            sum += all[i];
        }
        return sum / keep;
    }

    /** The seed of epoch {@code epoch}'s shuffle and noise: a SplitMix64 mix of the run seed and the epoch. */
    static long epochSeed(long seed, int epoch) {
        long z = seed + 0x9E3779B97F4A7C15L * (epoch + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Everything the bits of a run depend on besides the epoch count and patience. The default optimiser adds nothing
     * (its learning rate is there), so checkpoints of earlier builds still resume; another says what it is.
     */
    private String fingerprint(Architecture arch, Table data, Optimiser optimiser) {
        long h = 0xcbf29ce484222325L;
        for (float v : data.values()) {
            h = (h ^ Float.floatToIntBits(v)) * 0x100000001b3L;
        }
        return String.format(Locale.ROOT,
                "%s; batch %d; lr %s; beta %s; kl-warmup %d; clip %s; threads %d; seed %d; validation %s seed %s;"
                        + " data %dx%d %016x",
                arch.describe(), config.batchSize(), config.learningRate(), config.beta(), config.klWarmupEpochs(),
                config.clipNorm(), config.threads(), config.seed(), config.validationFraction(),
                config.validationSeed() == null ? "derived" : config.validationSeed(), data.rows(),
                data.width(), h) + (config.trimFraction() > 0
                ? String.format(Locale.ROOT, "; trim %s%s after %d", config.trimAdaptive() ? "adaptive " : "",
                config.trimFraction(), config.trimWarmupEpochs()) : "")
                + (config.optimiserFactory() == null ? "" : "; optimiser " + optimiser.describe());
    }

    private static boolean allFinite(float[] a) {
        for (float v : a) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    private Map<String, String> provenance(Table data, int trainRows, int validationRows, int bestEpoch,
                                           int epochsRun, String reason, double seconds, MatrixKernels kernels,
                                           Optimiser optimiser) {
        Map<String, String> p = new TreeMap<>();
        p.put("trainer.class", VaeTrainer.class.getName());
        p.put("trainer.epochs", Integer.toString(config.epochs()));
        p.put("trainer.batch-size", Integer.toString(config.batchSize()));
        p.put("trainer.learning-rate", Double.toString(config.learningRate()));
        p.put("trainer.beta", Double.toString(config.beta()));
        p.put("trainer.kl-warmup-epochs", Integer.toString(config.klWarmupEpochs()));
        p.put("trainer.clip-norm", Double.toString(config.clipNorm()));
        p.put("trainer.threads", Integer.toString(config.threads()));
        p.put("trainer.seed", Long.toString(config.seed()));
        p.put("trainer.validation-fraction", Double.toString(config.validationFraction()));
        p.put("trainer.validation-seed", config.validationSeed() == null ? "derived" : config.validationSeed().toString());
        p.put("trainer.patience", Integer.toString(config.patience()));
        p.put("trainer.trim-fraction", Double.toString(config.trimFraction()));
        p.put("trainer.trim-adaptive", Boolean.toString(config.trimAdaptive()));
        p.put("trainer.trim-warmup-epochs", Integer.toString(config.trimWarmupEpochs()));
        // The default Adam's settings are the learning rate above and fixed betas; another optimiser says its own.
        p.put("trainer.optimizer", config.optimiserFactory() == null ? "adam" : optimiser.describe());
        p.put("trainer.kernels", kernels.name());
        // What a rerun needs to reproduce these bits, besides data, settings, seed and trainer.threads (class javadoc).
        MatrixKernels training = kernels.forTraining();
        p.put("trainer.matrix-kernels", training.name() + (training == Kernels.portable()
                ? " (portable: the same bits on every machine)"
                : " (native BLAS, " + training.threadsPerCall() + " thread(s) per call: the same bits only with the"
                        + " same library build, CPU type and BLAS threads)"));
        p.put("trainer.vector-lanes", ElementKernels.LANES + " (fixed: bits independent of the vector width)");
        // For the record only: every element-kernel path gives the same bits.
        p.put("trainer.element-kernels", Simd.describe());
        p.put("data.source", data.source());
        p.put("data.rows", Integer.toString(data.rows()));
        p.put("data.train-rows", Integer.toString(trainRows));
        p.put("data.validation-rows", Integer.toString(validationRows));
        p.put("result.best-epoch", Integer.toString(bestEpoch));
        p.put("result.epochs-run", Integer.toString(epochsRun));
        p.put("result.stop-reason", reason);
        p.put("result.seconds", String.format(Locale.ROOT, "%.3f", seconds));
        p.put("created", Instant.now().toString());
        p.put("java.version", System.getProperty("java.version", "?"));
        String version = VaeTrainer.class.getPackage().getImplementationVersion();
        p.put("library.version", version == null ? "dev" : version);
        return p;
    }
}
