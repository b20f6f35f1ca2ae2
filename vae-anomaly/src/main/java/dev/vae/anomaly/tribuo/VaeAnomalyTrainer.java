package dev.vae.anomaly.tribuo;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import dev.vae.anomaly.Detector;
import dev.vae.anomaly.TrainedDetector;
import dev.vae.anomaly.threshold.DetectorFitting;
import dev.vae.anomaly.threshold.ThresholdSpec;
import dev.vae.core.nn.ModelType;
import dev.vae.core.ScoreKind;
import dev.vae.core.ScoreSettings;
import dev.vae.core.VaeModel;
import dev.vae.core.likelihood.Likelihoods;
import dev.vae.core.nn.Activation;
import dev.vae.train.TrainingConfig;
import dev.vae.train.TrainingDataChecks;
import dev.vae.train.TrainingOptions;
import dev.vae.train.optim.OptimiserFactory;
import dev.vae.core.data.Table;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Trainer;
import org.tribuo.anomaly.Event;
import org.tribuo.math.StochasticGradientOptimiser;
import org.tribuo.math.la.SparseVector;
import org.tribuo.math.la.VectorTuple;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.TrainerProvenanceImpl;

/**
 * A Tribuo {@code Trainer<Event>} that trains a variational autoencoder on a dataset of expected events and fits
 * its anomaly threshold on the trainer's held-out validation split ({@link Detector#builder()}).
 *
 * <p>As with Tribuo's one-class trainers, the dataset's labels are not used: give it expected (normal) events.
 * Each {@code train} call derives its own seed from the trainer's seed and its invocation count (Tribuo's
 * convention), so calls never share state and a run can be replayed with {@link #setInvocationCount}. Features
 * absent from an example are the raw value 0, Tribuo's sparse convention (see {@link VaeAnomalyModel}). Every
 * setting is an OLCUT {@link Config} field, so it can be set from an OLCUT configuration file and is recorded in
 * the model's Tribuo provenance, from which OLCUT rebuilds the trainer: {@code ProvenanceUtil.extractConfiguration}
 * on the model's provenance, then a {@code ConfigurationManager} lookup.
 *
 * <p>The optimiser is the library's Adam unless a Tribuo {@link StochasticGradientOptimiser} is configured
 * ({@link #withOptimiser}, or the {@code optimiser} field): then each run trains with a copy of it through
 * {@link TribuoOptimiserFactory}, the trainer's provenance records its configuration, and the model's training record
 * names it ({@code vae.trainer.optimizer}). Tribuo 4.3.2's own {@code Adam} is defective (see
 * {@link TribuoOptimiserFactory}): configuring it logs a warning.
 */
public final class VaeAnomalyTrainer implements Trainer<Event> {

    private static final Logger LOG = Logger.getLogger(VaeAnomalyTrainer.class.getName());

    /** The prefix of the model provenance's instance values that hold the VAE's training record. */
    public static final String TRAINING_RECORD_PREFIX = "vae.";

    @Config(description = "Encoder hidden widths, comma-separated (decoder mirrors them); empty adapts to the data.")
    private String hidden = "";

    @Config(description = TrainingOptions.LATENT_DOC)
    private int latent = 0;

    @Config(description = "Likelihood: gaussian:logvar-bound=2, gaussian, gaussian-shared, student-t, student-t:nu=N,"
            + " gaussian-fixed or bernoulli; empty takes the measured default ("
            + dev.vae.core.nn.Architecture.DEFAULT_LIKELIHOOD_DESCRIPTION + ").")
    private String likelihood = "";

    @Config(description = "Hidden activation: tanh (measured default) or relu.")
    private String activation = dev.vae.core.nn.Architecture.defaults(1).activation().id();

    @Config(description = TrainingOptions.EPOCHS_DOC)
    private int epochs = TrainingConfig.defaults().epochs();

    @Config(description = TrainingOptions.BATCH_DOC)
    private int batchSize = TrainingConfig.defaults().batchSize();

    @Config(description = TrainingOptions.LEARNING_RATE_DOC)
    private double learningRate = TrainingConfig.defaults().learningRate();

    @Config(description = TrainingOptions.VALIDATION_FRACTION_DOC + " It also fits the threshold.")
    private double validationFraction = TrainingConfig.defaults().validationFraction();

    @Config(description = TrainingOptions.PATIENCE_DOC)
    private int patience = TrainingConfig.defaults().patience();

