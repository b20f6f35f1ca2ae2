package dev.vae.spark;

import dev.vae.anomaly.Detector;
import dev.vae.anomaly.TrainedDetector;
import dev.vae.anomaly.threshold.ThresholdSpec;
import dev.vae.core.nn.ModelType;
import dev.vae.core.Threshold;
import dev.vae.core.VaeModel;
import dev.vae.core.likelihood.Likelihoods;
import dev.vae.train.TrainingConfig;
import dev.vae.train.TrainingOptions;
import dev.vae.train.VaeTrainer;
import dev.vae.core.data.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Function1;

/**
 * A Spark ML estimator that fits a VAE detector the honest way: training is <b>single-machine</b>. It draws a
 * bounded, seeded sample of at most {@link #setMaxSampleRows(int) maxSampleRows} rows (only rows whose
 * {@link #setLabelCol(String) label} is 0, when a label column is named) to the driver, trains there through
 * {@link Detector#builder()} ({@link VaeTrainer}, which holds out a validation split and stops early), fits the
 * threshold as the {@link #setThresholdQuantile(double) thresholdQuantile} of the validation scores, and returns a
 * {@link VaeTransformer} that scores on the whole cluster.
 *
 * <p>Cost: two Spark jobs (a count and the sampled collect) and driver memory of about
 * {@code maxSampleRows x features x 4} bytes for the sample plus the same again for the scaled copy. The sample is
 * reproducible for a fixed seed and a fixed input partitioning (Spark seeds each partition's sampler from the seed
 * and the partition index), and the training itself is bit-reproducible for a fixed sample and seed.
 */
public final class VaeEstimator extends Estimator<VaeTransformer> implements MLWritable {

    private static final long serialVersionUID = 1L;

    private final String uid;
    private final StringArrayParam inputCols;
    private final Param<String> labelCol;
    private final IntParam maxSampleRows;
    private final LongParam seed;
    private final IntParam epochs;
    private final IntParam batchSize;
    private final DoubleParam learningRate;
    private final IntArrayParam hidden;
    private final IntParam latent;
    private final Param<String> likelihood;
    private final Param<String> modelType;
    private final DoubleParam beta;
    private final DoubleParam validationFraction;
    private final IntParam patience;
    private final DoubleParam trimFraction;
    private final BooleanParam trimAdaptive;
    private final IntParam ensemble;
    private final DoubleParam thresholdQuantile;

    /** An estimator with the library's training defaults and a random uid. */
    public VaeEstimator() {
        this(Identifiable.randomUID("vaeEstimator"));
    }

