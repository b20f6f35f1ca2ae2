package dev.vae.onnx.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.anomaly.Detector;
import dev.vae.anomaly.score.Scorer;
import dev.vae.anomaly.series.SeriesScoring;
import dev.vae.core.VaeModel;
import dev.vae.core.data.Table;
import dev.vae.core.series.PointRule;
import dev.vae.core.series.SeriesLayout;
import dev.vae.core.series.TimeSeries;
import dev.vae.core.series.Windows;
import dev.vae.core.testing.SharedData;
import dev.vae.onnx.OnnxMetadata;
import dev.vae.onnx.OrtTestSupport;
import dev.vae.onnx.export.OnnxExporter;
import dev.vae.train.TrainingConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A windowed time-series model through ONNX: the window layout travels in the metadata and comes back on import. */
class OnnxSeriesRoundTripTest {

    @Test
    void givenAWindowedModel_whenExportedAndImported_thenTheScorerTakesWindowsAndTheImportScoresTheSeriesPointByPoint(
            @TempDir Path dir) throws Exception {
        Path csv = SharedData.require("data/nab/realAWSCloudwatch__ec2_cpu_utilization_5f5533.csv");
        TimeSeries raw = TimeSeries.read(csv, "timestamp", List.of("value"), "label", Set.of(), Double.NaN, 1);
        SeriesLayout layout = SeriesLayout.choose(raw, "timestamp", 0, PointRule.CENTER);
        TimeSeries series = raw.regrid(layout.interval(), layout.keepPerGap());
        VaeModel model = Detector.builder().windows(layout)
                .training(TrainingConfig.defaults().withSeed(3).withEpochs(5)).fit(series, 1).model();

        List<Path> files = OnnxExporter.write(model, dir);
        byte[] scorerBytes = java.nio.file.Files.readAllBytes(files.get(2));
        Map<String, String> meta = OrtTestSupport.metadata(scorerBytes);
        assertThat(meta).containsEntry("vae.series.window", Integer.toString(layout.window()))
                .containsEntry("vae.series.point-rule", "center").containsEntry("vae.series.time-column", "timestamp");
        assertThat(meta.get("vae.series.definition")).contains("window of " + layout.window() + " points");
        assertThat(OnnxMetadata.parse(meta).series()).isEqualTo(layout);

        // scorer.onnx takes a batch of windows: its scores are the windows' scores.
        Table windows = Windows.table(series, layout, 1);
        double[] expected = new Scorer(model).score(windows.values(), windows.rows());
        Map<String, Object> out = OrtTestSupport.run(scorerBytes, "x", windows.values(), windows.rows(), windows.width());
        float[] onnxScores = (float[]) out.get("score");
        for (int w = 0; w < expected.length; w++) {
            assertThat(OrtTestSupport.relativeError(onnxScores[w], expected[w])).isLessThan(1e-4);
        }

        double[] points = new SeriesScoring(new Scorer(model)).score(series);
        for (OnnxImportOptions.Backend backend : OnnxImportOptions.Backend.values()) {
            VaeModel imported = OnnxImporter.importModel(files.get(0), files.get(1),
                    OnnxImportOptions.defaults().withBackend(backend));
            assertThat(SeriesLayout.of(imported)).contains(layout);
            double[] again = new SeriesScoring(new Scorer(imported)).score(series);
            assertThat(again).hasSameSizeAs(points);
            for (int t = 0; t < points.length; t++) {
                assertThat(OrtTestSupport.relativeError(again[t], points[t])).as("%s point %d", backend, t).isLessThan(1e-4);
            }
        }
    }
}