    @Config(description = TrainingOptions.TRIM_FRACTION_DOC)
    private double trimFraction = TrainingConfig.defaults().trimFraction();

    @Config(description = TrainingOptions.TRIM_ADAPTIVE_DOC)
    private boolean trimAdaptive = TrainingConfig.defaults().trimAdaptive();

    @Config(description = TrainingOptions.TRIM_WARMUP_DOC)
    private int trimWarmupEpochs = TrainingConfig.defaults().trimWarmupEpochs();

    @Config(description = TrainingOptions.ENSEMBLE_DOC)
    private int ensemble = TrainingConfig.defaults().members();

    @Config(description = "Threshold strategy, e.g. contamination:0.05, quantile:0.99, sigma:3, pot:0.001; not f1,"
            + " which needs labels.")
    private String threshold = ThresholdSpec.defaults().id();

    @Config(description = "Score: negative-elbo, reconstruction or iwae.")
    private String score = ScoreKind.NEGATIVE_ELBO.id();

    @Config(description = "Latent samples of the score; 0 = deterministic z = mu.")
    private int scoreSamples = 0;

    @Config(description = "Seed of every random choice.")
    private long seed = Trainer.DEFAULT_SEED;

    @Config(description = "A Tribuo gradient optimiser (e.g. AdaGrad, SGD, RMSProp, AdaDelta) replacing the library's"
            + " Adam and its learning rate; absent = the library's Adam.")
    private @Nullable StochasticGradientOptimiser optimiser = null;

    /** Made from {@link #optimiser} by {@link #postConfig()}; null for the library's Adam. */
    private @Nullable TribuoOptimiserFactory optimiserFactory;

    private int invocationCount = 0;

    /** For OLCUT configuration; the fields keep their defaults. */
    private VaeAnomalyTrainer() {
    }

    /** A trainer with the library's defaults and the given seed. */
    public VaeAnomalyTrainer(long seed) {
        this.seed = seed;
        postConfig();
    }

    /**
     * A trainer with explicit settings.
     *
     * @param config    training settings (its seed is replaced by one derived per call from {@code seed}); its
     *                  optimiser factory, if any, must be a {@link TribuoOptimiserFactory}, whose optimiser becomes
     *                  this trainer's configured one
     * @param threshold threshold strategy; not {@link ThresholdSpec#bestF1()}, which needs labelled anomalies
     * @param score     the score the model predicts with
     * @param seed      the trainer's seed
     */
    public VaeAnomalyTrainer(TrainingConfig config, ThresholdSpec threshold, ScoreSettings score, long seed) {
        this.hidden = String.join(",", config.hidden().stream().map(String::valueOf).toList());
        this.latent = config.latent();
        this.likelihood = config.likelihood() == null ? "" : config.likelihood().id();
        this.trimFraction = config.trimFraction();
        this.trimAdaptive = config.trimAdaptive();
        this.trimWarmupEpochs = config.trimWarmupEpochs();
        this.ensemble = config.members();
        this.activation = config.activation().id();
        this.epochs = config.epochs();
        this.batchSize = config.batchSize();
        this.learningRate = config.learningRate();
        this.validationFraction = config.validationFraction();
        this.patience = config.patience();
        OptimiserFactory factory = config.optimiserFactory();
        if (factory instanceof TribuoOptimiserFactory tribuo) {
            this.optimiser = tribuo.optimiser();
        } else if (factory != null) {
            throw new IllegalArgumentException("VaeAnomalyTrainer records its settings as Tribuo configuration, which"
                    + " cannot hold the optimiser factory " + factory + ": give a Tribuo StochasticGradientOptimiser"
                    + " (TribuoOptimiserFactory, withOptimiser)");
        }
        // The configurable field holds the strategy's text form, which parses back to an equal strategy.
        this.threshold = threshold.id();
        this.score = score.kind().id();
        this.scoreSamples = score.samples();
        this.seed = seed;
        postConfig();
    }

    /** A copy of {@code other}'s settings with another optimiser, at invocation count 0. */
    private VaeAnomalyTrainer(VaeAnomalyTrainer other, @Nullable StochasticGradientOptimiser optimiser) {
        this.hidden = other.hidden;
        this.latent = other.latent;
        this.likelihood = other.likelihood;
        this.activation = other.activation;
        this.epochs = other.epochs;
        this.batchSize = other.batchSize;
        this.learningRate = other.learningRate;
        this.validationFraction = other.validationFraction;
        this.patience = other.patience;
        this.trimFraction = other.trimFraction;
        this.trimAdaptive = other.trimAdaptive;
        this.trimWarmupEpochs = other.trimWarmupEpochs;
        this.ensemble = other.ensemble;
        this.threshold = other.threshold;
        this.score = other.score;
        this.scoreSamples = other.scoreSamples;
        this.seed = other.seed;
        // Kept as given, as Tribuo's trainers keep theirs: each run steps a copy, never this one.
        this.optimiser = optimiser;
        postConfig();
    }

