package dev.vae.spark;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/** The example docs/spark.md quotes; {@link TransformerExampleTest} keeps it compiling and working. */
final class TransformerExample {

    private TransformerExample() {
    }

    // --- example start ---
    /** The anomalous rows of a CSV, most anomalous first, scored on Spark with a model from `vae train`. */
    static Dataset<Row> anomalies(SparkSession spark, Path modelFile, String csv) throws IOException {
        VaeTransformer detector = VaeTransformer.fromFile(modelFile) // the file `vae train --out` wrote
                .setLatentCol("z");                                  // optional: latent means, as an ML vector
        Dataset<Row> rows = SparkData.readCsv(spark, csv, detector.model().featureNames());
        return detector.transform(rows)                              // adds score, is_anomaly and z
                .filter(functions.col("is_anomaly"))
                .orderBy(functions.desc("score"));
    }
    // --- example end ---
}
