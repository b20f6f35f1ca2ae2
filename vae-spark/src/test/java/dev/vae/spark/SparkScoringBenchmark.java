package dev.vae.spark;

import dev.vae.anomaly.score.Scorer;
import dev.vae.core.VaeModel;
import dev.vae.core.io.ModelFile;
import dev.vae.train.TrainingConfig;
import dev.vae.train.VaeTrainer;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Not a test: scoring throughput of {@link VaeTransformer} on {@code local[2]} against the single-process
 * {@link Scorer} on the same generated rows, for several partition counts. Usage (see docs/spark.md):
 * {@code java -Xmx8g -cp ... dev.vae.spark.SparkScoringBenchmark [rows] [partitions,...]}.
 *
 * <p>The rows are drawn from a model trained on the shared Statlog Shuttle set (9 features, default architecture)
 * in 16 fixed chunks (chunk c from seed c), so every partition count scores exactly the same rows. The Spark side
 * reads them from Spark's in-memory cache and writes to the {@code noop} sink, so neither side pays for I/O.
 */
public final class SparkScoringBenchmark {

    private static final int CHUNKS = 16;

    private SparkScoringBenchmark() {
    }

    /** Runs the benchmark and prints one line per measurement. */
    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        List<Integer> partitionCounts = new ArrayList<>();
        for (String p : (args.length > 1 ? args[1] : "2,4,8,16").split(",")) {
            partitionCounts.add(Integer.parseInt(p));
        }
        int perChunk = (int) (rows / CHUNKS);
        long n = (long) perChunk * CHUNKS;

        Table shuttle = CsvReader.read(Path.of(System.getProperty("vae.shared.dir", "../shared"), "data/shuttle/shuttle.csv"),
                CsvOptions.withLabel("label", Set.of())).normalOnly();
        VaeModel model = new VaeTrainer(TrainingConfig.defaults().withEpochs(5)).fit(shuttle).model();
        byte[] bytes = ModelFile.toBytes(model);
        int d = model.inputDim();
        System.out.printf(Locale.ROOT, "model: %s; rows: %d; cores: %d%n", model.architecture().describe(), n,
                Runtime.getRuntime().availableProcessors());

        // Single process: the same loop as `vae score` (4096-row chunks, one thread), then two threads.
        float[][] chunks = new float[CHUNKS][];
        for (int c = 0; c < CHUNKS; c++) {
            chunks[c] = model.generate(perChunk, c, true);
        }
        Scorer scorer = new Scorer(model);
        for (int rep = 0; rep < 2; rep++) {
            long t0 = System.nanoTime();
            double checksum = scoreChunks(scorer, chunks, 0, CHUNKS, perChunk, d);
            double s1 = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            double[] half = new double[1];
            Thread other = new Thread(() -> half[0] = scoreChunks(scorer, chunks, CHUNKS / 2, CHUNKS, perChunk, d));
            other.start();
            double mine = scoreChunks(scorer, chunks, 0, CHUNKS / 2, perChunk, d);
            other.join();
            double s2 = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "scorer 1 thread : %.1f s, %,.0f rows/s (checksum %.6e)%n", s1, n / s1, checksum);
            System.out.printf(Locale.ROOT, "scorer 2 threads: %.1f s, %,.0f rows/s (checksum %.6e)%n", s2, n / s2, mine + half[0]);
        }
        for (int c = 0; c < CHUNKS; c++) {
            chunks[c] = null; // free the driver's copy before Spark caches its own
        }

        SparkSession spark = SparkSession.builder().master("local[2]").appName("vae-spark-benchmark")
                .config("spark.ui.enabled", "false").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        Broadcast<byte[]> b = new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext()).broadcast(bytes);
        List<StructField> fields = new ArrayList<>();
        for (String name : model.featureNames()) {
            fields.add(DataTypes.createStructField(name, DataTypes.DoubleType, false));
        }
        StructType schema = new StructType(fields.toArray(new StructField[0]));
        VaeTransformer transformer = VaeTransformer.of(model);
        for (int p : partitionCounts) {
            Dataset<Row> data = spark.range(0, CHUNKS, 1, p).toDF()
                    .mapPartitions(new Generate(b, perChunk), Encoders.row(schema)).cache();
            long count = data.count();
            long t0 = System.nanoTime();
            data.write().format("noop").mode("overwrite").save();
            double read = (System.nanoTime() - t0) / 1e9;
            for (int rep = 0; rep < 2; rep++) {
                t0 = System.nanoTime();
                transformer.transform(data).write().format("noop").mode("overwrite").save();
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "spark local[2], %2d partitions: %.1f s, %,.0f rows/s "
                        + "(reading the cache alone: %.1f s; %d rows)%n", p, s, count / s, read, count);
            }
            data.unpersist(true);
        }
        spark.stop();
    }

    private static double scoreChunks(Scorer scorer, float[][] chunks, int from, int to, int perChunk, int d) {
        double[] out = new double[4096];
        double sum = 0;
        for (int c = from; c < to; c++) {
            for (int start = 0; start < perChunk; start += 4096) {
                int m = Math.min(4096, perChunk - start);
                scorer.score(chunks[c], start, m, out, 0);
                for (int i = 0; i < m; i++) {
                    sum += out[i];
                }
            }
        }
        return sum;
    }

    /** Generates the rows of the chunks a partition holds (chunk c drawn from seed c). */
    private static final class Generate implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<byte[]> bytes;
        private final int perChunk;

        Generate(Broadcast<byte[]> bytes, int perChunk) {
            this.bytes = bytes;
            this.perChunk = perChunk;
        }

        @Override
        public java.util.Iterator<Row> call(java.util.Iterator<Row> ids) throws Exception {
            VaeModel model = ModelFile.fromBytes(bytes.value(), "benchmark");
            int d = model.inputDim();
            // Lazy: one chunk of generated rows in memory at a time.
            return new java.util.Iterator<>() {
                private float[] x = new float[0];
                private int i;

                @Override
                public boolean hasNext() {
                    if (i * d < x.length) {
                        return true;
                    }
                    if (!ids.hasNext()) {
                        return false;
                    }
                    x = model.generate(perChunk, ids.next().getLong(0), true);
                    i = 0;
                    return perChunk > 0;
                }

                @Override
                public Row next() {
                    if (!hasNext()) {
                        throw new java.util.NoSuchElementException();
                    }
                    Object[] v = new Object[d];
                    for (int j = 0; j < d; j++) {
                        v[j] = (double) x[i * d + j];
                    }
                    i++;
                    return RowFactory.create(v);
                }
            };
        }
    }
}
