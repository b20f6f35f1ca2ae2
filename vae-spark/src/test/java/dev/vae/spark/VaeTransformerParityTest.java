package dev.vae.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.anomaly.score.Scorer;
import dev.vae.core.ScoreKind;
import dev.vae.core.ScoreSettings;
import dev.vae.core.VaeModel;
import dev.vae.core.data.Table;
import java.util.List;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Spark scores equal the single-process {@link Scorer}'s (the {@code vae score} path) bit for bit. */
class VaeTransformerParityTest {

    private static VaeModel model;
    private static Table table;
    private static Dataset<Row> csv;

    @BeforeAll
    static void setUp() throws Exception {
        model = LocalSpark.breastwModel();
        table = LocalSpark.breastwTable(model);
        csv = LocalSpark.breastwRows(model);
    }

    private static double[] byRow(Dataset<Row> scored, String column) {
        double[] out = new double[table.rows()];
        java.util.Arrays.fill(out, Double.NaN);
        for (Row r : scored.select("row_id", column).collectAsList()) {
            out[(int) r.getLong(0)] = r.getDouble(1);
        }
        return out;
    }

    @ParameterizedTest(name = "{0} partitions, batch {1}, {2} samples, {3}")
    @CsvSource({"1, 4096, 0, negative-elbo", "3, 4096, 0, negative-elbo", "7, 5, 0, negative-elbo",
            "4, 64, 3, negative-elbo", "2, 100, 2, reconstruction"})
    void givenBreastwCsv_whenScoredOnSpark_thenScoresEqualScorerBitForBit(int partitions, int batch, int samples,
                                                                         String kind) {
        ScoreSettings settings = new ScoreSettings(ScoreKind.parse(kind), samples);
        double[] expected = new Scorer(model, settings).score(table.values(), table.rows());

        VaeTransformer t = VaeTransformer.of(model).setBatchSize(batch).setSamples(samples).setScoreKind(kind);
        Dataset<Row> scored = t.transform(csv.repartition(partitions));
        assertThat(scored.rdd().getNumPartitions()).isEqualTo(partitions);
        double[] actual = byRow(scored, "score");

        for (int i = 0; i < expected.length; i++) {
            assertThat(Double.doubleToRawLongBits(actual[i]))
                    .as("row %d: spark %s vs scorer %s", i, actual[i], expected[i])
                    .isEqualTo(Double.doubleToRawLongBits(expected[i]));
        }
    }

    @Test
    void givenVectorColumn_whenScored_thenScoresEqualNamedColumnsAndLatentMeansEqualEncode() {
        double[] expected = new Scorer(model).score(table.values(), table.rows());
        float[] mu = model.encode(table.values(), table.rows());
        // VectorAssembler cannot take breastw's dotted names (it parses the dots): give the columns plain names.
        String[] plain = new String[model.inputDim()];
        Dataset<Row> renamed = csv;
        for (int j = 0; j < plain.length; j++) {
            plain[j] = "f" + j;
            renamed = renamed.withColumnRenamed(model.featureNames().get(j), plain[j]);
        }
        Dataset<Row> vectors = new VectorAssembler()
                .setInputCols(plain)
                .setOutputCol("features")
                .transform(renamed)
                .select("row_id", "features")
                .repartition(3);

        VaeTransformer t = VaeTransformer.of(model).setFeaturesCol("features").setLatentCol("z");
        List<Row> rows = t.transform(vectors).select("row_id", "score", "z", "is_anomaly").collectAsList();

        assertThat(rows).hasSize(table.rows());
        int k = model.latentDim();
        for (Row r : rows) {
            int i = (int) r.getLong(0);
            assertThat(r.getDouble(1)).isEqualTo(expected[i]);
            Vector z = r.getAs(2);
            for (int j = 0; j < k; j++) {
                assertThat((float) z.apply(j)).isEqualTo(mu[i * k + j]);
            }
            assertThat(r.getBoolean(3)).isEqualTo(expected[i] > model.threshold().value());
        }
    }

    @Test
    void givenOneModelScoredByManyTasks_whenTransformedTwice_thenThisJvmParsedItOncePerScoreSetting() {
        VaeModel fresh = model.toBuilder().seed(model.seed() + 991).build(); // new bytes, so a new cache key
        VaeTransformer t = VaeTransformer.of(fresh);
        assertThat(ExecutorModels.entriesFor(t.modelSha256())).isZero();

        t.transform(csv.repartition(4)).count();
        t.transform(csv.repartition(3)).count();
        assertThat(ExecutorModels.entriesFor(t.modelSha256())).isEqualTo(1);

        t.setSamples(2).transform(csv).count();
        assertThat(ExecutorModels.entriesFor(t.modelSha256())).isEqualTo(2);
    }
}
