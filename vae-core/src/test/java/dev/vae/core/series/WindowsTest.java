package dev.vae.core.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.core.nn.Architecture;
import dev.vae.core.VaeModel;
import dev.vae.core.data.Table;
import dev.vae.core.nn.NativeNetwork;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowsTest {

    /** Two columns, five points: a = 1..5, b = 10..50, label on point 3. */
    private static TimeSeries series() {
        float[] v = {1, 10, 2, 20, 3, 30, 4, 40, 5, 50};
        return new TimeSeries(List.of("a", "b"), new double[] {0, 1, 2, 3, 4}, v, new boolean[10],
                new int[] {0, 1, 2, 3, 4}, new int[] {0, 0, 0, 1, 0}, "test", 0);
    }

    private static SeriesLayout layout(int window, PointRule rule) {
        return new SeriesLayout("t", List.of("a", "b"), window, 1, rule);
    }

    @Test
    void givenAWindowOfThree_whenCut_thenEachRowHoldsThreePointsOldestFirstWithItsColumnsTogether() {
        Table t = Windows.table(series(), layout(3, PointRule.END), 1);
        assertThat(t.rows()).isEqualTo(3);
        assertThat(t.columns()).containsExactly("a[t-2]", "b[t-2]", "a[t-1]", "b[t-1]", "a[t]", "b[t]");
        assertThat(t.values()).containsExactly(1, 10, 2, 20, 3, 30, 2, 20, 3, 30, 4, 40, 3, 30, 4, 40, 5, 50);
        assertThat(t.labels()).containsExactly(0, 1, 0);
    }

    @Test
    void givenAStride_whenCut_thenWindowsStartEveryStridePointsAndNoWindowRunsPastTheEnd() {
        Table t = Windows.table(series(), layout(2, PointRule.END), 2);
        assertThat(t.rows()).isEqualTo(2);
        assertThat(t.values()).containsExactly(1, 10, 2, 20, 3, 30, 4, 40);
        assertThat(Windows.count(5, 2, 2)).isEqualTo(2);
        assertThat(Windows.count(5, 5, 1)).isEqualTo(1);
        assertThat(Windows.count(4, 5, 1)).isZero();
    }

    @Test
    void givenTheEndRule_whenPointsAreScored_thenEachPointTakesTheWindowItEndsAndTheFirstPointsTheFirstWindow() {
        double[] windowScores = {10, 20, 30};
        assertThat(Windows.pointScores(series(), layout(3, PointRule.END), windowScores)).containsExactly(10, 10, 10, 20, 30);
        assertThat(PointRule.END.delay(3)).isZero();
    }

    @Test
    void givenTheCenterRule_whenPointsAreScored_thenEachPointTakesTheWindowItIsTheMiddleOf() {
        // Window of 3: point t is the middle of the window ending at t + 1; points 0 and 1 -> first window,
        // points 3 and 4 -> last window (ending at 4).
        double[] windowScores = {10, 20, 30};
        assertThat(Windows.pointScores(series(), layout(3, PointRule.CENTER), windowScores)).containsExactly(10, 10, 20, 30, 30);
        assertThat(PointRule.CENTER.delay(3)).isEqualTo(1);
        assertThat(PointRule.CENTER.delay(4)).isEqualTo(1);
    }

    @Test
    void givenFilledPoints_whenPointsAreScored_thenOnlyInputRowsGetAScoreInInputOrder() {
        TimeSeries s = new TimeSeries(List.of("a", "b"), new double[] {0, 1, 2, 3, 4}, new float[10], new boolean[10],
                new int[] {0, -1, 1, 2, 3}, null, "gappy", 0);
        double[] p = Windows.pointScores(s, layout(2, PointRule.END), new double[] {1, 2, 3, 4});
        assertThat(p).containsExactly(1, 2, 3, 4);
    }

    @Test
    void givenASeriesShorterThanTheWindowOrOtherColumns_whenCut_thenTheMessageSaysWhy() {
        assertThatThrownBy(() -> Windows.table(series(), layout(6, PointRule.END), 1)).hasMessageContaining("5 points")
                .hasMessageContaining("window of 6");
        SeriesLayout other = new SeriesLayout("t", List.of("a", "c"), 2, 1, PointRule.END);
        assertThatThrownBy(() -> Windows.table(series(), other, 1)).hasMessageContaining("[a, c]");
        assertThatThrownBy(() -> Windows.pointScores(series(), layout(3, PointRule.END), new double[2]))
                .hasMessageContaining("Expected 3 window scores");
    }

    @Test
    void givenALayout_whenAttachedToAModelAndReadBack_thenItIsTheSameAndAMismatchIsRefused() {
        SeriesLayout layout = new SeriesLayout("timestamp", List.of("cpu", "mem"), 3, 300, PointRule.CENTER);
        Architecture a = Architecture.defaults(6);
        VaeModel plain = VaeModel.builder(NativeNetwork.initialize(a, 1)).featureNames(layout.featureNames()).build();
        VaeModel windowed = layout.attachTo(plain);
        assertThat(SeriesLayout.of(windowed)).contains(layout);
        assertThat(SeriesLayout.of(plain)).isEmpty();
        VaeModel damaged = windowed.toBuilder().property("series.window", "2").build();
        assertThatThrownBy(() -> SeriesLayout.of(damaged)).hasMessageContaining("damaged");
        assertThatThrownBy(() -> new SeriesLayout("t", List.of("x"), 4, 1, PointRule.END).attachTo(plain))
                .hasMessageContaining("does not fit a model of 6 inputs");
        assertThatThrownBy(() -> new SeriesLayout("t", List.of("x"), 1, 1, PointRule.END)).hasMessageContaining("at least 2");
        assertThatThrownBy(() -> PointRule.parse("middle")).hasMessageContaining("end or center");
    }
}
