package dev.vae.train;

import dev.vae.core.data.Table;
import dev.vae.core.nn.Architecture;
import dev.vae.core.nn.ModelType;
import dev.vae.core.likelihood.Likelihood;
import dev.vae.core.kernel.Kernels;
import dev.vae.core.nn.Activation;
import dev.vae.train.optim.Adam;
import dev.vae.train.optim.OptimiserFactory;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything a training run needs besides data, in four parts that each validate their own fields: the
 * {@linkplain NetworkSpec network} to train, the {@linkplain OptimiserSpec optimiser}, the
 * {@linkplain ValidationSpec validation split and early stopping} and {@linkplain TrimmingSpec trimmed-loss training};
 * plus the run's seed and thread count. Unset network fields ({@code null} or empty) adapt to the data's width
 * through {@link Architecture#defaults(int)}. Build one with {@link #builder()} (or change one with
 * {@link #toBuilder()}); {@link #defaults()} works on any tabular data. The flat accessors ({@link #epochs()},
 * {@link #learningRate()}, ...) read the parts, so callers need not know which part holds a setting.
 *
 * @param network    the network to train
 * @param optimiser  how the gradient steps are taken
 * @param validation the held-out rows and early stopping
 * @param trimming   trimmed-loss (robust) training
 * @param seed       the seed every random choice of the run derives from
 * @param threads    data-parallel shards of each minibatch's gradient, run on the library's row pool
 *                   ({@code RowParallel}: one thread per core); results are bit-identical for a given seed and shard
 *                   count, whichever threads run them
 */
public record TrainingConfig(NetworkSpec network, OptimiserSpec optimiser, ValidationSpec validation,
                             TrimmingSpec trimming, long seed, int threads) {

    /** Largest accepted thread count. */
    public static final int MAX_THREADS = 256;

    /** Validates the thread count and requires every part. */
    public TrainingConfig {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(optimiser, "optimiser");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(trimming, "trimming");
        if (!TrainingOptions.THREADS_RANGE.contains(threads)) {
            throw new IllegalArgumentException("Invalid thread count: " + threads + " (expected " + TrainingOptions.THREADS_RANGE + ")");
        }
    }

    /**
     * The network to train; unset fields adapt to the data.
     *
     * @param hidden     encoder hidden widths (decoder mirrors them); empty = adapt to the data
     * @param latent     latent dimension K; 0 = adapt to the data
     * @param likelihood the likelihood; null = the default
     * @param modelType  VAE or plain AE
     * @param activation hidden activation
     * @param members    networks of this architecture trained on the same rows with different seeds
     *                   ({@link VaeTrainer#memberSeed}), the model their ensemble ({@code VaeModel}); 1 = one network
     */
    public record NetworkSpec(List<Integer> hidden, int latent, @Nullable Likelihood likelihood, ModelType modelType,
                              Activation activation, int members) {

        /** Validates every field and names the bad value. */
        public NetworkSpec {
            hidden = List.copyOf(hidden);
            for (int h : hidden) {
                if (!TrainingOptions.HIDDEN_RANGE.contains(h)) {
                    throw new IllegalArgumentException("Invalid hidden layer width: " + h);
                }
            }
            if (!TrainingOptions.LATENT_RANGE.contains(latent)) {
                throw new IllegalArgumentException("Invalid latent dimension: " + latent);
            }
            if (modelType == null || activation == null) {
                throw new IllegalArgumentException("Model type and activation are required");
            }
            if (!TrainingOptions.ENSEMBLE_RANGE.contains(members)) {
                throw new IllegalArgumentException("Invalid ensemble size: " + members + " (expected "
                        + TrainingOptions.ENSEMBLE_RANGE + ")");
            }
        }

        /** One network (no ensemble) of these settings. */
        public NetworkSpec(List<Integer> hidden, int latent, @Nullable Likelihood likelihood, ModelType modelType,
                           Activation activation) {
            this(hidden, latent, likelihood, modelType, activation, 1);
        }

        /**
         * The architecture for a training table of {@code rows} rows of {@code inputDim} features: the defaults for
         * that table ({@link Architecture#defaults(int, int)}), overridden by the set fields.
         */
        public Architecture architecture(int inputDim, int rows) {
            return architecture(inputDim, rows, null);
        }

        /**
         * The architecture for training on {@code data}: {@link #architecture(int, int)} for its shape, with the
         * default likelihood of {@link Architecture#defaultLikelihood(Table)} when none is set (it also looks at the
         * columns' values).
         */
        public Architecture architecture(Table data) {
            return architecture(data.width(), data.rows(), likelihood == null ? Architecture.defaultLikelihood(data) : null);
        }

        private Architecture architecture(int inputDim, int rows, @Nullable Likelihood tableDefault) {
            Architecture a = Architecture.defaults(inputDim, rows).withModelType(modelType).withActivation(activation);
            if (likelihood != null) {
                a = a.withLikelihood(likelihood);
            } else if (tableDefault != null) {
                a = a.withLikelihood(tableDefault);
            }
            if (!hidden.isEmpty()) {
                a = a.withHidden(hidden);
            }
            if (latent > 0) {
                a = a.withLatentDim(latent);
            }
            return a;
        }
    }

    /**
     * How the gradient steps are taken.
     *
     * @param epochs         maximum number of passes over the training rows
     * @param batchSize      rows per minibatch
     * @param learningRate   the default optimiser's learning rate ({@link Adam}); unused with a {@code factory},
     *                       whose optimisers carry their own
     * @param beta           weight of the KL term (beta-VAE); 1 is the true ELBO
     * @param klWarmupEpochs KL warm-up: epoch e (1-based) uses {@code beta * min(1, e / klWarmupEpochs)}; 0 = none
     * @param clipNorm       largest global L2 norm of a minibatch gradient (larger ones are scaled down to it);
     *                       0 = no clipping
     * @param factory        makes each run's optimiser; null = the library's {@link Adam} with {@code learningRate}
     *                       (the only optimiser whose state a checkpoint saves)
     */
    public record OptimiserSpec(int epochs, int batchSize, double learningRate, double beta, int klWarmupEpochs,
                                double clipNorm, @Nullable OptimiserFactory factory) {

        /** Validates every field and names the bad value. */
        public OptimiserSpec {
            if (!TrainingOptions.EPOCHS_RANGE.contains(epochs)) {
                throw new IllegalArgumentException("Invalid number of epochs: " + epochs + " (expected " + TrainingOptions.EPOCHS_RANGE + ")");
            }
            if (!TrainingOptions.BATCH_RANGE.contains(batchSize)) {
                throw new IllegalArgumentException("Invalid batch size: " + batchSize + " (expected " + TrainingOptions.BATCH_RANGE + ")");
            }
            if (!TrainingOptions.LEARNING_RATE_RANGE.contains(learningRate)) {
                throw new IllegalArgumentException("Invalid learning rate: " + learningRate + " (expected " + TrainingOptions.LEARNING_RATE_RANGE + ")");
            }
            if (!TrainingOptions.BETA_RANGE.contains(beta)) {
                throw new IllegalArgumentException("Invalid beta: " + beta + " (expected " + TrainingOptions.BETA_RANGE + ")");
            }
            if (!TrainingOptions.KL_WARMUP_RANGE.contains(klWarmupEpochs)) {
                throw new IllegalArgumentException("Invalid KL warm-up: " + klWarmupEpochs + " epochs (expected " + TrainingOptions.KL_WARMUP_RANGE + ")");
            }
            if (!TrainingOptions.CLIP_NORM_RANGE.contains(clipNorm)) {
                throw new IllegalArgumentException("Invalid gradient clipping norm: " + clipNorm + " (expected " + TrainingOptions.CLIP_NORM_RANGE + ")");
            }
        }

        /** The settings with the default optimiser, {@link Adam} at {@code learningRate}. */
        public OptimiserSpec(int epochs, int batchSize, double learningRate, double beta, int klWarmupEpochs,
                             double clipNorm) {
            this(epochs, batchSize, learningRate, beta, klWarmupEpochs, clipNorm, null);
        }

        /** The KL weight used in epoch {@code epoch} (1-based): beta ramped linearly over the warm-up epochs. */
        public double betaAt(int epoch) {
            if (klWarmupEpochs == 0 || epoch >= klWarmupEpochs) {
                return beta;
            }
            return beta * epoch / klWarmupEpochs;
        }
    }

    /**
     * The rows held out for validation and early stopping.
     *
     * @param fraction share of rows held out for validation and early stopping (0 = none)
     * @param patience epochs without validation improvement before stopping (0 = never stop early)
     * @param seed     seed of the validation split alone; null = derived from the run seed (so runs with different
     *                 seeds but the same validation seed are compared on the same held-out rows)
     */
    public record ValidationSpec(double fraction, int patience, @Nullable Long seed) {

        /** Validates every field and names the bad value. */
        public ValidationSpec {
            if (!TrainingOptions.VALIDATION_FRACTION_RANGE.contains(fraction)) {
                throw new IllegalArgumentException("Invalid validation fraction: " + fraction + " (expected " + TrainingOptions.VALIDATION_FRACTION_RANGE + ")");
            }
            if (!TrainingOptions.PATIENCE_RANGE.contains(patience)) {
                throw new IllegalArgumentException("Invalid patience: " + patience + " (expected " + TrainingOptions.PATIENCE_RANGE + ")");
            }
        }
    }

    /**
     * Trimmed-loss (robust) training: from epoch {@code warmupEpochs + 1} on, the {@code fraction} share of training
     * rows with the highest loss in the previous epoch (reconstruction + beta * KL, as computed in their minibatch
     * steps) get weight 0 in the gradient, so a model trained on data that contain anomalies stops learning them; the
     * validation loss of early stopping is then the mean of the validation rows' losses without their highest
     * {@code fraction} share.
     *
     * @param fraction     the trimmed share; 0 = off (0 <= f < 0.5)
     * @param adaptive     adaptive trimming: {@code fraction} is then a cap, and each epoch leaves out only the rows
     *                     above the two-class split of the previous epoch's row losses (Otsu's method on their
     *                     logarithms, see {@link VaeTrainer}) when they are fewer: about the share of anomalies when
     *                     the losses separate them, whatever that share is
     * @param warmupEpochs epochs trained on every row before trimming starts
     */
    public record TrimmingSpec(double fraction, boolean adaptive, int warmupEpochs) {

        /** Validates every field and names the bad value. */
        public TrimmingSpec {
            if (!TrainingOptions.TRIM_FRACTION_RANGE.contains(fraction)) {
                throw new IllegalArgumentException("Invalid trim fraction: " + fraction + " (expected " + TrainingOptions.TRIM_FRACTION_RANGE + ")");
            }
            if (!TrainingOptions.TRIM_WARMUP_RANGE.contains(warmupEpochs)) {
                throw new IllegalArgumentException("Invalid trim warm-up: " + warmupEpochs + " epochs (expected " + TrainingOptions.TRIM_WARMUP_RANGE + ")");
            }
        }
    }

    /**
     * The default cap on the share of training rows left out of each epoch's gradient (those of highest loss) by
     * adaptive trimming, after the trim warm-up: training data for anomaly detection contain anomalies, and a model
     * that learns them scores them low. The share itself follows the data: on five sets the split of the row losses
     * found 7% on shuttle (7% anomalies) and 36% on breastw (35%), capped here at 30%. Measured over 10 seeds
     * (docs/anomaly-defaults.md, session 6): with {@code gaussian-shared} it beat both published baselines on all
     * five sets, against four for a fixed 10%; on the 13-set suite (session 7) turning it off costs the per-row
     * {@code gaussian} default 0.0055 mean AUROC (and the session-6 defaults 0.012). {@code 0} turns trimming off
     * (density estimation, clean data).
     */
    public static final double DEFAULT_TRIM_FRACTION = 0.3;

    /**
     * Defaults that work on any tabular data (measured in docs/anomaly-defaults.md): tanh hidden layers, 100 epochs at most, batch 128, Adam 1e-3, beta 1, 10% validation,
     * patience 10, no warm-up, no clipping, adaptive trimmed-loss training of at most 30% of the rows after a 5-epoch
     * warm-up ({@link #DEFAULT_TRIM_FRACTION}), threads = available processors capped at 2 (1 when a
     * multi-threaded native BLAS already spreads each product over the cores: see {@link #defaultThreads()}).
     */
    public static TrainingConfig defaults() {
        return new Builder().build();
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The default thread count: the available processors, at most 2. */
    public static int defaultThreads() {
        return defaultThreads(Runtime.getRuntime().availableProcessors(), Kernels.best().forTraining().threadsPerCall());
    }

    /**
     * Trainer threads for {@code processors} cores when each kernel call already runs on {@code kernelThreads}:
     * the cores left over, at most 2. A multi-threaded BLAS (OpenBLAS without {@code OPENBLAS_NUM_THREADS=1})
     * then gets the cores to itself instead of spinning against the trainer's threads.
     */
    static int defaultThreads(int processors, int kernelThreads) {
        return Math.max(1, Math.min(2, processors / Math.max(1, kernelThreads)));
    }

    /** The KL weight used in epoch {@code epoch} (1-based): see {@link OptimiserSpec#betaAt(int)}. */
    public double betaAt(int epoch) {
        return optimiser.betaAt(epoch);
    }

    /** The architecture for a training table of {@code rows} rows of {@code inputDim} features: see {@link NetworkSpec#architecture(int, int)}. */
    public Architecture architecture(int inputDim, int rows) {
        return network.architecture(inputDim, rows);
    }

    /** The architecture for training on {@code data}: see {@link NetworkSpec#architecture(Table)}. */
    public Architecture architecture(Table data) {
        return network.architecture(data);
    }

    /** Encoder hidden widths: {@link NetworkSpec#hidden()}. */
    public List<Integer> hidden() {
        return network.hidden();
    }

    /** Latent dimension (0 = adapt): {@link NetworkSpec#latent()}. */
    public int latent() {
        return network.latent();
    }

    /** The likelihood (null = the default): {@link NetworkSpec#likelihood()}. */
    public @Nullable Likelihood likelihood() {
        return network.likelihood();
    }

    /** VAE or plain AE: {@link NetworkSpec#modelType()}. */
    public ModelType modelType() {
        return network.modelType();
    }

    /** Hidden activation: {@link NetworkSpec#activation()}. */
    public Activation activation() {
        return network.activation();
    }

    /** Maximum number of epochs: {@link OptimiserSpec#epochs()}. */
    public int epochs() {
        return optimiser.epochs();
    }

    /** Rows per minibatch: {@link OptimiserSpec#batchSize()}. */
    public int batchSize() {
        return optimiser.batchSize();
    }

    /** The default optimiser's (Adam's) learning rate: {@link OptimiserSpec#learningRate()}. */
    public double learningRate() {
        return optimiser.learningRate();
    }

    /** What makes each run's optimiser; null = {@link Adam}: {@link OptimiserSpec#factory()}. */
    public @Nullable OptimiserFactory optimiserFactory() {
        return optimiser.factory();
    }

    /** Weight of the KL term: {@link OptimiserSpec#beta()}. */
    public double beta() {
        return optimiser.beta();
    }

    /** KL warm-up epochs: {@link OptimiserSpec#klWarmupEpochs()}. */
    public int klWarmupEpochs() {
        return optimiser.klWarmupEpochs();
    }

    /** Largest global gradient norm (0 = no clipping): {@link OptimiserSpec#clipNorm()}. */
    public double clipNorm() {
        return optimiser.clipNorm();
    }

    /** Share of rows held out for validation: {@link ValidationSpec#fraction()}. */
    public double validationFraction() {
        return validation.fraction();
    }

    /** Epochs without improvement before stopping: {@link ValidationSpec#patience()}. */
    public int patience() {
        return validation.patience();
    }

    /** Networks the model averages, 1 for one VAE: {@link NetworkSpec#members()}. */
    public int members() {
        return network.members();
    }

    /** Seed of the validation split (null = derived): {@link ValidationSpec#seed()}. */
    public @Nullable Long validationSeed() {
        return validation.seed();
    }

    /** Trimmed share of training rows, or its cap when adaptive: {@link TrimmingSpec#fraction()}. */
    public double trimFraction() {
        return trimming.fraction();
    }

    /** Whether the trimmed share follows the row losses: {@link TrimmingSpec#adaptive()}. */
    public boolean trimAdaptive() {
        return trimming.adaptive();
    }

    /** Epochs trained on every row before trimming starts: {@link TrimmingSpec#warmupEpochs()}. */
    public int trimWarmupEpochs() {
        return trimming.warmupEpochs();
    }

    /** This config with another number of epochs (a shortcut for {@code toBuilder().epochs(e).build()}). */
    public TrainingConfig withEpochs(int e) {
        return toBuilder().epochs(e).build();
    }

    /** This config with another seed (a shortcut for {@code toBuilder().seed(s).build()}). */
    public TrainingConfig withSeed(long s) {
        return toBuilder().seed(s).build();
    }

    /**
     * This config with other architecture settings.
     *
     * @deprecated use {@link #toBuilder()}
     */
    @Deprecated
    public TrainingConfig withArchitecture(List<Integer> h, int k, @Nullable Likelihood l, ModelType t) {
        return toBuilder().hidden(h).latent(k).likelihood(l).modelType(t).build();
    }

    /**
     * This config with other optimisation settings.
     *
     * @deprecated use {@link #toBuilder()}
     */
    @Deprecated
    public TrainingConfig withOptimisation(int batch, double lr, double b) {
        return toBuilder().batchSize(batch).learningRate(lr).beta(b).build();
    }

    /**
     * This config with other validation and early-stopping settings.
     *
     * @deprecated use {@link #toBuilder()}
     */
    @Deprecated
    public TrainingConfig withValidation(double fraction, int newPatience) {
        return toBuilder().validationFraction(fraction).patience(newPatience).build();
    }

    /** Builds a {@link TrainingConfig}; every setter returns this builder, and {@link #build()} validates. */
    public static final class Builder {
        private List<Integer> hidden = List.of();
        private int latent = Integer.parseInt(TrainingOptions.LATENT_DEFAULT);
        private @Nullable Likelihood likelihood;
        private ModelType modelType = ModelType.parse(TrainingOptions.MODEL_TYPE_DEFAULT);
        private Activation activation = Activation.parse(TrainingOptions.ACTIVATION_DEFAULT);
        private int members = Integer.parseInt(TrainingOptions.ENSEMBLE_DEFAULT);
        private int epochs = Integer.parseInt(TrainingOptions.EPOCHS_DEFAULT);
        private int batchSize = Integer.parseInt(TrainingOptions.BATCH_DEFAULT);
        private double learningRate = Double.parseDouble(TrainingOptions.LEARNING_RATE_DEFAULT);
        private double beta = Double.parseDouble(TrainingOptions.BETA_DEFAULT);
        private long seed = Long.parseLong(TrainingOptions.SEED_DEFAULT);
        private double validationFraction = Double.parseDouble(TrainingOptions.VALIDATION_FRACTION_DEFAULT);
        private int patience = Integer.parseInt(TrainingOptions.PATIENCE_DEFAULT);
        private int klWarmupEpochs = Integer.parseInt(TrainingOptions.KL_WARMUP_DEFAULT);
        private double clipNorm = Double.parseDouble(TrainingOptions.CLIP_NORM_DEFAULT);
        private @Nullable OptimiserFactory optimiserFactory;
        private int threads = defaultThreads();
        private @Nullable Long validationSeed;
        private double trimFraction = DEFAULT_TRIM_FRACTION;
        private boolean trimAdaptive = true;
        private int trimWarmupEpochs = Integer.parseInt(TrainingOptions.TRIM_WARMUP_DEFAULT);

        private Builder() {
        }

        private Builder(TrainingConfig c) {
            hidden = c.network.hidden();
            latent = c.network.latent();
            likelihood = c.network.likelihood();
            modelType = c.network.modelType();
            activation = c.network.activation();
            members = c.network.members();
            epochs = c.optimiser.epochs();
            batchSize = c.optimiser.batchSize();
            learningRate = c.optimiser.learningRate();
            beta = c.optimiser.beta();
            klWarmupEpochs = c.optimiser.klWarmupEpochs();
            clipNorm = c.optimiser.clipNorm();
            optimiserFactory = c.optimiser.factory();
            validationFraction = c.validation.fraction();
            patience = c.validation.patience();
            validationSeed = c.validation.seed();
            trimFraction = c.trimming.fraction();
            trimAdaptive = c.trimming.adaptive();
            trimWarmupEpochs = c.trimming.warmupEpochs();
            seed = c.seed;
            threads = c.threads;
        }

        /** Encoder hidden widths (the decoder mirrors them); empty = adapt to the data. */
        public Builder hidden(List<Integer> widths) {
            this.hidden = List.copyOf(widths);
            return this;
        }

        /** Networks trained on the same rows with different seeds, the model their ensemble; 1 = one network. */
        public Builder members(int n) {
            this.members = n;
            return this;
        }

        /** Latent dimension; 0 = adapt to the data. */
        public Builder latent(int k) {
            this.latent = k;
            return this;
        }

        /** The likelihood; null = the architecture's default. */
        public Builder likelihood(@Nullable Likelihood l) {
            this.likelihood = l;
            return this;
        }

        /** VAE or plain autoencoder. */
        public Builder modelType(ModelType t) {
            this.modelType = Objects.requireNonNull(t, "modelType");
            return this;
        }

        /** Activation of every hidden layer. */
        public Builder activation(Activation a) {
            this.activation = Objects.requireNonNull(a, "activation");
            return this;
        }

        /** Maximum number of epochs. */
        public Builder epochs(int n) {
            this.epochs = n;
            return this;
        }

        /** Rows per minibatch. */
        public Builder batchSize(int b) {
            this.batchSize = b;
            return this;
        }

        /** The default optimiser's (Adam's) learning rate. */
        public Builder learningRate(double lr) {
            this.learningRate = lr;
            return this;
        }

        /** Weight of the KL term (after warm-up). */
        public Builder beta(double b) {
            this.beta = b;
            return this;
        }

        /** The seed of every random choice. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** Share of rows held out for validation (0 = none). */
        public Builder validationFraction(double f) {
            this.validationFraction = f;
            return this;
        }

        /** Epochs without validation improvement before stopping (0 = never stop early). */
        public Builder patience(int p) {
            this.patience = p;
            return this;
        }

        /** Epochs over which beta rises linearly from beta/N to beta (0 = no warm-up). */
        public Builder klWarmupEpochs(int n) {
            this.klWarmupEpochs = n;
            return this;
        }

        /** Largest global gradient L2 norm (0 = no clipping). */
        public Builder clipNorm(double norm) {
            this.clipNorm = norm;
            return this;
        }

        /**
         * What makes each run's optimiser, e.g. one of Tribuo's through
         * {@code dev.vae.anomaly.tribuo.TribuoOptimiserFactory}; null = the library's {@link Adam} at the
         * {@link #learningRate(double) learning rate}. Checkpoints and resume need an {@link Adam}.
         */
        public Builder optimiserFactory(@Nullable OptimiserFactory factory) {
            this.optimiserFactory = factory;
            return this;
        }

        /** Threads computing each minibatch's gradient. */
        public Builder threads(int n) {
            this.threads = n;
            return this;
        }

        /** Seed of the validation split alone; null = derived from the run seed. */
        public Builder validationSeed(@Nullable Long s) {
            this.validationSeed = s;
            return this;
        }

        /**
         * Share of training rows (those of highest loss) left out of the gradient after the warm-up, or its cap when
         * {@link #trimAdaptive(boolean) adaptive}; 0 = off.
         */
        public Builder trimFraction(double f) {
            this.trimFraction = f;
            return this;
        }

        /** Whether the trimmed share follows the split of each epoch's row losses, up to the trim fraction. */
        public Builder trimAdaptive(boolean adaptive) {
            this.trimAdaptive = adaptive;
            return this;
        }

        /** Epochs trained on every row before trimming starts. */
        public Builder trimWarmupEpochs(int n) {
            this.trimWarmupEpochs = n;
            return this;
        }

        /**
         * The validated configuration.
         *
         * @throws IllegalArgumentException naming the first bad value
         */
        public TrainingConfig build() {
            return new TrainingConfig(new NetworkSpec(hidden, latent, likelihood, modelType, activation, members),
                    new OptimiserSpec(epochs, batchSize, learningRate, beta, klWarmupEpochs, clipNorm,
                            optimiserFactory),
                    new ValidationSpec(validationFraction, patience, validationSeed),
                    new TrimmingSpec(trimFraction, trimAdaptive, trimWarmupEpochs), seed, threads);
        }
    }
}
