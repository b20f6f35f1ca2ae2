package dev.vae.train;

import dev.vae.core.Architecture;
import dev.vae.core.VaeModel;
import dev.vae.core.nn.BatchLoss;
import dev.vae.core.nn.NativeNetwork;
import dev.vae.core.nn.VaeObjective;
import dev.vae.core.nn.Workspace;
import dev.vae.core.random.NormalSampler;
import dev.vae.core.scale.Scaler;
import dev.vae.train.data.Table;
import dev.vae.train.optim.Adam;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Trains a VAE or autoencoder by minibatch Adam on the negative ELBO, with a held-out validation split, early
 * stopping on the validation negative ELBO (z = mu) and restoration of the best epoch's weights.
 *
 * <p>Re-entrant: every {@link #fit} call derives its own generators from the configured seed, so two calls never
 * share state and the same data, settings and seed give a bit-identical model.
 */
public final class VaeTrainer {

    private static final int EVAL_CHUNK = 1024;

    private final TrainingConfig config;
    private final List<TrainingListener> listeners = new CopyOnWriteArrayList<>();

    /** A trainer with the given configuration. */
    public VaeTrainer(TrainingConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The configuration. */
    public TrainingConfig config() {
        return config;
    }

    /** Adds a listener; returns this trainer. */
    public VaeTrainer addListener(TrainingListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Trains on {@code data} (raw units; labels, if any, are ignored).
     *
     * @throws TrainingDivergedException when the loss or gradient becomes non-finite
     */
    public TrainingResult fit(Table data) {
        if (data.rows() < 2) {
            throw new IllegalArgumentException("Training needs at least 2 rows, got " + data.rows() + " from " + data.source());
        }
        SplittableRandom root = new SplittableRandom(config.seed());
        SplittableRandom splitRandom = root.split();
        long initSeed = root.nextLong();
        SplittableRandom shuffleRandom = root.split();
        NormalSampler noise = new NormalSampler(root.split());

        int d = data.width();
        int[] order = permutation(data.rows(), splitRandom);
        int validationRows = (int) Math.floor(data.rows() * config.validationFraction());
        if (validationRows > 0 && data.rows() - validationRows < 1) {
            validationRows = 0;
        }
        int[] validationIdx = java.util.Arrays.copyOfRange(order, 0, validationRows);
        int[] trainIdx = java.util.Arrays.copyOfRange(order, validationRows, order.length);
        java.util.Arrays.sort(validationIdx);
        java.util.Arrays.sort(trainIdx);
        Table train = data.select(trainIdx);
        Table validation = validationRows > 0 ? data.select(validationIdx) : null;

        Architecture arch = config.architecture(d);
        Scaler scaler = Scaler.fit(arch.likelihood().preferredScaling(), train.values(), train.rows(), d);
        float[] x = new float[train.values().length];
        scaler.apply(train.values(), 0, x, 0, train.rows());
        float[] xv = null;
        if (validation != null) {
            xv = new float[validation.values().length];
            scaler.apply(validation.values(), 0, xv, 0, validation.rows());
        }

        NativeNetwork init = NativeNetwork.initialize(arch, initSeed);
        VaeObjective objective = init.objective();
        float[] params = init.parameters();
        float[] grad = new float[params.length];
        Adam adam = new Adam(params.length, config.learningRate());
        int batch = Math.min(config.batchSize(), train.rows());
        Workspace ws = objective.workspace(batch);
        float[] xb = new float[batch * d];
        float[] eps = new float[batch * arch.latentDim()];
        int[] rows = new int[train.rows()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }

        listeners.forEach(l -> l.onStart(config, train.rows(), validation == null ? 0 : validation.rows()));
        List<EpochStats> history = new ArrayList<>();
        float[] best = params.clone();
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        int sinceBest = 0;
        String reason = "reached the maximum of " + config.epochs() + " epochs";
        long started = System.nanoTime();
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            shuffle(rows, shuffleRandom);
            long t0 = System.nanoTime();
            double lossSum = 0;
            double reconSum = 0;
            double klSum = 0;
            int batchIndex = 0;
            for (int start = 0; start < rows.length; start += batch) {
                int n = Math.min(batch, rows.length - start);
                for (int i = 0; i < n; i++) {
                    System.arraycopy(x, rows[start + i] * d, xb, i * d, d);
                }
                noise.fill(eps, 0, n * arch.latentDim());
                batchIndex++;
                BatchLoss loss = objective.lossAndGradient(params, xb, 0, n, eps, config.beta(), grad, ws);
                if (!loss.isFinite()) {
                    throw new TrainingDivergedException(epoch, batchIndex, "the loss is " + loss.meanLoss(config.beta()));
                }
                for (float g : grad) {
                    if (!Float.isFinite(g)) {
                        throw new TrainingDivergedException(epoch, batchIndex, "a gradient is not finite");
                    }
                }
                adam.step(params, grad);
                lossSum += loss.reconstruction() + config.beta() * loss.kl();
                reconSum += loss.reconstruction();
                klSum += loss.kl();
                int e = epoch;
                int b = batchIndex;
                listeners.forEach(l -> l.onBatchEnd(e, b, n));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            int nTrain = rows.length;
            double validationLoss = Double.NaN;
            if (xv != null) {
                BatchLoss v = evaluate(objective, params, xv, validation.rows(), ws);
                validationLoss = v.meanLoss(1.0);
                if (!Double.isFinite(validationLoss)) {
                    throw new TrainingDivergedException(epoch, batchIndex, "the validation loss is " + validationLoss);
                }
            }
            EpochStats stats = new EpochStats(epoch, lossSum / nTrain, reconSum / nTrain, klSum / nTrain, validationLoss,
                    seconds, nTrain / Math.max(seconds, 1e-9));
            history.add(stats);
            listeners.forEach(l -> l.onEpochEnd(stats));
            double monitored = xv != null ? validationLoss : stats.loss();
            if (monitored < bestLoss) {
                bestLoss = monitored;
                bestEpoch = epoch;
                System.arraycopy(params, 0, best, 0, params.length);
                sinceBest = 0;
            } else if (xv != null && config.patience() > 0 && ++sinceBest >= config.patience()) {
                reason = "early stop: validation loss did not improve for " + config.patience() + " epochs";
                break;
            }
        }
        int keptEpoch = bestEpoch;
        String stopReason = reason;
        listeners.forEach(l -> l.onStop(stopReason, keptEpoch));
        double totalSeconds = (System.nanoTime() - started) / 1e9;

        VaeModel model = VaeModel.builder(init.withParameters(best))
                .scaler(scaler)
                .featureNames(data.columns())
                .seed(config.seed())
                .provenance(provenance(data, train.rows(), validation == null ? 0 : validation.rows(), keptEpoch,
                        history.size(), stopReason, totalSeconds, objective.kernels().name()))
                .build();
        return new TrainingResult(model, history, keptEpoch, stopReason, validation);
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

    private java.util.Map<String, String> provenance(Table data, int trainRows, int validationRows, int bestEpoch,
                                                     int epochsRun, String reason, double seconds, String kernels) {
        java.util.Map<String, String> p = new java.util.TreeMap<>();
        p.put("trainer.class", VaeTrainer.class.getName());
        p.put("trainer.epochs", Integer.toString(config.epochs()));
        p.put("trainer.batch-size", Integer.toString(config.batchSize()));
        p.put("trainer.learning-rate", Double.toString(config.learningRate()));
        p.put("trainer.beta", Double.toString(config.beta()));
        p.put("trainer.seed", Long.toString(config.seed()));
        p.put("trainer.validation-fraction", Double.toString(config.validationFraction()));
        p.put("trainer.patience", Integer.toString(config.patience()));
        p.put("trainer.optimizer", "adam");
        p.put("trainer.kernels", kernels);
        p.put("data.source", data.source());
        p.put("data.rows", Integer.toString(data.rows()));
        p.put("data.train-rows", Integer.toString(trainRows));
        p.put("data.validation-rows", Integer.toString(validationRows));
        p.put("result.best-epoch", Integer.toString(bestEpoch));
        p.put("result.epochs-run", Integer.toString(epochsRun));
        p.put("result.stop-reason", reason);
        p.put("result.seconds", String.format(java.util.Locale.ROOT, "%.3f", seconds));
        p.put("created", Instant.now().toString());
        p.put("java.version", System.getProperty("java.version", "?"));
        String version = VaeTrainer.class.getPackage().getImplementationVersion();
        p.put("library.version", version == null ? "dev" : version);
        return p;
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p, random);
        return p;
    }

    private static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
