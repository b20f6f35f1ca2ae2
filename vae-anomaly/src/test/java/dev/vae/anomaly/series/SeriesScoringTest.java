package dev.vae.anomaly.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.anomaly.score.ScoreBreakdown;
import dev.vae.anomaly.score.Scorer;
import dev.vae.core.nn.Architecture;
import dev.vae.core.VaeModel;
import dev.vae.core.data.Table;
import dev.vae.core.nn.NativeNetwork;
import dev.vae.core.series.PointRule;
import dev.vae.core.series.SeriesLayout;
import dev.vae.core.series.TimeSeries;
import dev.vae.core.series.Windows;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SeriesScoringTest {

    static VaeModel windowed(SeriesLayout layout, long seed) {
        Architecture a = Architecture.defaults(layout.width());
        VaeModel m = VaeModel.builder(NativeNetwork.initialize(a, seed)).featureNames(layout.featureNames()).build();
        return layout.attachTo(m);
    }

    static TimeSeries noisySine(int points, int columns, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] t = new double[points];
        float[] v = new float[points * columns];
        int[] rows = new int[points];
        for (int i = 0; i < points; i++) {
            t[i] = 60.0 * i;
            rows[i] = i;
            for (int j = 0; j < columns; j++) {
                v[i * columns + j] = (float) (Math.sin(i * 2 * Math.PI / 24 + j) + 0.1 * r.nextGaussian());
            }
        }
        List<String> names = columns == 1 ? List.of("value") : List.of("cpu", "mem");
        return new TimeSeries(names, t, v, new boolean[v.length], rows, null, "sine", 0);
    }

    @Test
    void givenASeriesLongerThanOneChunkOfWindows_whenScored_thenEveryPointHasItsWindowsScoreBitForBit() {
        // 128 features a window: a chunk holds 32,768 windows, so 34,000 points take two chunks.
        SeriesLayout layout = new SeriesLayout("t", List.of("value"), 128, 60, PointRule.END);
        VaeModel model = windowed(layout, 3);
        TimeSeries series = noisySine(34_000, 1, 5);
        double[] points = new SeriesScoring(new Scorer(model)).score(series);
        Table windows = Windows.table(series, layout, 1);
        double[] direct = new Scorer(model).score(windows.values(), windows.rows());
        assertThat(points).hasSize(34_000);
        for (int t = 0; t < 34_000; t++) {
            assertThat(points[t]).isEqualTo(direct[Math.max(0, t - 127)]);
        }
    }

    @Test
    void givenTheCenterRule_whenExplained_thenScoresMatchAndEachColumnsPartsSumTheWindowsReconstructionTerm() {
        SeriesLayout layout = new SeriesLayout("t", List.of("cpu", "mem"), 8, 60, PointRule.CENTER);
        VaeModel model = windowed(layout, 11);
        TimeSeries series = noisySine(50, 2, 7);
        SeriesScoring scoring = new SeriesScoring(new Scorer(model));
        SeriesScores explained = scoring.explain(series);
        assertThat(explained.scores()).containsExactly(scoring.score(series));
        Table windows = Windows.table(series, layout, 1);
        ScoreBreakdown b = new Scorer(model).explain(windows.values(), windows.rows());
        for (int t = 0; t < 50; t++) {
            int w = PointRule.CENTER.windowEnd(t, 50, 8) - 7;
            assertThat(explained.scores()[t]).isEqualTo(b.scores()[w]);
            assertThat(explained.contribution(t, 0) + explained.contribution(t, 1))
                    .isCloseTo(b.reconstruction()[w], org.assertj.core.data.Offset.offset(1e-9 * Math.abs(b.reconstruction()[w]) + 1e-9));
            double cpu = 0;
            for (int k = 0; k < 8; k++) {
                cpu += b.contribution(w, 2 * k);
            }
            assertThat(explained.contribution(t, 0)).isCloseTo(cpu, org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void givenAModelOfIndependentRowsOrASeriesOfOtherColumnsOrTooShort_whenScored_thenTheMessageSaysWhy() {
        Architecture a = Architecture.defaults(4);
        VaeModel rows = VaeModel.builder(NativeNetwork.initialize(a, 1)).build();
        assertThatThrownBy(() -> new SeriesScoring(new Scorer(rows))).hasMessageContaining("--time-column");
        SeriesLayout layout = new SeriesLayout("t", List.of("value"), 30, 60, PointRule.END);
        SeriesScoring scoring = new SeriesScoring(new Scorer(windowed(layout, 1)));
        assertThatThrownBy(() -> scoring.score(noisySine(20, 1, 1))).hasMessageContaining("20 points")
                .hasMessageContaining("window of 30");
        assertThatThrownBy(() -> scoring.score(noisySine(40, 2, 1))).hasMessageContaining("[cpu, mem]");
    }
}
