package dev.vae.spark;

import dev.vae.core.nn.ModelType;
import dev.vae.core.ScoreSettings;
import dev.vae.core.Threshold;
import dev.vae.core.VaeModel;
import dev.vae.core.testing.SharedData;
import dev.vae.train.TrainingConfig;
import dev.vae.train.VaeTrainer;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The one {@code local[2]} SparkSession every test of this module shares (loopback only, no UI), and the one
 * small model most of them score with: starting Spark and training cost seconds, so each happens once per JVM.
 */
final class LocalSpark {

    private static SparkSession session;
    private static VaeModel breastw;

    private LocalSpark() {
    }

    /** The shared session, started on first use and stopped when the JVM exits. */
    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[2]")
                    .appName("vae-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.default.parallelism", "4")
                    .getOrCreate();
            session.sparkContext().setLogLevel("WARN");
            SparkSession s = session;
            Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "stop-local-spark"));
        }
        return session;
    }

    /** The shared breastw CSV (skips the test when the shared data is absent). */
    static Path breastwCsv() {
        return SharedData.require("data/breastw/breastw.csv");
    }

    /** A small VAE trained on every breastw row labelled normal, with a threshold; trained once per JVM. */
    static synchronized VaeModel breastwModel() throws Exception {
        if (breastw == null) {
            Table t = CsvReader.read(breastwCsv(), CsvOptions.withLabel("label", Set.of())).normalOnly();
            TrainingConfig config = TrainingConfig.defaults().withEpochs(15)
                    .withArchitecture(List.of(16), 3, null, ModelType.VAE);
            VaeModel m = new VaeTrainer(config).fit(t).model();
            breastw = m.toBuilder().threshold(new Threshold(12.0, "fixed:12", "tests", ScoreSettings.defaults())).build();
        }
        return breastw;
    }

    /**
     * breastw's rows exactly as {@code vae score} reads them for {@code model}: by the model's column names,
     * {@code Double.parseDouble}, cast to float.
     */
    static Table breastwTable(VaeModel model) throws IOException {
        return CsvReader.read(breastwCsv(), CsvOptions.forColumns(model.featureNames(), null));
    }

    /** breastw as a DataFrame of {@code model}'s columns in one partition, with a {@code row_id} in file order. */
    static Dataset<Row> breastwRows(VaeModel model) {
        return SparkData.readCsv(session(), breastwCsv().toString(), model.featureNames())
                .coalesce(1)
                .withColumn("row_id", functions.monotonically_increasing_id());
    }
}
