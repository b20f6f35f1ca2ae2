package dev.vae.spark;

import dev.vae.anomaly.score.Scorer;
import dev.vae.core.ScoreKind;
import dev.vae.core.ScoreSettings;
import dev.vae.core.Threshold;
import dev.vae.core.VaeModel;
import dev.vae.core.io.ModelFile;
import dev.vae.core.io.ModelFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.jspecify.annotations.Nullable;

/**
 * A Spark ML transformer that scores a DataFrame with a VAE model: it appends {@code score} (the model's score,
 * by default the deterministic negative ELBO, in nats, <b>higher = more anomalous</b>), {@code is_anomaly}
 * ({@code score > threshold}) and, when {@link #setLatentCol(String) asked}, the latent means as an ML vector (not of
 * an ensemble, whose members each have their own latent space; its score is the mean of theirs).
 * The scores equal those of {@link Scorer} (and so of {@code vae score}) for the same float32 rows, bit for bit,
 * whatever the partitioning.
 *
 * <p>Inputs are the model's feature columns by name (any numeric type, read as double and then cast to float32
 * like the command line's CSV reader), or one ML {@code Vector} column when {@link #setFeaturesCol(String)} is set.
 * A missing column or a non-numeric type fails in {@link #transform} itself, before any job runs. Null, NaN or
 * infinite cells follow {@link #setNullPolicy(String) the null policy}: an error by default, or a null score.
 *
 * <p>The model travels as its file's bytes: one broadcast per {@code transform}, parsed once per executor JVM
 * (cached by SHA-256) and shared by that JVM's tasks; each task scores its partition in batches of
 * {@link #setBatchSize(int) batchSize} rows. The transformer persists with {@link #write()} / {@link #load(String)},
 * alone or inside a {@code PipelineModel}: its params as Spark ML metadata, its model as the project's own model
 * file ({@code data/model.vae}). Like every Spark ML stage its params are mutable; set them before sharing it.
 */
public final class VaeTransformer extends Model<VaeTransformer> implements MLWritable {

    private static final long serialVersionUID = 1L;

    /** File name of the model inside a saved transformer's {@code data} folder. */
    public static final String MODEL_FILE = "model.vae";

    private final String uid;
    private final byte[] modelBytes;
    private transient @Nullable VaeModel model;
    private transient @Nullable String sha256;

    private final Param<String> featuresCol;
    private final Param<String> scoreCol;
    private final Param<String> anomalyCol;
    private final Param<String> latentCol;
    private final Param<String> featureScoresCol;
    private final Param<String> scoreKind;
    private final IntParam samples;
    private final DoubleParam threshold;
    private final Param<String> nullPolicy;
    private final IntParam batchSize;

    private VaeTransformer(String uid, byte[] modelBytes, VaeModel parsed) {
        this.uid = Objects.requireNonNull(uid, "uid");
        this.modelBytes = modelBytes;
        this.model = parsed;
        featuresCol = new Param<>(this, "featuresCol",
                "an ML Vector column holding the model's features in model order; empty = one column per feature, by the model's feature names");
        scoreCol = new Param<>(this, "scoreCol", "output column of the score (double, nats, higher = more anomalous)");
        anomalyCol = new Param<>(this, "anomalyCol", "output column of score > threshold (boolean); empty = none");
        latentCol = new Param<>(this, "latentCol", "output column of the latent means (ML vector); empty = none");
        featureScoresCol = new Param<>(this, "featureScoresCol",
                "output column of the per-feature contributions to the reconstruction term, nats (ML vector); empty = none");
        scoreKind = new Param<>(this, "scoreKind", "negative-elbo, reconstruction or iwae; empty = the model's own");
        samples = new IntParam(this, "samples", "latent samples per row (0 = deterministic z = mu); -1 = the model's own");
        threshold = new DoubleParam(this, "threshold", "anomaly threshold on the score; unset = the model's own (for its own score only)");
        nullPolicy = new Param<>(this, "nullPolicy", "rows with a null, NaN or infinite feature: 'error' (fail the job) or 'null' (null outputs)");
        batchSize = new IntParam(this, "batchSize", "rows scored per kernel call inside each partition (1..1048576)");
        setDefault(featuresCol, "");
        setDefault(scoreCol, "score");
        setDefault(anomalyCol, "is_anomaly");
        setDefault(latentCol, "");
        setDefault(featureScoresCol, "");
        setDefault(scoreKind, "");
        setDefault(samples, -1);
        setDefault(nullPolicy, NullPolicy.ERROR.id());
        setDefault(batchSize, 4096);
    }

