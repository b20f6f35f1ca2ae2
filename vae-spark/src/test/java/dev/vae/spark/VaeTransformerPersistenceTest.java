package dev.vae.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.core.VaeModel;
import dev.vae.core.io.ModelFile;
import dev.vae.core.io.ModelFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The transformer saves and loads alone and inside a PipelineModel, its model stored as the project's model file. */
class VaeTransformerPersistenceTest {

    private static VaeModel model;
    private static Dataset<Row> data;

    @BeforeAll
    static void setUp() throws Exception {
        model = LocalSpark.breastwModel();
        data = SparkData.readCsv(LocalSpark.session(), LocalSpark.breastwCsv().toString(), model.featureNames())
                .coalesce(1);
    }

    private static List<Double> scores(Dataset<Row> scored) {
        return scored.select("score").as(org.apache.spark.sql.Encoders.DOUBLE()).collectAsList();
    }

    private static Path savedModelFile(Path pipelineDir) throws Exception {
        try (Stream<Path> files = Files.walk(pipelineDir)) {
            return files.filter(p -> p.getFileName().toString().equals(VaeTransformer.MODEL_FILE)).findFirst().orElseThrow();
        }
    }

    @Test
    void givenPipelineWithTransformer_whenSavedAndLoaded_thenParamsAndScoresAreTheSame(@TempDir Path dir) throws Exception {
        VaeTransformer t = VaeTransformer.of(model).setBatchSize(77).setScoreCol("nll").setLatentCol("z").setSamples(2);
        PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {t}).fit(data);
        String path = dir.resolve("pipeline").toString();
        fitted.write().overwrite().save(path);

        PipelineModel loaded = PipelineModel.load(path);

        VaeTransformer back = (VaeTransformer) loaded.stages()[0];
        assertThat(back.uid()).isEqualTo(t.uid());
        assertThat(back.modelSha256()).isEqualTo(t.modelSha256());
        assertThat((Integer) back.getOrDefault(back.batchSize())).isEqualTo(77);
        assertThat(back.getOrDefault(back.latentCol())).isEqualTo("z");
        List<Double> before = fitted.transform(data).select("nll").as(org.apache.spark.sql.Encoders.DOUBLE()).collectAsList();
        List<Double> after = loaded.transform(data).select("nll").as(org.apache.spark.sql.Encoders.DOUBLE()).collectAsList();
        assertThat(after).hasSize(683).isEqualTo(before);
        // The stored model is an ordinary model file, readable by every other tool of the project.
        VaeModel stored = ModelFile.read(savedModelFile(dir.resolve("pipeline")));
        assertThat(stored.featureNames()).isEqualTo(model.featureNames());
        assertThat(stored.threshold()).isEqualTo(model.threshold());
    }

    @Test
    void givenTransformerSavedAlone_whenLoaded_thenScoresAreTheSame(@TempDir Path dir) throws Exception {
        VaeTransformer t = VaeTransformer.of(model);
        t.write().save(dir.resolve("t").toString());

        VaeTransformer back = VaeTransformer.load(dir.resolve("t").toString());

        assertThat(scores(back.transform(data))).isEqualTo(scores(t.transform(data)));
    }

    @ParameterizedTest(name = "file system checksum kept: {0}")
    @ValueSource(booleans = {true, false})
    void givenCorruptedModelFileInSavedPipeline_whenLoaded_thenClearErrorNamesTheFile(boolean keepCrc, @TempDir Path dir)
            throws Exception {
        String path = dir.resolve("pipeline").toString();
        new Pipeline().setStages(new PipelineStage[] {VaeTransformer.of(model)}).fit(data).write().save(path);
        Path file = savedModelFile(dir.resolve("pipeline"));
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 10] ^= 0x5A;
        Files.write(file, bytes);
        if (!keepCrc) { // without Hadoop's .crc file, the model file's own SHA-256 must catch the damage
            Files.delete(file.resolveSibling("." + VaeTransformer.MODEL_FILE + ".crc"));
        }

        assertThatThrownBy(() -> PipelineModel.load(path))
                .hasMessageContaining("corrupted model file")
                .hasMessageContaining("checksum mismatch")
                .hasMessageContaining(VaeTransformer.MODEL_FILE);
    }

    @Test
    void givenTruncatedOrForeignModelFile_whenReadByFromFile_thenModelFormatException(@TempDir Path dir) throws Exception {
        byte[] good = ModelFile.toBytes(model);
        Path truncated = dir.resolve("truncated.vae");
        Files.write(truncated, java.util.Arrays.copyOf(good, good.length / 2));
        Path foreign = dir.resolve("foreign.vae");
        Files.writeString(foreign, "id,score\n1,2\n");

        assertThatThrownBy(() -> VaeTransformer.fromFile(truncated))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> VaeTransformer.fromFile(foreign))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("not a VAE model file");
    }
}