    /** An estimator with the given uid (Spark's readers call this). */
    public VaeEstimator(String uid) {
        this.uid = uid;
        TrainingConfig d = TrainingConfig.defaults();
        inputCols = new StringArrayParam(this, "inputCols", "feature columns (numeric); empty = every numeric column but the label");
        labelCol = new Param<>(this, "labelCol", "label column: only rows labelled 0 are sampled for training; empty = none");
        maxSampleRows = new IntParam(this, "maxSampleRows", "the most rows drawn to the driver for training");
        seed = new LongParam(this, "seed", "seed of the sample, the validation split, the initial weights and the noise");
        epochs = new IntParam(this, "epochs", TrainingOptions.EPOCHS_DOC, inRange(TrainingOptions.EPOCHS_RANGE));
        batchSize = new IntParam(this, "batchSize", TrainingOptions.BATCH_DOC, inRange(TrainingOptions.BATCH_RANGE));
        learningRate = new DoubleParam(this, "learningRate", TrainingOptions.LEARNING_RATE_DOC,
                inRange(TrainingOptions.LEARNING_RATE_RANGE));
        hidden = new IntArrayParam(this, "hidden", TrainingOptions.HIDDEN_DOC, eachInRange(TrainingOptions.HIDDEN_RANGE));
        latent = new IntParam(this, "latent", TrainingOptions.LATENT_DOC, inRange(TrainingOptions.LATENT_RANGE));
        likelihood = new Param<>(this, "likelihood",
                "gaussian:logvar-bound=2, gaussian, gaussian-shared, student-t, student-t:nu=N, bernoulli, gaussian-fixed"
                        + " or gaussian-fixed:V; empty = the measured default ("
                        + dev.vae.core.nn.Architecture.DEFAULT_LIKELIHOOD_DESCRIPTION + ")");
        modelType = new Param<>(this, "modelType", "vae or ae");
        beta = new DoubleParam(this, "beta", TrainingOptions.BETA_DOC, inRange(TrainingOptions.BETA_RANGE));
        validationFraction = new DoubleParam(this, "validationFraction", TrainingOptions.VALIDATION_FRACTION_DOC
                + " It also fits the threshold.", inRange(TrainingOptions.VALIDATION_FRACTION_RANGE));
        patience = new IntParam(this, "patience", TrainingOptions.PATIENCE_DOC, inRange(TrainingOptions.PATIENCE_RANGE));
        trimFraction = new DoubleParam(this, "trimFraction", TrainingOptions.TRIM_FRACTION_DOC,
                inRange(TrainingOptions.TRIM_FRACTION_RANGE));
        trimAdaptive = new BooleanParam(this, "trimAdaptive", TrainingOptions.TRIM_ADAPTIVE_DOC);
        ensemble = new IntParam(this, "ensemble", TrainingOptions.ENSEMBLE_DOC, inRange(TrainingOptions.ENSEMBLE_RANGE));
        thresholdQuantile = new DoubleParam(this, "thresholdQuantile", "the threshold is this quantile of the validation scores");
        setDefault(inputCols, new String[0]);
        setDefault(labelCol, "");
        setDefault(maxSampleRows, 100_000);
        setDefault(seed, d.seed());
        setDefault(epochs, d.epochs());
        setDefault(batchSize, d.batchSize());
        setDefault(learningRate, d.learningRate());
        setDefault(hidden, new int[0]);
        setDefault(latent, 0);
        setDefault(likelihood, "");
        setDefault(modelType, "vae");
        setDefault(beta, d.beta());
        setDefault(validationFraction, d.validationFraction());
        setDefault(patience, d.patience());
        setDefault(trimFraction, d.trimFraction());
        setDefault(trimAdaptive, d.trimAdaptive());
        setDefault(ensemble, d.members());
        setDefault(thresholdQuantile, 0.99);
    }

    @Override
    public String uid() {
        return uid;
    }

    /** Param: feature columns. */
    public StringArrayParam inputCols() {
        return inputCols;
    }

    /** Param: label column. */
    public Param<String> labelCol() {
        return labelCol;
    }

    /** Param: the most rows sampled to the driver. */
    public IntParam maxSampleRows() {
        return maxSampleRows;
    }

    /** Param: seed. */
    public LongParam seed() {
        return seed;
    }

    /** Param: epochs. */
    public IntParam epochs() {
        return epochs;
    }

    /** Param: minibatch size. */
    public IntParam batchSize() {
        return batchSize;
    }

    /** Param: learning rate. */
    public DoubleParam learningRate() {
        return learningRate;
    }

    /** Param: hidden widths. */
    public IntArrayParam hidden() {
        return hidden;
    }

    /** Param: latent dimension. */
    public IntParam latent() {
        return latent;
    }

    /** Param: likelihood. */
    public Param<String> likelihood() {
        return likelihood;
    }

    /** Param: model type. */
    public Param<String> modelType() {
        return modelType;
    }

    /** Param: beta. */
    public DoubleParam beta() {
        return beta;
    }

    /** Param: validation fraction. */
    public DoubleParam validationFraction() {
        return validationFraction;
    }

    /** Param: early-stopping patience. */
    public IntParam patience() {
        return patience;
    }

    /** Param: threshold quantile. */
    public DoubleParam thresholdQuantile() {
        return thresholdQuantile;
    }