    /** A transformer for {@code model} (serialised once to its model file bytes). */
    public static VaeTransformer of(VaeModel model) {
        try {
            return new VaeTransformer(Identifiable.randomUID("vae"), ModelFile.toBytes(model), model);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not serialise the model", e);
        }
    }

    /**
     * A transformer for model file bytes, checked here (magic, version, checksum) so a corrupted file fails at once.
     *
     * @param source names the bytes in error messages, e.g. a path
     * @throws ModelFormatException when the bytes are not a valid model file
     */
    public static VaeTransformer fromBytes(byte[] bytes, String source) throws ModelFormatException {
        byte[] copy = bytes.clone();
        return new VaeTransformer(Identifiable.randomUID("vae"), copy, ModelFile.fromBytes(copy, source));
    }

    /**
     * A transformer for the model file at a local {@code path} (as written by {@code vae train}).
     *
     * @throws IOException when the file cannot be read or is not a valid model file
     */
    public static VaeTransformer fromFile(Path path) throws IOException {
        return fromBytes(Files.readAllBytes(path), path.toString());
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The model (parsed once per JVM instance of this transformer). */
    public synchronized VaeModel model() {
        if (model == null) {
            try {
                model = ModelFile.fromBytes(modelBytes, "transformer " + uid);
            } catch (ModelFormatException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        return model;
    }

    /** A copy of the model file bytes this transformer broadcasts. */
    public byte[] modelBytes() {
        return modelBytes.clone();
    }

    /** The SHA-256 (lowercase hex) of the model file bytes: the executors' cache key. */
    public synchronized String modelSha256() {
        if (sha256 == null) {
            sha256 = ExecutorModels.sha256(modelBytes);
        }
        return sha256;
    }

    // ---- params: accessors (found by Spark through reflection), getters and setters ----

    /** Param: an ML Vector input column; empty (the default) = one numeric column per model feature, by name. */
    public Param<String> featuresCol() {
        return featuresCol;
    }

    /** Param: the score output column (default {@code score}). */
    public Param<String> scoreCol() {
        return scoreCol;
    }

    /** Param: the anomaly flag output column (default {@code is_anomaly}; empty = none). */
    public Param<String> anomalyCol() {
        return anomalyCol;
    }

    /** Param: the latent means output column (default empty = none). */
    public Param<String> latentCol() {
        return latentCol;
    }

    /** Param: the score kind (default empty = the model's own). */
    public Param<String> scoreKind() {
        return scoreKind;
    }

    /** Param: latent samples per row (default -1 = the model's own). */
    public IntParam samples() {
        return samples;
    }

    /** Param: the anomaly threshold (default unset = the model's own). */
    public DoubleParam threshold() {
        return threshold;
    }

    /** Param: the null policy, {@code error} (default) or {@code null}. */
    public Param<String> nullPolicy() {
        return nullPolicy;
    }

    /** Param: rows per kernel call inside a partition (default 4096). */
    public IntParam batchSize() {
        return batchSize;
    }

    /** Sets the ML Vector input column (empty = by feature names). */
    public VaeTransformer setFeaturesCol(String value) {
        set(featuresCol, Objects.requireNonNull(value, "featuresCol"));
        return this;
    }

    /** Sets the score output column. */
    public VaeTransformer setScoreCol(String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException("Invalid score column name: '" + value + "'");
        }
        set(scoreCol, value);
        return this;
    }

    /** Sets the anomaly flag output column (empty = none). */
    public VaeTransformer setAnomalyCol(String value) {
        set(anomalyCol, Objects.requireNonNull(value, "anomalyCol"));
        return this;
    }

    /** Param: the per-feature contributions output column (default empty = none). */
    public Param<String> featureScoresCol() {
        return featureScoresCol;
    }

    /**
     * Sets the output column of the per-feature contributions (empty = none): an ML vector of the model's width whose
     * entries, in nats, sum to the row's reconstruction term and show which columns made the row look odd.
     */
    public VaeTransformer setFeatureScoresCol(String value) {
        set(featureScoresCol, Objects.requireNonNull(value, "featureScoresCol"));
        return this;
    }

    /**
     * Sets the latent means output column (empty = none).
     *
     * @throws IllegalArgumentException for a column name when the model is an ensemble, which has no one latent space
     */
    public VaeTransformer setLatentCol(String value) {
        requireOneLatentSpace(Objects.requireNonNull(value, "latentCol"));
        set(latentCol, value);
        return this;
    }

    /**
     * Refuses a latent column of an ensemble: each member has its own latent space, so the ensemble has no latent
     * means to output (its scores are the mean of its members'). Checked on the driver, before any job.
     */
    private void requireOneLatentSpace(String column) {
        int members = model().memberCount();
        if (!column.isEmpty() && members > 1) {
            throw new IllegalArgumentException("latentCol '" + column + "' asks for latent means, but the model is an"
                    + " ensemble of " + members + " networks, each with its own latent space: leave latentCol empty"
                    + " (the scores are the ensemble's), or score with one member, VaeTransformer.of(model.member(m))");
        }
    }

    /** Sets the score kind: {@code negative-elbo}, {@code reconstruction} or {@code iwae} (empty = the model's own). */
    public VaeTransformer setScoreKind(String value) {
        if (!value.isEmpty()) {
            ScoreKind.parse(value);
        }
        set(scoreKind, value);
        return this;
    }

    /** Sets the latent samples per row (0 = deterministic; -1 = the model's own). */
    public VaeTransformer setSamples(int value) {
        if (value < -1 || value > 10_000) {
            throw new IllegalArgumentException("Invalid number of score samples: " + value + " (expected -1..10000)");
        }
        set(samples, value);
        return this;
    }

    /** Sets the anomaly threshold on the score, replacing the model's. */
    public VaeTransformer setThreshold(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("Invalid threshold: " + value);
        }
        set(threshold, value);
        return this;
    }

    /** Sets the null policy: {@code error} or {@code null}. */
    public VaeTransformer setNullPolicy(String value) {
        set(nullPolicy, NullPolicy.parse(value).id());
        return this;
    }

    /** Sets the rows per kernel call inside a partition (1..1048576). */
    public VaeTransformer setBatchSize(int value) {
        if (value < 1 || value > 1 << 20) {
            throw new IllegalArgumentException("Invalid batch size: " + value + " (expected 1..1048576)");
        }
        set(batchSize, value);
        return this;
    }

    /** The score settings in force: the model's own, changed by {@code scoreKind} and {@code samples} when set. */
    public ScoreSettings scoreSettings() {
        ScoreSettings own = model().scoreSettings();
        String kind = $(scoreKind);
        int l = (Integer) $(samples);
        return new ScoreSettings(kind.isEmpty() ? own.kind() : ScoreKind.parse(kind), l < 0 ? own.samples() : l);
    }

    /**
     * The threshold in force: the {@code threshold} param when set, else the model's own when the score in force is
     * the model's own score (a threshold fitted on one score means nothing for another), else null (no flag column).
     */
    public @Nullable Double effectiveThreshold() {
        if (isSet(threshold)) {
            return (Double) $(threshold);
        }
        Threshold t = model().threshold();
        return t != null && t.appliesTo(scoreSettings()) ? t.value() : null;
    }

    // ---- transforming ----

    @Override
    public StructType transformSchema(StructType schema) {
        InputColumns.resolve(schema, model(), vectorColumn());
        List<StructField> fields = new ArrayList<>(List.of(schema.fields()));
        addOutput(schema, fields, $(scoreCol), DataTypes.DoubleType);
        if (!$(anomalyCol).isEmpty() && effectiveThreshold() != null) {
            addOutput(schema, fields, $(anomalyCol), DataTypes.BooleanType);
        }
        if (!$(latentCol).isEmpty()) {
            requireOneLatentSpace($(latentCol));
            addOutput(schema, fields, $(latentCol), SQLDataTypes.VectorType());
        }
        if (!$(featureScoresCol).isEmpty()) {
            addOutput(schema, fields, $(featureScoresCol), SQLDataTypes.VectorType());
        }
        return new StructType(fields.toArray(new StructField[0]));
    }

    private static void addOutput(StructType schema, List<StructField> fields, String name,
                                  org.apache.spark.sql.types.DataType type) {
        if (List.of(schema.fieldNames()).contains(name) || fields.stream().anyMatch(f -> f.name().equals(name))) {
            throw new IllegalArgumentException("Output column '" + name + "' already exists; choose another name");
        }
        fields.add(DataTypes.createStructField(name, type, true));
    }

    private @Nullable String vectorColumn() {
        String v = $(featuresCol);
        return v.isEmpty() ? null : v;
    }

    /**
     * Appends the output columns. Validates the schema and the score settings here, on the driver, so bad input
     * fails before any job runs; the scoring itself runs lazily, when an action consumes the result.
     */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType in = dataset.schema();
        StructType out = transformSchema(in);
        InputColumns input = InputColumns.resolve(in, model(), vectorColumn());
        ScoreSettings settings = scoreSettings();
        new Scorer(model(), settings); // rejects settings the scorer does not support, before any job
        boolean withAnomaly = !$(anomalyCol).isEmpty() && effectiveThreshold() != null;
        Double t = withAnomaly ? effectiveThreshold() : null;
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        Broadcast<byte[]> bytes = jsc.broadcast(modelBytes);
        boolean withLatent = !$(latentCol).isEmpty();
        boolean withFeatures = !$(featureScoresCol).isEmpty();
        NullPolicy policy = NullPolicy.parse($(nullPolicy));
        int batch = (Integer) $(batchSize);
        ScoringBatches.Setup setup = new ScoringBatches.Setup(bytes, modelSha256(), settings, input.names(), t,
                withLatent, withFeatures, policy, batch);
        Dataset<Row> df = dataset.toDF();
        if (!withFeatures && input.featureIndex() != null && !df.isStreaming() && df instanceof org.apache.spark.sql.classic.Dataset<Row> classic) {
            // Fast path: Spark's internal binary rows in and out, no boxed Row per row (batch queries of a classic
            // session; streaming queries take the public mapPartitions path, which Structured Streaming supports).
            InternalRowScorer fast = new InternalRowScorer(setup, input, in);
            RDD<InternalRow> rows = classic.queryExecution().toRdd().toJavaRDD().mapPartitions(fast).rdd();
            return classic.sparkSession().internalCreateDataFrame(rows, out, false);
        }
        return df.mapPartitions(new PartitionScorer(setup, input, in.size()), Encoders.row(out));
    }

