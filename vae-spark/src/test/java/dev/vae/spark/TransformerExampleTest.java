package dev.vae.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.VaeModel;
import dev.vae.core.io.ModelFile;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The documented example runs and returns flagged rows, most anomalous first. */
class TransformerExampleTest {

    @Test
    void givenModelFileAndCsv_whenExampleRuns_thenFlaggedRowsComeMostAnomalousFirst(@TempDir Path dir) throws Exception {
        VaeModel model = LocalSpark.breastwModel();
        Path file = dir.resolve("breastw.vae");
        ModelFile.write(model, file);

        List<Row> rows = TransformerExample.anomalies(LocalSpark.session(), file, LocalSpark.breastwCsv().toString())
                .collectAsList();

        assertThat(rows).isNotEmpty();
        double previous = Double.POSITIVE_INFINITY;
        for (Row r : rows) {
            double s = r.getDouble(r.fieldIndex("score"));
            assertThat(s).isGreaterThan(model.threshold().value()).isLessThanOrEqualTo(previous);
            assertThat(r.<org.apache.spark.ml.linalg.Vector>getAs("z").size()).isEqualTo(model.latentDim());
            previous = s;
        }
    }
}
