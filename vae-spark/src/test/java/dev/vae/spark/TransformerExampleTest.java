package dev.vae.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.VaeModel;
import dev.vae.core.io.ModelFile;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The documented example runs, returns flagged rows most anomalous first, and docs/spark.md quotes it verbatim. */
class TransformerExampleTest {

    @Test
    void givenExampleSource_whenDocsRead_thenDocsQuoteTheExampleVerbatim() throws Exception {
        Path module = Path.of("").toAbsolutePath();
        String source = java.nio.file.Files.readString(module.resolve("src/test/java/dev/vae/spark/TransformerExample.java"));
        String docs = java.nio.file.Files.readString(module.resolveSibling("docs").resolve("spark.md"));
        String example = source.substring(source.indexOf("// --- example start ---\n") + "// --- example start ---\n".length(),
                source.indexOf("    // --- example end ---"));

        assertThat(example).contains("VaeTransformer.fromFile");
        assertThat(docs).contains(example);
    }

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