    @Override
    public VaeTransformer copy(ParamMap extra) {
        VaeTransformer c = new VaeTransformer(uid, modelBytes, model());
        copyValues(c, extra);
        return c.setParent(parent());
    }

    @Override
    public String toString() {
        return "VaeTransformer[uid=" + uid + ", " + model() + "]";
    }

    // ---- persistence ----

    /** A writer that saves the params as Spark ML metadata and the model as {@code data/model.vae}. */
    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    /** A reader for transformers saved by {@link #write()}; Spark's {@code PipelineModel.load} finds it by reflection. */
    public static MLReader<VaeTransformer> read() {
        return new Reader();
    }

    /** Loads a transformer saved by {@link #write()} from {@code path} (any Hadoop file system). */
    public static VaeTransformer load(String path) {
        return read().load(path);
    }

    private static final class Writer extends MLWriter {
        private final VaeTransformer instance;

        Writer(VaeTransformer instance) {
            this.instance = instance;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter.saveMetadata(instance, path, sparkSession());
            org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(path, "data"), MODEL_FILE);
            try {
                FileSystem fs = file.getFileSystem(sc().hadoopConfiguration());
                try (OutputStream os = fs.create(file, true)) {
                    os.write(instance.modelBytes);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Could not write the model to " + file, e);
            }
        }
    }

