package dev.vae.spark;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads scoring input the way the command line does, so Spark scores equal {@code vae score}'s bit for bit.
 *
 * <p>CSV: a header row; the model's feature columns are declared {@code double} (Spark parses them with
 * {@code Double.parseDouble}, as the command line's reader does, and {@link VaeTransformer} then casts to float32),
 * every other column stays a string, and a malformed number fails the job ({@code FAILFAST}) instead of becoming
 * null. An empty cell is null and follows the transformer's null policy. Parquet: as stored (any numeric type).
 */
public final class SparkData {

    private SparkData() {
    }

    /** Reads a CSV file or folder (plain or gzipped) with a header, {@code featureColumns} as double. */
    public static Dataset<Row> readCsv(SparkSession spark, String path, Collection<String> featureColumns) {
        // Reading the header alone (all strings) costs one tiny job and fixes the column order of the file.
        StructType header = spark.read().option("header", "true").option("inferSchema", "false").csv(path).schema();
        Set<String> features = Set.copyOf(featureColumns);
        StructField[] fields = header.fields();
        StructField[] typed = new StructField[fields.length];
        for (int i = 0; i < fields.length; i++) {
            String name = fields[i].name();
            typed[i] = DataTypes.createStructField(name,
                    features.contains(name) ? DataTypes.DoubleType : DataTypes.StringType, true);
        }
        return spark.read()
                .option("header", "true")
                .option("mode", "FAILFAST")
                .option("enforceSchema", "false") // the header must name the columns of this schema
                .schema(new StructType(typed))
                .csv(path);
    }

    /** Reads {@code path} as Parquet when {@code format} is {@code parquet}, as CSV when {@code csv}. */
    public static Dataset<Row> read(SparkSession spark, String path, String format, Collection<String> featureColumns) {
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "csv" -> readCsv(spark, path, featureColumns);
            case "parquet" -> spark.read().parquet(path);
            default -> throw new IllegalArgumentException("Unknown input format '" + format + "': expected csv or parquet");
        };
    }

    /** {@code parquet} when the path ends in {@code .parquet} (a file or a folder), else {@code csv}. */
    public static String guessFormat(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.endsWith(".parquet") || p.endsWith(".pq") ? "parquet" : "csv";
    }
}