    /** Sets the feature columns (empty = every numeric column but the label). */
    public VaeEstimator setInputCols(String... value) {
        set(inputCols, value.clone());
        return this;
    }

    /** Sets the label column (0 = normal; only normal rows are sampled); empty = none. */
    public VaeEstimator setLabelCol(String value) {
        set(labelCol, value);
        return this;
    }

    /** Sets the most rows drawn to the driver (1000 .. 50,000,000 is sensible; at least 2). */
    public VaeEstimator setMaxSampleRows(int value) {
        if (value < 2) {
            throw new IllegalArgumentException("Invalid maximum sample size: " + value + " (expected at least 2)");
        }
        set(maxSampleRows, value);
        return this;
    }

    /** Sets the seed. */
    public VaeEstimator setSeed(long value) {
        set(seed, value);
        return this;
    }

    /** Sets the maximum number of epochs. */
    public VaeEstimator setEpochs(int value) {
        set(epochs, value);
        return this;
    }

    /** Sets the minibatch size. */
    public VaeEstimator setBatchSize(int value) {
        set(batchSize, value);
        return this;
    }

    /** Sets Adam's learning rate. */
    public VaeEstimator setLearningRate(double value) {
        set(learningRate, value);
        return this;
    }

    /** Sets the encoder hidden widths (empty = adapt to the data). */
    public VaeEstimator setHidden(int... value) {
        set(hidden, value.clone());
        return this;
    }

    /** Sets the latent dimension (0 = adapt to the data). */
    public VaeEstimator setLatent(int value) {
        set(latent, value);
        return this;
    }

    /** Sets the likelihood by name (empty = the default). */
    public VaeEstimator setLikelihood(String value) {
        if (!value.isEmpty()) {
            Likelihoods.parse(value);
        }
        set(likelihood, value);
        return this;
    }

    /** Sets the model type, {@code vae} or {@code ae}. */
    public VaeEstimator setModelType(String value) {
        parseModelType(value);
        set(modelType, value);
        return this;
    }

    /** Sets the KL weight beta. */
    public VaeEstimator setBeta(double value) {
        set(beta, value);
        return this;
    }

    /** Sets the validation fraction (0 = none: the threshold is then fitted on the training scores). */
    public VaeEstimator setValidationFraction(double value) {
        set(validationFraction, value);
        return this;
    }

    /** Sets the early-stopping patience. */
    public VaeEstimator setPatience(int value) {
        set(patience, value);
        return this;
    }

    /** Param: trimmed share of training rows (or its cap when adaptive). */
    public DoubleParam trimFraction() {
        return trimFraction;
    }

    /** Param: adaptive trimming. */
    public BooleanParam trimAdaptive() {
        return trimAdaptive;
    }

    /** Sets the trimmed share of training rows, or its cap when adaptive (0 <= f < 0.5; 0 = off). */
    public VaeEstimator setTrimFraction(double value) {
        set(trimFraction, value);
        return this;
    }

    /** Sets whether the trimmed share follows the split of each epoch's row losses. */
    public VaeEstimator setTrimAdaptive(boolean value) {
        set(trimAdaptive, value);
        return this;
    }

    /** Param: networks trained on the sample with different seeds, the model's score the mean of theirs. */
    public IntParam ensemble() {
        return ensemble;
    }

    /**
     * Sets how many networks to train on the sample, each with its own seed, the model's score being the mean of
     * theirs (1 = one network; an ensemble trains and scores that many times over, and its transformer has no latent
     * column, each member having its own latent space).
     */
    public VaeEstimator setEnsemble(int value) {
        set(ensemble, value);
        return this;
    }

    /** Sets the threshold quantile, in (0, 1). */
    public VaeEstimator setThresholdQuantile(double value) {
        // Not 1: the quantile strategy refuses it (no score lies above the largest), so say so before any Spark job.
        if (!(value > 0 && value < 1)) {
            throw new IllegalArgumentException("Invalid threshold quantile: " + value + " (expected 0 < q < 1)");
        }
        set(thresholdQuantile, value);
        return this;
    }

