package dev.vae.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vae.anomaly.score.ScoreBreakdown;
import dev.vae.anomaly.score.Scorer;
import dev.vae.core.VaeModel;
import dev.vae.core.data.Table;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The per-feature contribution column equals the Scorer's breakdown bit for bit and sums to the reconstruction term. */
class FeatureScoresTest {

    @Test
    void givenFeatureScoresCol_whenTransformed_thenEachRowsVectorIsTheScorersBreakdown() throws Exception {
        VaeModel model = LocalSpark.breastwModel();
        Table table = LocalSpark.breastwTable(model);
        ScoreBreakdown expected = new Scorer(model).explain(table.values(), table.rows());
        Dataset<Row> csv = LocalSpark.breastwRows(model);

        Dataset<Row> scored = VaeTransformer.of(model).setFeatureScoresCol("contributions").setBatchSize(50)
                .transform(csv.repartition(3));
        int d = model.inputDim();
        int seen = 0;
        for (Row r : scored.select("row_id", "score", "contributions").collectAsList()) {
            int i = (int) r.getLong(0);
            Vector v = (Vector) r.get(2);
            assertThat(v.size()).isEqualTo(d);
            double sum = 0;
            for (int j = 0; j < d; j++) {
                assertThat(v.apply(j)).isEqualTo(expected.contribution(i, j));
                sum += v.apply(j);
            }
            assertThat(r.getDouble(1)).isEqualTo(expected.scores()[i]);
            assertThat(sum).isCloseTo(expected.reconstruction()[i], within(1e-9 * Math.max(1, Math.abs(sum))));
            seen++;
        }
        assertThat(seen).isEqualTo(table.rows());
    }
}
