package dev.vae.anomaly.golden;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.anomaly.score.Scorer;
import dev.vae.core.VaeModel;
import dev.vae.core.io.ModelFile;
import dev.vae.core.data.Table;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every released model-file format version keeps its meaning: each golden file ({@link GoldenModelFiles}) is read
 * by this build and scores the recorded rows as the build that wrote it did.
 *
 * <p>Tolerance: 1e-5 relative. The kernels may reorder a float sum between builds (the last bits of a score), but
 * any change of meaning (a likelihood constant, a link function, a changed scaler) moves scores by far more.
 */
class GoldenModelFilesTest {

    private static final double TOLERANCE = 1e-5;

    static Stream<Arguments> files() {
        return Stream.of("v1").flatMap(v -> GoldenModelFiles.CASES.stream().map(c -> Arguments.of(v, c)));
    }

    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("files")
    void givenAGoldenFile_whenReadAndScored_thenItGivesTheRecordedScoresAndItsThresholdNamesItsScore(
            String version, GoldenModelFiles.Case c) throws Exception {
        String base = "/golden/" + version + "/" + c.name();
        VaeModel model;
        try (InputStream in = getClass().getResourceAsStream(base + ".vae")) {
            assertThat(in).as(base).isNotNull();
            model = ModelFile.read(in, base);
        }
        double[] recorded = recorded(base + ".scores.csv");
        Table rows = GoldenModelFiles.rows();
        double[] scores = new Scorer(model).score(rows.values(), rows.rows());
        assertThat(scores).hasSameSizeAs(recorded);
        for (int i = 0; i < scores.length; i++) {
            assertThat(Math.abs(scores[i] - recorded[i]) / Math.max(1.0, Math.abs(recorded[i])))
                    .as("%s row %d: %s against recorded %s", base, i, scores[i], recorded[i]).isLessThan(TOLERANCE);
        }
        assertThat(model.architecture().likelihood().id()).isEqualTo(c.likelihood());
        assertThat(model.scoreSettings()).isEqualTo(c.score());
        // Version 1 did not record the threshold's score: it was fitted on the model's own score settings.
        assertThat(model.threshold()).isNotNull();
        assertThat(model.threshold().score()).isEqualTo(c.score());

        // Written by this build and read back: the same scores, bit for bit, and the same threshold.
        VaeModel again = ModelFile.fromBytes(ModelFile.toBytes(model), "rewritten " + base);
        assertThat(new Scorer(again).score(rows.values(), rows.rows())).isEqualTo(scores);
        assertThat(again.threshold()).isEqualTo(model.threshold());
    }

    private double[] recorded(String resource) throws IOException {
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().skip(1).toList();
            return lines.stream().mapToDouble(l -> Double.parseDouble(l.split(",")[1])).toArray();
        }
    }
}