    private static final class Reader extends MLReader<VaeTransformer> {
        @Override
        public VaeTransformer load(String path) {
            DefaultParamsReader.Metadata md = DefaultParamsReader.loadMetadata(path, sparkSession(), VaeTransformer.class.getName());
            org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(path, "data"), MODEL_FILE);
            byte[] bytes;
            try {
                FileSystem fs = file.getFileSystem(sc().hadoopConfiguration());
                long size = fs.getFileStatus(file).getLen();
                if (size > ModelFile.MAX_FILE_BYTES) {
                    throw new ModelFormatException(file + ": " + size + " bytes is larger than a model file may be");
                }
                try (InputStream is = fs.open(file)) {
                    bytes = is.readAllBytes();
                } catch (org.apache.hadoop.fs.ChecksumException e) {
                    // The file system's own checksum caught the damage before the model file's SHA-256 could.
                    throw new ModelFormatException(file + ": corrupted model file (file system checksum mismatch)", e);
                }
                VaeModel parsed = ModelFile.fromBytes(bytes, file.toString());
                VaeTransformer t = new VaeTransformer(md.uid(), bytes, parsed);
                md.getAndSetParams(t, md.getAndSetParams$default$2());
                return t;
            } catch (IOException e) {
                throw new UncheckedIOException("Could not load the VAE model of the transformer saved at " + path + ": "
                        + e.getMessage(), e);
            }
        }
    }
}