    /**
     * A trainer with these settings that trains with a copy of Tribuo's {@code optimiser} (e.g.
     * {@code new AdaGrad(0.1)}) in place of the library's Adam and its learning rate; null = the library's Adam. Its
     * invocation count starts at 0.
     *
     * @throws IllegalArgumentException when the optimiser cannot train a VAE (see {@link TribuoOptimiserFactory})
     */
    public VaeAnomalyTrainer withOptimiser(@Nullable StochasticGradientOptimiser optimiser) {
        return new VaeAnomalyTrainer(this, optimiser);
    }

    /**
     * Validates the configured fields (OLCUT calls this after configuration).
     *
     * @throws IllegalArgumentException naming the bad setting, e.g. a threshold strategy that needs labels
     */
    @Override
    public void postConfig() {
        optimiserFactory = optimiser == null ? null : new TribuoOptimiserFactory(optimiser);
        config(seed);
        // The trainer sees only unlabelled expected events: refuse f1 here rather than after a whole training run.
        if (ThresholdSpec.parse(threshold).needsLabels()) {
            throw new IllegalArgumentException("Threshold '" + threshold + "' needs labelled anomalies, but"
                    + " VaeAnomalyTrainer trains on unlabelled expected events and fits its threshold on their validation"
                    + " split: use split, quantile:Q, contamination:C, sigma:K, fixed:V or pot:Q");
        }
        new ScoreSettings(ScoreKind.parse(score), scoreSamples);
    }

