package dev.vae.train;

import dev.vae.core.nn.Architecture;
import dev.vae.core.nn.ModelType;
import dev.vae.core.likelihood.Likelihood;
import dev.vae.core.kernel.Kernels;
import dev.vae.core.nn.Activation;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything a training run needs besides data. Unset architecture fields ({@code null} or empty) adapt to the
 * data's width through {@link Architecture#defaults(int)}. Build one with {@link #builder()} (or change one with
 * {@link #toBuilder()}); {@link #defaults()} works on any tabular data.
 *
 * @param hidden             encoder hidden widths (decoder mirrors them); empty = adapt to the data
 * @param latent             latent dimension K; 0 = adapt to the data
 * @param likelihood         the likelihood; null = the default
 * @param modelType          VAE or plain AE
 * @param activation         hidden activation
 * @param epochs             maximum number of passes over the training rows
 * @param batchSize          rows per minibatch
 * @param learningRate       Adam's learning rate
 * @param beta               weight of the KL term (beta-VAE); 1 is the true ELBO
 * @param seed               the seed every random choice of the run derives from
 * @param validationFraction share of rows held out for validation and early stopping (0 = none)
 * @param patience           epochs without validation improvement before stopping (0 = never stop early)
 * @param klWarmupEpochs     KL warm-up: epoch e (1-based) uses {@code beta * min(1, e / klWarmupEpochs)}; 0 = none
 * @param clipNorm           largest global L2 norm of a minibatch gradient (larger ones are scaled down to it);
 *                           0 = no clipping
 * @param threads            data-parallel shards of each minibatch's gradient, run on the library's row pool
 *                           ({@code RowParallel}: one thread per core); results are bit-identical for a given seed
 *                           and shard count, whichever threads run them
 * @param validationSeed     seed of the validation split alone; null = derived from {@code seed} (so runs with
 *                           different seeds but the same validation seed are compared on the same held-out rows)
 * @param trimFraction       trimmed-loss (robust) training: from epoch {@code trimWarmupEpochs + 1} on, the
 *                           {@code trimFraction} share of training rows with the highest loss in the previous epoch
 *                           (reconstruction + beta * KL, as computed in their minibatch steps) get weight 0 in the
 *                           gradient, so a model trained on data that contain anomalies stops learning them; the
 *                           validation loss of early stopping is then the mean of the validation rows' losses
 *                           without their highest {@code trimFraction} share; 0 = off (0 <= f < 0.5)
 * @param trimAdaptive       adaptive trimming: {@code trimFraction} is then a cap, and each epoch leaves out only
 *                           the rows above the two-class split of the previous epoch's row losses (Otsu's method on
 *                           their logarithms, see {@link VaeTrainer}) when they are fewer: about the share of
 *                           anomalies when the losses separate them, whatever that share is
 * @param trimWarmupEpochs   epochs trained on every row before trimming starts
 */
