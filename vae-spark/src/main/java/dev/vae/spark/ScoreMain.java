package dev.vae.spark;

import dev.vae.core.VaeModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The {@code spark-submit} entry point of {@code vae-spark.jar}: scores a CSV or Parquet input with a model file
 * and writes CSV part files with a header: the kept columns, {@code score} and {@code is_anomaly} (1 or 0, empty
 * when no threshold applies), as {@code vae score} would score the same rows.
 *
 * <pre>
 * spark-submit vae-spark.jar --model M --data IN [--format csv|parquet] [--keep-columns id,...]
 *     [--score negative-elbo|reconstruction|iwae] [--samples L] [--null-policy error|null]
 *     [--partitions N] [--master local[2]] [--overwrite] --out DIR
 * </pre>
 * Paths may be on any Hadoop file system. Without {@code --master}, the master comes from {@code spark-submit}.
 */
public final class ScoreMain {

    private static final String USAGE = "Usage: vae-spark --model M --data IN [--format csv|parquet] "
            + "[--keep-columns id,...] [--score negative-elbo|reconstruction|iwae] [--samples L] "
            + "[--null-policy error|null] [--partitions N] [--master URL] [--overwrite] --out DIR";

    private ScoreMain() {
    }

    /** Runs the job and exits with its status (0 = done, 1 = failed, 2 = bad arguments). */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the job with {@code args}, writing messages to {@code out} and one-line errors to {@code err}.
     * Uses (and leaves running) an active SparkSession when there is one, else creates one and stops it at the end.
     *
     * @return 0 when done, 1 when the job failed, 2 for bad arguments
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> opts;
        try {
            opts = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("vae-spark: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (opts.containsKey("--help")) {
            out.println(USAGE);
            return 0;
        }
        // Stop the session at the end only when this run created it (never one an application or test shares).
        boolean created = SparkSession.getActiveSession().isEmpty() && SparkSession.getDefaultSession().isEmpty();
        SparkSession.Builder builder = SparkSession.builder().appName("vae-spark score");
        if (opts.containsKey("--master")) {
            builder.master(opts.get("--master"));
        }
        SparkSession spark = builder.getOrCreate();
        try {
            score(spark, opts);
            out.println("vae-spark: scores written to " + opts.get("--out"));
            return 0;
        } catch (Exception e) { // Spark rethrows task failures as the checked SparkException, undeclared
            err.println("vae-spark: " + rootMessage(e));
            if (System.getenv("VAE_VERBOSE") != null) {
                e.printStackTrace(err);
            }
            return 1;
        } finally {
            if (created) {
                spark.stop();
            }
        }
    }

    private static void score(SparkSession spark, Map<String, String> opts) throws IOException {
        VaeTransformer t = VaeTransformer.fromBytes(readBytes(spark, opts.get("--model")), opts.get("--model"));
        VaeModel model = t.model();
        if (opts.containsKey("--score")) {
            t.setScoreKind(opts.get("--score"));
        }
        if (opts.containsKey("--samples")) {
            t.setSamples(parseInt("--samples", opts.get("--samples")));
        }
        if (opts.containsKey("--null-policy")) {
            t.setNullPolicy(opts.get("--null-policy"));
        }
        String data = opts.get("--data");
        String format = opts.getOrDefault("--format", SparkData.guessFormat(data));
        Dataset<Row> in = SparkData.read(spark, data, format, model.featureNames());
        List<String> keep = opts.containsKey("--keep-columns") ? List.of(opts.get("--keep-columns").split(",")) : List.of();
        List<String> columns = List.of(in.columns());
        for (String k : keep) {
            if (!columns.contains(k)) {
                throw new IllegalArgumentException("--keep-columns: no column '" + k + "' in " + data + " (columns: " + columns + ")");
            }
        }
        if (opts.containsKey("--partitions")) {
            in = in.repartition(parseInt("--partitions", opts.get("--partitions")));
        }
        Dataset<Row> scored = t.transform(in);
        List<Column> select = new ArrayList<>();
        for (String k : keep) {
            select.add(scored.col(quote(k)));
        }
        select.add(scored.col("score"));
        boolean flagged = List.of(scored.columns()).contains("is_anomaly");
        select.add((flagged ? functions.col("is_anomaly").cast("int") : functions.lit(null).cast("int")).as("is_anomaly"));
        if (!flagged) {
            System.err.println("vae-spark: no threshold applies to this score, so is_anomaly is left empty");
        }
        Dataset<Row> result = scored.select(select.toArray(new Column[0]));
        result.write()
                .mode(opts.containsKey("--overwrite") ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
                .option("header", "true")
                .csv(opts.get("--out"));
    }

    /** A column name as Spark's resolver takes it literally (names such as {@code Cl.thickness} hold dots). */
    private static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    private static byte[] readBytes(SparkSession spark, String path) throws IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
        FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!fs.exists(p)) {
            throw new IOException("model file " + path + " does not exist");
        }
        try (InputStream is = fs.open(p)) {
            return is.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, dev.vae.core.io.ModelFile.MAX_FILE_BYTES + 1));
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        List<String> flags = List.of("--overwrite", "--help", "-h");
        List<String> valued = List.of("--model", "--data", "--format", "--keep-columns", "--score", "--samples",
                "--null-policy", "--partitions", "--master", "--out");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            if (flags.contains(a)) {
                opts.put(a.equals("-h") ? "--help" : a, "");
            } else if (valued.contains(a)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("option " + a + " needs a value");
                    }
                    value = args[++i];
                }
                opts.put(a, value);
            } else {
                throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
        }
        if (!opts.containsKey("--help")) {
            for (String required : List.of("--model", "--data", "--out")) {
                if (!opts.containsKey(required)) {
                    throw new IllegalArgumentException("missing required option " + required);
                }
            }
        }
        return opts;
    }

    private static int parseInt(String option, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + text + "' is not an integer");
        }
    }

    /**
     * The innermost message (Spark wraps task failures several times, and the cause says what was wrong), with the
     * input file when Spark names one on the way.
     */
    private static String rootMessage(Throwable e) {
        Throwable t = e;
        String message = String.valueOf(e.getMessage());
        String file = null;
        while (true) {
            java.util.regex.Matcher m = READ_FILE.matcher(String.valueOf(t.getMessage()));
            if (file == null && m.find()) {
                file = m.group(1);
            }
            if (t.getCause() == null || t.getCause() == t) {
                break;
            }
            t = t.getCause();
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        String line = message.lines().findFirst().orElse(message);
        return file == null ? line : line + " (reading " + file + ")";
    }

    private static final java.util.regex.Pattern READ_FILE =
            java.util.regex.Pattern.compile("error while reading file (\\S+?)\\.?\\s");
}
