package dev.vae.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Otsu's split on log-values: modes found, separation measured, edge cases defined. */
class TwoClassSplitTest {

    @Test
    void givenTwoModes_whenSplit_thenTheHighModeIsAboveTheCutAndTheSeparationIsHigh() {
        SplittableRandom r = new SplittableRandom(1);
        double[] v = new double[120];
        for (int i = 0; i < v.length; i++) {
            // 100 values near 10, 20 near 60: the high mode is every sixth value.
            v[i] = i % 6 == 5 ? 60 + r.nextDouble() : 10 + r.nextDouble();
        }
        TwoClassSplit s = TwoClassSplit.of(v);
        assertThat(s.above()).isEqualTo(20);
        assertThat(s.separation()).isGreaterThan(0.95).isLessThanOrEqualTo(1.0);
        assertThat(s.cut()).isBetween(11.0, 60.0);
        for (int i = 0; i < v.length; i++) {
            assertThat(v[i] > s.cut()).as("value %d", i).isEqualTo(i % 6 == 5);
        }
        // The cut is midway between the largest value below and the smallest above.
        double below = Double.NEGATIVE_INFINITY;
        double above = Double.POSITIVE_INFINITY;
        for (double x : v) {
            if (x > s.cut()) {
                above = Math.min(above, x);
            } else {
                below = Math.max(below, x);
            }
        }
        assertThat(s.cut()).isCloseTo(0.5 * (below + above), within(1e-12));
    }

    @Test
    void givenOneNormalMode_whenSplit_thenTheSeparationIsAboutTwoOverPi() {
        // Values whose log1p(v - min) is close to normal: exp of a normal with a small spread, far from the minimum.
        SplittableRandom r = new SplittableRandom(2);
        double[] v = new double[20_000];
        double[] logs = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            logs[i] = 5 + 0.05 * gaussian(r);
        }
        double min = Double.POSITIVE_INFINITY;
        for (double l : logs) {
            min = Math.min(min, l);
        }
        for (int i = 0; i < v.length; i++) {
            // log1p(v - min v) = logs[i] - min logs + 1 (a normal shifted away from 0): v = min + expm1(...).
            v[i] = Math.expm1(logs[i] - min + 1);
        }
        TwoClassSplit s = TwoClassSplit.of(v);
        assertThat(s.separation()).isCloseTo(2 / Math.PI, within(0.01));
        assertThat((double) s.above() / v.length).isCloseTo(0.5, within(0.05));
    }

    @Test
    void givenNonFiniteEqualOrTooFewValues_whenSplit_thenTheRulesHold() {
        double[] v = {1, 1, 1, 50, 50, Double.NaN, Double.POSITIVE_INFINITY};
        TwoClassSplit s = TwoClassSplit.of(v);
        assertThat(s.above()).isEqualTo(4);
        assertThat(s.cut()).isEqualTo(25.5);
        // Negative values (densities above 1) split the same way: only differences matter.
        TwoClassSplit shifted = TwoClassSplit.of(new double[] {-499, -499, -499, -450, -450});
        assertThat(shifted.above()).isEqualTo(2);
        assertThat(shifted.cut()).isEqualTo(-474.5);
        assertThat(TwoClassSplit.of(new double[] {3, 3, 3, 3})).isEqualTo(new TwoClassSplit(0, 0, Double.POSITIVE_INFINITY));
        assertThat(TwoClassSplit.of(new double[] {3}).above()).isZero();
        assertThat(TwoClassSplit.of(new double[] {Double.NaN, 1}).above()).isEqualTo(1);
        assertThat(TwoClassSplit.of(new double[0]).above()).isZero();
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
