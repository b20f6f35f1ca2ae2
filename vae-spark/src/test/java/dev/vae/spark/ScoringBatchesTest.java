package dev.vae.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.anomaly.score.Scorer;
import dev.vae.core.VaeModel;
import dev.vae.core.data.Table;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one batching core behind both Spark paths: on the same rows, the internal-row path (named columns) and the
 * {@code Row} path (taken when per-feature scores are asked for) give the same outputs, bit for bit, whatever the
 * batch size, and treat a missing cell the same way.
 */
class ScoringBatchesTest {

    private static VaeModel model;
    private static Table table;
    private static Dataset<Row> csv;

    @BeforeAll
    static void setUp() throws Exception {
        model = LocalSpark.breastwModel();
        table = LocalSpark.breastwTable(model);
        csv = LocalSpark.breastwRows(model);
    }

    /** The rows of {@code scored} by row id; the Row path is the one asked for per-feature scores. */
    private static Map<Long, Row> byId(Dataset<Row> scored) {
        Map<Long, Row> out = new HashMap<>();
        for (Row r : scored.select("row_id", "score", "is_anomaly", "z").collectAsList()) {
            out.put(r.getLong(0), r);
        }
        return out;
    }

    @ParameterizedTest(name = "batch {0}")
    @ValueSource(ints = {1, 7, 4096})
    void givenNamedColumns_whenScoredByBothPaths_thenScoresFlagsAndLatentMeansAreTheSameBitsAsTheScorers(int batch) {
        // One missing cell, given a null score under the null policy, tests the placeholders on both paths.
        Column mitoses = functions.col("Mitoses");
        Dataset<Row> in = csv.withColumn("Mitoses",
                functions.when(functions.col("row_id").equalTo(5), functions.lit(null).cast("double")).otherwise(mitoses))
                .repartition(3);
        VaeTransformer t = VaeTransformer.of(model).setBatchSize(batch).setLatentCol("z").setNullPolicy("null");
        Map<Long, Row> internal = byId(t.transform(in));
        Map<Long, Row> rows = byId(t.copy(new org.apache.spark.ml.param.ParamMap()).setFeatureScoresCol("parts")
                .transform(in));

        double[] expected = new Scorer(model).score(table.values(), table.rows());
        float[] mu = model.encode(table.values(), table.rows());
        int k = model.latentDim();
        assertThat(internal).hasSize(table.rows());
        assertThat(rows).hasSize(table.rows());
        for (long id = 0; id < table.rows(); id++) {
            Row a = internal.get(id);
            Row b = rows.get(id);
            if (id == 5) {
                for (Row r : List.of(a, b)) {
                    assertThat(r.isNullAt(1) && r.isNullAt(2) && r.isNullAt(3)).as("row 5: null outputs").isTrue();
                }
                continue;
            }
            int i = (int) id;
            for (Row r : List.of(a, b)) {
                assertThat(Double.doubleToRawLongBits(r.getDouble(1))).as("row %d", id)
                        .isEqualTo(Double.doubleToRawLongBits(expected[i]));
                assertThat(r.getBoolean(2)).isEqualTo(expected[i] > model.threshold().value());
                Vector z = r.getAs(3);
                for (int j = 0; j < k; j++) {
                    assertThat((float) z.apply(j)).isEqualTo(mu[i * k + j]);
                }
            }
        }
    }

    @Test
    void givenAnInfiniteCell_whenScoredByEitherPathWithTheDefaultPolicy_thenTheSameMessageNamesColumnRowAndValue() {
        Dataset<Row> in = csv.withColumn("Mitoses", functions.when(functions.col("row_id").equalTo(3),
                functions.lit(Double.POSITIVE_INFINITY)).otherwise(functions.col("Mitoses")));
        String message = "Column 'Mitoses' at row 3 of partition 0 is Infinity (not a finite float32)";
        assertThatThrownBy(() -> VaeTransformer.of(model).transform(in).collectAsList())
                .hasStackTraceContaining(message);
        assertThatThrownBy(() -> VaeTransformer.of(model).setFeatureScoresCol("parts").transform(in).collectAsList())
                .hasStackTraceContaining(message);
    }
}