public record TrainingConfig(List<Integer> hidden, int latent, @Nullable Likelihood likelihood, ModelType modelType,
                             Activation activation, int epochs, int batchSize, double learningRate, double beta,
                             long seed, double validationFraction, int patience, int klWarmupEpochs, double clipNorm,
                             int threads, @Nullable Long validationSeed, double trimFraction, boolean trimAdaptive,
                             int trimWarmupEpochs) {

    /** Largest accepted thread count. */
    public static final int MAX_THREADS = 256;

    /** Validates every field and names the bad value. */
    public TrainingConfig {
        hidden = List.copyOf(hidden);
        for (int h : hidden) {
            if (h < 1 || h > Architecture.MAX_WIDTH) {
                throw new IllegalArgumentException("Invalid hidden layer width: " + h);
            }
        }
        if (latent < 0 || latent > Architecture.MAX_WIDTH) {
            throw new IllegalArgumentException("Invalid latent dimension: " + latent);
        }
        if (epochs < 1 || epochs > 1_000_000) {
            throw new IllegalArgumentException("Invalid number of epochs: " + epochs + " (expected 1..1000000)");
        }
        if (batchSize < 1 || batchSize > 1 << 20) {
            throw new IllegalArgumentException("Invalid batch size: " + batchSize + " (expected 1..1048576)");
        }
        if (!(learningRate > 0 && learningRate <= 10)) {
            throw new IllegalArgumentException("Invalid learning rate: " + learningRate + " (expected 0 < lr <= 10)");
        }
        if (!(beta >= 0 && beta <= 1e6)) {
            throw new IllegalArgumentException("Invalid beta: " + beta + " (expected 0 <= beta <= 1e6)");
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("Invalid validation fraction: " + validationFraction + " (expected 0 <= f < 1)");
        }
        if (patience < 0) {
            throw new IllegalArgumentException("Invalid patience: " + patience + " (expected >= 0)");
        }
        if (klWarmupEpochs < 0) {
            throw new IllegalArgumentException("Invalid KL warm-up: " + klWarmupEpochs + " epochs (expected >= 0)");
        }
        if (!(clipNorm >= 0) || !Double.isFinite(clipNorm)) {
            throw new IllegalArgumentException("Invalid gradient clipping norm: " + clipNorm + " (expected >= 0, 0 = off)");
        }
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("Invalid thread count: " + threads + " (expected 1.." + MAX_THREADS + ")");
        }
        if (!(trimFraction >= 0 && trimFraction < 0.5)) {
            throw new IllegalArgumentException("Invalid trim fraction: " + trimFraction + " (expected 0 <= f < 0.5, 0 = off)");
        }
        if (trimWarmupEpochs < 0) {
            throw new IllegalArgumentException("Invalid trim warm-up: " + trimWarmupEpochs + " epochs (expected >= 0)");
        }
        if (modelType == null || activation == null) {
            throw new IllegalArgumentException("Model type and activation are required");
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

    /** The KL weight used in epoch {@code epoch} (1-based): beta ramped linearly over the warm-up epochs. */
    public double betaAt(int epoch) {
        if (klWarmupEpochs == 0 || epoch >= klWarmupEpochs) {
            return beta;
        }
        return beta * epoch / klWarmupEpochs;
    }

    /** The architecture for data of {@code inputDim} features. */
    public Architecture architecture(int inputDim) {
        Architecture a = Architecture.defaults(inputDim).withModelType(modelType).withActivation(activation);
        if (likelihood != null) {
            a = a.withLikelihood(likelihood);
        }
        if (!hidden.isEmpty()) {
            a = a.withHidden(hidden);
        }
        if (latent > 0) {
            a = a.withLatentDim(latent);
        }
        return a;
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
        private int latent;
        private @Nullable Likelihood likelihood;
        private ModelType modelType = ModelType.VAE;
        private Activation activation = Activation.TANH;
        private int epochs = 100;
        private int batchSize = 128;
        private double learningRate = 1e-3;
        private double beta = 1.0;
        private long seed = 42L;
        private double validationFraction = 0.1;
        private int patience = 10;
        private int klWarmupEpochs;
        private double clipNorm;
        private int threads = defaultThreads();
        private @Nullable Long validationSeed;
        private double trimFraction = DEFAULT_TRIM_FRACTION;
        private boolean trimAdaptive = true;
        private int trimWarmupEpochs = 5;

        private Builder() {
        }

        private Builder(TrainingConfig c) {
            hidden = c.hidden;
            latent = c.latent;
            likelihood = c.likelihood;
            modelType = c.modelType;
            activation = c.activation;
            epochs = c.epochs;
            batchSize = c.batchSize;
            learningRate = c.learningRate;
            beta = c.beta;
            seed = c.seed;
            validationFraction = c.validationFraction;
            patience = c.patience;
            klWarmupEpochs = c.klWarmupEpochs;
            clipNorm = c.clipNorm;
            threads = c.threads;
            validationSeed = c.validationSeed;
            trimFraction = c.trimFraction;
            trimAdaptive = c.trimAdaptive;
            trimWarmupEpochs = c.trimWarmupEpochs;
        }

        /** Encoder hidden widths (the decoder mirrors them); empty = adapt to the data. */
        public Builder hidden(List<Integer> widths) {
            this.hidden = List.copyOf(widths);
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

        /** Adam's learning rate. */
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
            return new TrainingConfig(hidden, latent, likelihood, modelType, activation, epochs, batchSize, learningRate,
                    beta, seed, validationFraction, patience, klWarmupEpochs, clipNorm, threads, validationSeed,
                    trimFraction, trimAdaptive, trimWarmupEpochs);
        }
    }
}