    private TrainingConfig config(long runSeed) {
        List<Integer> widths = new ArrayList<>();
        for (String h : hidden.split(",")) {
            if (!h.isBlank()) {
                try {
                    widths.add(Integer.parseInt(h.trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("Invalid hidden widths '" + hidden + "': '" + h + "' is not an integer");
                }
            }
        }
        return TrainingConfig.builder().hidden(widths).latent(latent).likelihood(likelihood.isBlank() ? null : Likelihoods.parse(likelihood))
                .modelType(ModelType.VAE).activation(Activation.parse(activation)).epochs(epochs).batchSize(batchSize)
                .learningRate(learningRate).beta(1.0).seed(runSeed).validationFraction(validationFraction)
                .patience(patience).trimFraction(trimFraction).trimAdaptive(trimAdaptive)
                .trimWarmupEpochs(trimWarmupEpochs).members(ensemble).optimiserFactory(optimiserFactory).build();
    }

    /** Trains on a dataset of expected events (labels unused) and fits the threshold on the validation split. */
    @Override
    public VaeAnomalyModel train(Dataset<Event> examples) {
        return train(examples, Map.of());
    }

    /**
     * Trains as {@link #train(Dataset)} and records {@code runProvenance} in the model's provenance as its instance
     * values, next to the training record (see {@link #train(Dataset, Map, int)}).
     */
    @Override
    public VaeAnomalyModel train(Dataset<Event> examples, Map<String, Provenance> runProvenance) {
        return train(examples, runProvenance, INCREMENT_INVOCATION_COUNT);
    }

    /**
     * Trains as {@link #train(Dataset)} as this trainer's {@code invocation}-th call (or the next one for
     * {@link #INCREMENT_INVOCATION_COUNT}). The model's {@link ModelProvenance} holds the dataset's provenance, this
     * trainer's settings as its {@link TrainerProvenance} (every {@link Config} field, so OLCUT can rebuild the
     * trainer from it, and the invocation count that with the seed gives the run's seed) and, as instance values,
     * {@code runProvenance} plus the training record of {@link VaeModel#provenance()} under keys prefixed
     * {@value #TRAINING_RECORD_PREFIX} (the run's derived seed, epochs run, stop reason, kernels, versions).
     *
     * @throws IllegalArgumentException if a {@code runProvenance} key starts with {@value #TRAINING_RECORD_PREFIX}
     */
    @Override
    public VaeAnomalyModel train(Dataset<Event> examples, Map<String, Provenance> runProvenance, int invocation) {
        for (String key : runProvenance.keySet()) {
            if (key.startsWith(TRAINING_RECORD_PREFIX)) {
                throw new IllegalArgumentException("Run provenance key '" + key + "' starts with '"
                        + TRAINING_RECORD_PREFIX + "', which VaeAnomalyTrainer keeps for its training record");
            }
        }
        long runSeed;
        TrainerProvenance trainerProvenance;
        synchronized (this) {
            if (invocation != INCREMENT_INVOCATION_COUNT) {
                setInvocationCount(invocation);
            }
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < invocationCount; i++) {
                random.nextLong();
            }
            runSeed = random.nextLong();
            trainerProvenance = getProvenance();
            invocationCount++;
        }
        ImmutableFeatureMap features = examples.getFeatureIDMap();
        Table table = toTable(examples, features);
        TrainingConfig runConfig = config(runSeed);
        for (String warning : TrainingDataChecks.warnings(runConfig.architecture(table), table)) {
            LOG.warning(warning);
        }
        ThresholdSpec thresholdSpec = ThresholdSpec.parse(threshold);
        TrainedDetector trained = Detector.builder().training(runConfig).threshold(thresholdSpec)
                .score(new ScoreSettings(ScoreKind.parse(score), scoreSamples))
                .provenance("tribuo.dataset", examples.getSourceProvenance().toString())
                .fit(table);
        VaeModel model = trained.model();
        String majority = DetectorFitting.majorityAboveWarning(model, trained.thresholdRows(), thresholdSpec);
        if (majority != null) {
            LOG.warning(majority);
        }
        Map<String, Provenance> instanceValues = new TreeMap<>(runProvenance);
        model.provenance().forEach((key, value) -> instanceValues.put(TRAINING_RECORD_PREFIX + key,
                new StringProvenance(TRAINING_RECORD_PREFIX + key, value)));
        ModelProvenance provenance = new ModelProvenance(VaeAnomalyModel.class.getName(), OffsetDateTime.now(),
                examples.getProvenance(), trainerProvenance, instanceValues);
        return new VaeAnomalyModel("vae-anomaly", provenance, features, examples.getOutputIDInfo(), model);
    }

    /** The dense rows of a Tribuo dataset, features in the feature map's id order (absent features are 0). */
    static Table toTable(Dataset<Event> examples, ImmutableFeatureMap features) {
        int d = features.size();
        if (d == 0) {
            throw new IllegalArgumentException("The dataset has no features");
        }
        List<String> names = new ArrayList<>(d);
        for (int j = 0; j < d; j++) {
            names.add(features.get(j).getName());
        }
        int n = examples.size();
        float[] values = new float[n * d];
        int i = 0;
        for (Example<Event> e : examples) {
            fillRow(e, features, values, i * d);
            i++;
        }
        return new Table(names, values, n, null, "tribuo dataset " + examples.getSourceDescription());
    }

    /**
     * Writes an example's features into a dense row in the feature map's id order, through Tribuo's
     * {@link SparseVector} over the map's ids: names the map has never seen are dropped (Tribuo's convention) and
     * features absent from the example stay at 0, the raw value 0 before the model's scaler (Tribuo's sparse
     * convention). The row's other entries must be 0 on entry.
     *
     * @return how many of the example's features the map knows
     */
    static int fillRow(Example<Event> e, ImmutableFeatureMap features, float[] row, int off) {
        SparseVector known = SparseVector.createSparseVector(e, features, false);
        for (VectorTuple t : known) {
            row[off + t.index] = (float) t.value;
        }
        return known.numActiveElements();
    }

    @Override
    public synchronized int getInvocationCount() {
        return invocationCount;
    }

    @Override
    public synchronized void setInvocationCount(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("Invalid invocation count: " + count);
        }
        invocationCount = count;
    }

    @Override
    public TrainerProvenance getProvenance() {
        return new TrainerProvenanceImpl(this);
    }

    @Override
    public String toString() {
        return "VaeAnomalyTrainer(hidden=" + hidden + ", latent=" + latent + ", likelihood=" + likelihood + ", epochs=" + epochs
                + ", batchSize=" + batchSize + ", learningRate=" + learningRate + (ensemble == 1 ? "" : ", ensemble=" + ensemble)
                + ", threshold=" + threshold + ", score=" + score
                + "/" + scoreSamples + ", seed=" + seed + (optimiser == null ? "" : ", optimiser=" + optimiser) + ")";
    }
}
