package dev.vae.onnx.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.anomaly.score.Scorer;
import dev.vae.core.ScoreSettings;
import dev.vae.core.VaeModel;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import dev.vae.core.testing.SharedData;
import dev.vae.onnx.OrtTestSupport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every released ONNX metadata version keeps its meaning: graphs exported by an older build (resources
 * {@code golden/onnx-v<N>/}, see the README there) import into this build, on both backends, and score the
 * recorded breastw rows as the model that was exported did.
 */
class GoldenOnnxTest {

    @ParameterizedTest
    @ValueSource(strings = {"gaussian-shared-vae", "gaussian-vae", "bernoulli-vae"})
    void givenGraphsOfMetadataVersion1_whenImported_thenTheyScoreTheRecordedRowsAndTheThresholdIsOnTheirScore(
            String name) throws Exception {
        Path dir = Path.of(getClass().getResource("/golden/onnx-v1/" + name + "/encoder.onnx").toURI()).getParent();
        double[] recorded = Files.readAllLines(dir.resolveSibling(name + ".scores.csv"), StandardCharsets.UTF_8).stream()
                .skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[1])).toArray();
        Table all = CsvReader.read(SharedData.require("data/breastw/breastw.csv"), CsvOptions.withLabel("label", Set.of()));
        Table rows = all.select(IntStream.range(0, recorded.length).toArray());
        for (OnnxImportOptions.Backend backend : OnnxImportOptions.Backend.values()) {
            VaeModel model = OnnxImporter.importModel(dir.resolve("encoder.onnx"), dir.resolve("decoder.onnx"),
                    OnnxImportOptions.defaults().withBackend(backend));
            assertThat(model.threshold()).as("%s threshold", backend).isNotNull();
            // Version 1 metadata did not name the threshold's score: it is the one scorer.onnx computes.
            assertThat(model.threshold().score()).isEqualTo(ScoreSettings.defaults());
            double[] scores = new Scorer(model, ScoreSettings.defaults()).score(rows.values(), rows.rows());
            for (int i = 0; i < scores.length; i++) {
                assertThat(OrtTestSupport.relativeError(scores[i], recorded[i]))
                        .as("%s %s row %d: %s against recorded %s", name, backend, i, scores[i], recorded[i])
                        .isLessThan(1e-4);
            }
        }
    }

    /**
     * The version-1 {@code gaussian-shared} decoder holds its log-variances as a head whose weights are all 0; one
     * made non-zero means values that are not the same for every row, which the native import refuses, naming it.
     */
    @org.junit.jupiter.api.Test
    void givenAnOldSharedDecoderWithANonZeroLogVarianceWeight_whenImportedNatively_thenItIsRefused() throws Exception {
        Path dir = Path.of(getClass().getResource("/golden/onnx-v1/gaussian-shared-vae/encoder.onnx").toURI()).getParent();
        ai.onnx.proto.OnnxMl.ModelProto decoder = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(
                Files.readAllBytes(dir.resolve("decoder.onnx")));
        ai.onnx.proto.OnnxMl.GraphProto.Builder graph = decoder.getGraph().toBuilder();
        int found = 0;
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            ai.onnx.proto.OnnxMl.TensorProto t = graph.getInitializer(i);
            if (t.getName().startsWith("dec_logvar_weight")) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(t.getRawData().toByteArray())
                        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
                for (int j = 0; j < b.capacity() / 4; j++) {
                    org.assertj.core.api.Assertions.assertThat(b.getFloat(4 * j)).isZero();
                }
                b.putFloat(4, 0.5f);
                graph.setInitializer(i, t.toBuilder().setRawData(com.google.protobuf.ByteString.copyFrom(b.array())));
                found++;
            }
        }
        assertThat(found).isOne();
        byte[] changed = decoder.toBuilder().setGraph(graph).build().toByteArray();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OnnxImporter.importModel(
                        Files.readAllBytes(dir.resolve("encoder.onnx")), "encoder.onnx", changed, "decoder.onnx",
                        OnnxImportOptions.defaults().withBackend(OnnxImportOptions.Backend.NATIVE)))
                .isInstanceOf(dev.vae.core.io.ModelFormatException.class).hasMessageContaining("decoder.onnx")
                .hasMessageContaining("must be 0").hasMessageContaining("0.5");
    }
}