    /** The training configuration these params describe (validated by {@link TrainingConfig}). */
    public TrainingConfig trainingConfig() {
        String lik = $(likelihood);
        return TrainingConfig.defaults()
                .withArchitecture(intList($(hidden)), (Integer) $(latent), lik.isEmpty() ? null : Likelihoods.parse(lik),
                        parseModelType($(modelType)))
                .withEpochs((Integer) $(epochs))
                .withOptimisation((Integer) $(batchSize), (Double) $(learningRate), (Double) $(beta))
                .withValidation((Double) $(validationFraction), (Integer) $(patience))
                .withSeed((Long) $(seed))
                .toBuilder().trimFraction((Double) $(trimFraction)).trimAdaptive((Boolean) $(trimAdaptive))
                .members((Integer) $(ensemble)).build();
    }

    /** The feature columns this estimator would use on {@code schema}, validated (numeric, present, not the label). */
    public List<String> featureColumns(StructType schema) {
        String label = $(labelCol);
        List<String> names = List.of(schema.fieldNames());
        if (!label.isEmpty()) {
            requireNumeric(schema, label, "label");
        }
        List<String> cols = new ArrayList<>();
        if ($(inputCols).length > 0) {
            for (String c : $(inputCols)) {
                if (c.equals(label)) {
                    throw new IllegalArgumentException("The label column '" + c + "' cannot be a feature");
                }
                requireNumeric(schema, c, "feature");
                cols.add(c);
            }
        } else {
            for (StructField f : schema.fields()) {
                if (!f.name().equals(label) && f.dataType() instanceof NumericType) {
                    cols.add(f.name());
                }
            }
            if (cols.isEmpty()) {
                throw new IllegalArgumentException("No numeric feature columns in " + names);
            }
        }
        return cols;
    }

    private static void requireNumeric(StructType schema, String name, String role) {
        if (!List.of(schema.fieldNames()).contains(name)) {
            throw new IllegalArgumentException("Missing " + role + " column '" + name + "'; the data has columns "
                    + List.of(schema.fieldNames()));
        }
        StructField f = schema.apply(name);
        if (!(f.dataType() instanceof NumericType)) {
            throw new IllegalArgumentException("Column '" + name + "' has type " + f.dataType().simpleString()
                    + ", expected a numeric " + role + " column");
        }
    }

    /**
     * Samples, trains on the driver and fits the threshold. Runs two Spark jobs (a count and the sampled collect).
     *
     * @throws IllegalArgumentException for missing or non-numeric columns, too few rows, or null/NaN cells in the sample
     */
    @Override
    public VaeTransformer fit(Dataset<?> dataset) {
        List<String> features = featureColumns(dataset.schema());
        TrainingConfig config = trainingConfig();
        ThresholdSpec threshold = ThresholdSpec.quantile((Double) $(thresholdQuantile));
        String label = $(labelCol);
        List<Column> select = new ArrayList<>();
        for (String c : features) {
            select.add(dataset.col(quote(c)).cast("double"));
        }
        Dataset<Row> df = dataset.select(select.toArray(new Column[0]));
        if (!label.isEmpty()) {
            df = dataset.filter(dataset.col(quote(label)).cast("double").equalTo(0.0)).select(select.toArray(new Column[0]));
        }
        long available = df.count();
        int max = (Integer) $(maxSampleRows);
        long s = (Long) $(seed);
        List<Row> rows;
        if (available <= max) {
            rows = df.collectAsList();
        } else {
            // Bernoulli sampling overshoots max by about five standard deviations, then the surplus is cut in
            // partition order: a bounded, seeded sample without a sort or a shuffle.
            double fraction = Math.min(1.0, (max + 5 * Math.sqrt(max) + 10) / available);
            rows = df.sample(false, fraction, s).collectAsList();
            if (rows.size() > max) {
                rows = rows.subList(0, max);
            }
        }
        if (rows.size() < 2) {
            throw new IllegalArgumentException("Training needs at least 2 " + (label.isEmpty() ? "" : "normal (label 0) ")
                    + "rows; the data has " + available);
        }
        Table table = toTable(rows, features, "Spark sample of " + rows.size() + " of " + available
                + (label.isEmpty() ? "" : " normal") + " rows (seed " + s + ")");
        TrainedDetector trained = Detector.builder().training(config).threshold(threshold)
                .provenance("spark.estimator", uid)
                .provenance("spark.sample-rows", Integer.toString(rows.size()))
                .provenance("spark.available-rows", Long.toString(available))
                .provenance("spark.label-column", label)
                .fit(table);
        // The estimator's models have always named the threshold's rows so, not by the sample's description.
        Threshold t = trained.threshold();
        String fittedOn = (trained.training().validation() != null ? "validation split" : "training sample") + ", "
                + trained.thresholdRows().rows() + " rows";
        VaeModel fitted = trained.model().toBuilder()
                .threshold(new Threshold(t.value(), t.method(), fittedOn, t.score()))
                .build();
        return VaeTransformer.of(fitted).setParent(this);
    }

