package dev.vae.anomaly.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.anomaly.score.Scorer;
import dev.vae.anomaly.series.StreamingDetector.ScoredPoint;
import dev.vae.anomaly.threshold.StreamingThreshold;
import dev.vae.anomaly.threshold.ThresholdSpec;
import dev.vae.core.ScoreSettings;
import dev.vae.core.Threshold;
import dev.vae.core.VaeModel;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.series.PointRule;
import dev.vae.core.series.SeriesLayout;
import dev.vae.core.series.TimeSeries;
import dev.vae.core.series.Timestamps;
import dev.vae.core.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamingDetectorTest {

    @TempDir
    Path dir;

    /** The raw rows of a CSV: times and one value per row (NaN for an empty cell). */
    private record Raw(double[] times, float[] values) {
    }

    private static Raw raw(Path csv, String valueColumn) throws Exception {
        CsvOptions o = new CsvOptions(null, Set.of(), List.of(valueColumn)).withTextColumn("timestamp").allowingMissing();
        List<Double> t = new ArrayList<>();
        List<Float> v = new ArrayList<>();
        try (CsvReader r = CsvReader.open(csv, o)) {
            float[] row = new float[1];
            String[] time = new String[1];
            while (r.read(row, null, time, 1) == 1) {
                t.add(Timestamps.parse(time[0]));
                v.add(row[0]);
            }
        }
        double[] times = t.stream().mapToDouble(Double::doubleValue).toArray();
        float[] values = new float[v.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = v.get(i);
        }
        return new Raw(times, values);
    }

    private static double[] stream(StreamingDetector d, Raw raw) {
        double[] out = new double[raw.times().length];
        java.util.Arrays.fill(out, Double.NaN);
        long expected = 0;
        for (int i = 0; i < raw.times().length; i++) {
            for (ScoredPoint p : d.accept(raw.times()[i], new float[] {raw.values()[i]})) {
                assertThat(p.row()).isEqualTo(expected++);
                out[(int) p.row()] = p.score();
            }
        }
        for (ScoredPoint p : d.finish()) {
            assertThat(p.row()).isEqualTo(expected++);
            out[(int) p.row()] = p.score();
        }
        assertThat(expected).isEqualTo(raw.times().length);
        return out;
    }

    private static StreamingDetector calibrating(VaeModel model, int points) {
        return StreamingDetector.calibrating(new Scorer(model), ThresholdSpec.parse("spot:0.01"), points, null);
    }

    @Test
    void givenNabSeriesWithGapsRepeatedTimesAndLongOutages_whenStreamedPointByPoint_thenEveryScoreEqualsTheFilesBitForBit()
            throws Exception {
        // 1ef3de repeats a timestamp eleven times at a daylight-saving change and has a gap of 12 steps;
        // rogue_agent_key_hold has 91 gaps of up to 547 steps (longer than any window: bounded filling).
        for (String name : List.of("realAWSCloudwatch__ec2_disk_write_bytes_1ef3de", "realKnownCause__rogue_agent_key_hold")) {
            Path csv = SharedData.require("data/nab/" + name + ".csv");
            for (PointRule rule : PointRule.values()) {
                SeriesLayout layout = new SeriesLayout("timestamp", List.of("value"), 24, 300, rule);
                VaeModel model = SeriesScoringTest.windowed(layout, 5);
                SeriesScoring batch = new SeriesScoring(new Scorer(model));
                TimeSeries series = batch.read(csv, null);
                double[] expected = batch.score(series);
                StreamingDetector d = calibrating(model, 100);
                double[] streamed = stream(d, raw(csv, "value"));
                assertThat(streamed).as(name + " " + rule).containsExactly(expected);
                assertThat(d.unorderedPoints()).isEqualTo(series.unorderedRows());
            }
        }
    }

    @Test
    void givenMissingValuesAtTheStartAndInside_whenStreamed_thenTheyAreFilledAsAFileIsFilled() throws Exception {
        StringBuilder b = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < 60; i++) {
            String v = i < 3 || i % 7 == 0 ? "" : Double.toString(Math.sin(i / 3.0));
            b.append(i * 60).append(',').append(v).append('\n');
        }
        Path csv = dir.resolve("gappy.csv");
        Files.writeString(csv, b);
        SeriesLayout layout = new SeriesLayout("timestamp", List.of("value"), 8, 60, PointRule.CENTER);
        VaeModel model = SeriesScoringTest.windowed(layout, 2);
        SeriesScoring batch = new SeriesScoring(new Scorer(model));
        double[] expected = batch.score(batch.read(csv, null));
        assertThat(stream(calibrating(model, 10), raw(csv, "value"))).containsExactly(expected);
    }

    @Test
    void givenTheRules_whenPointsArrive_thenEndReportsAtOnceAndCenterHalfAWindowLaterWithinBoundedMemory() {
        for (PointRule rule : PointRule.values()) {
            SeriesLayout layout = new SeriesLayout("t", List.of("value"), 9, 1, rule);
            StreamingDetector d = calibrating(SeriesScoringTest.windowed(layout, 1), 50);
            int maxWaiting = 0;
            for (int i = 0; i < 5000; i++) {
                List<ScoredPoint> out = d.accept(i, new float[] {(float) Math.sin(i / 4.0)});
                maxWaiting = Math.max(maxWaiting, d.waiting());
                if (i == 8) {
                    // The first whole window releases points 0..8 (end) or 0..4 (center: 4 = 8 - delay).
                    assertThat(out).hasSize(rule == PointRule.END ? 9 : 5);
                } else if (i > 8) {
                    assertThat(out).hasSize(1);
                    assertThat(out.get(0).row()).isEqualTo(i - rule.delay(9));
                }
            }
            assertThat(maxWaiting).isLessThanOrEqualTo(9 + rule.delay(9));
            assertThat(d.finish()).hasSize(rule.delay(9));
        }
    }

    @Test
    void givenCalibration_whenItEnds_thenTheModelsThresholdJudgesUntilThenAndSpotAfterwardsAndTheStateResumes()
            throws Exception {
        SeriesLayout layout = new SeriesLayout("t", List.of("value"), 6, 1, PointRule.END);
        VaeModel model = SeriesScoringTest.windowed(layout, 4);
        Threshold fitted = new Threshold(1e9, "fixed:1e9", "test", ScoreSettings.defaults());
        StreamingDetector d = StreamingDetector.calibrating(new Scorer(model), ThresholdSpec.parse("dspot:0.01:5"), 200,
                fitted);
        List<ScoredPoint> all = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            all.addAll(d.accept(i, new float[] {(float) (Math.sin(i / 5.0) + (i % 97 == 0 ? 4 : 0))}));
        }
        for (int i = 0; i < 200; i++) {
            assertThat(all.get(i).threshold()).isEqualTo(1e9);
        }
        assertThat(d.threshold()).isNotNull();
        assertThat(all.get(400).threshold()).isNotEqualTo(1e9).isFinite();
        Path state = dir.resolve("m.vae.stream-state");
        d.threshold().save(state);
        StreamingThreshold resumed = StreamingThreshold.load(state);
        assertThat(resumed.threshold()).isEqualTo(d.threshold().threshold());
        assertThat(resumed.observations()).isEqualTo(d.threshold().observations());
        StreamingDetector again = new StreamingDetector(new Scorer(model), resumed);
        assertThat(again.threshold()).isSameAs(resumed);
    }

    @Test
    void givenBadPointsOrAStrategyThatCannotFollowAStream_whenGiven_thenTheMessageSaysWhy() {
        SeriesLayout layout = new SeriesLayout("t", List.of("cpu", "mem"), 4, 1, PointRule.END);
        VaeModel model = SeriesScoringTest.windowed(layout, 4);
        StreamingDetector d = StreamingDetector.calibrating(new Scorer(model), ThresholdSpec.parse("spot:0.01"), 10, null);
        assertThatThrownBy(() -> d.accept(0, new float[] {1})).hasMessageContaining("expected 2 values [cpu, mem]");
        assertThatThrownBy(() -> d.accept(Double.NaN, new float[] {1, 2})).hasMessageContaining("not finite");
        assertThatThrownBy(() -> d.accept(0, new float[] {1, Float.POSITIVE_INFINITY})).hasMessageContaining("'mem' is infinite");
        for (int i = 0; i < 4; i++) {
            d.accept(i, new float[] {Float.NaN, 1});
        }
        assertThatThrownBy(() -> d.accept(4, new float[] {Float.NaN, 1})).hasMessageContaining("cpu");
        assertThatThrownBy(() -> StreamingDetector.calibrating(new Scorer(model), ThresholdSpec.split(), 10, null))
                .hasMessageContaining("spot:Q or dspot:Q");
        assertThatThrownBy(() -> StreamingDetector.calibrating(new Scorer(model), ThresholdSpec.parse("spot:0.01"), 1, null))
                .hasMessageContaining("at least 2");
    }
}