    private static Table toTable(List<Row> rows, List<String> features, String source) {
        int d = features.size();
        float[] values = new float[rows.size() * d];
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            for (int j = 0; j < d; j++) {
                float f = r.isNullAt(j) ? Float.NaN : (float) r.getDouble(j);
                if (!Float.isFinite(f)) {
                    throw new IllegalArgumentException("Column '" + features.get(j) + "' in sampled row " + i + " is "
                            + (r.isNullAt(j) ? "null" : Double.toString(r.getDouble(j)))
                            + ": training needs finite values; clean or filter the data first");
                }
                values[i * d + j] = f;
            }
        }
        return new Table(features, values, rows.size(), null, source);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        featureColumns(schema);
        // What the fitted transformer adds with its default params (its model always has a threshold).
        return schema.add("score", org.apache.spark.sql.types.DataTypes.DoubleType, true)
                .add("is_anomaly", org.apache.spark.sql.types.DataTypes.BooleanType, true);
    }

    @Override
    public VaeEstimator copy(ParamMap extra) {
        return copyValues(new VaeEstimator(uid), extra);
    }

    /** A writer that saves the params as Spark ML metadata. */
    @Override
    public MLWriter write() {
        return new DefaultParamsWriter(this);
    }

    /** A reader for estimators saved by {@link #write()}. */
    public static MLReader<VaeEstimator> read() {
        return new DefaultParamsReader<>();
    }

    /** Loads an estimator saved by {@link #write()}. */
    public static VaeEstimator load(String path) {
        return read().load(path);
    }

    private static ModelType parseModelType(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "vae" -> ModelType.VAE;
            case "ae" -> ModelType.AE;
            default -> throw new IllegalArgumentException("Unknown model type '" + text + "': expected vae or ae");
        };
    }

    /**
     * Spark's validator of a number param from the catalogue's range (which {@link TrainingConfig} checks again), so
     * that a bad value is refused when set or loaded rather than when fitted. An absent end is infinite, which
     * {@code inRange} compares like any other.
     */
    private static <T> Function1<T, Object> inRange(TrainingOptions.Range range) {
        return ParamValidators.inRange(range.min(), range.max(), range.minInclusive(), range.maxInclusive());
    }

    /** A validator of an array param whose every element must be in the catalogue's {@code range}. */
    private static Function1<int[], Object> eachInRange(TrainingOptions.Range range) {
        // Serializable like Spark's own validators, since the estimator and its params are (so is the range).
        return (Function1<int[], Object> & java.io.Serializable) values -> IntStream.of(values).allMatch(range::contains);
    }

    private static List<Integer> intList(int[] values) {
        List<Integer> l = new ArrayList<>(values.length);
        for (int v : values) {
            l.add(v);
        }
        return l;
    }

    private static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
