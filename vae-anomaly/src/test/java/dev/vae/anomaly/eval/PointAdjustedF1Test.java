package dev.vae.anomaly.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vae.anomaly.threshold.Quantiles;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PointAdjustedF1Test {

    @Test
    void givenOneFlagInARange_whenAdjusted_thenTheWholeRangeCounts() {
        // Ranges [2, 4] and [7, 8]; above 0.5: points 3 (in the first range), 5 and 9 (normal).
        double[] scores = {0.1, 0.2, 0.3, 0.9, 0.1, 0.6, 0.2, 0.1, 0.3, 0.7};
        int[] labels = {0, 0, 1, 1, 1, 0, 0, 1, 1, 0};
        // Adjusted: tp 3 (the whole first range), fp 2, tn 3 (points 0, 1, 6), fn 2 (the second range):
        // precision 3/5, recall 3/5, F1 0.6. Point-wise: tp 1, fp 2, fn 4: F1 2/8.
        ConfusionCounts adjusted = PointAdjustedF1.counts(scores, labels, 0.5);
        assertThat(adjusted).isEqualTo(new ConfusionCounts(3, 2, 3, 2));
        assertThat(adjusted.precision()).isCloseTo(0.6, within(1e-15));
        assertThat(adjusted.recall()).isCloseTo(0.6, within(1e-15));
        assertThat(PointAdjustedF1.f1(scores, labels, 0.5)).isCloseTo(0.6, within(1e-15));
        assertThat(ConfusionCounts.at(scores, labels, 0.5).f1()).isCloseTo(0.25, within(1e-15));
        // Strictly above: at 0.9 point 3 is not flagged, nothing is found.
        assertThat(PointAdjustedF1.counts(scores, labels, 0.9)).isEqualTo(new ConfusionCounts(0, 0, 5, 5));
    }

    @Test
    void givenRandomScoreOnANabSeries_whenPointAdjusted_thenHighF1WhilePointF1IsLow() throws IOException {
        // Kim et al. (AAAI 2022): a random score flagging 1% of the points hits each of the four 567-point ranges
        // with probability 1 - 0.99^567 > 0.99, so adjustment credits nearly all anomalies.
        NabSeries series = NabSeries.read("realKnownCause__machine_temperature_system_failure");
        int[] labels = series.labels();
        Random random = new Random(2022);
        double[] scores = new double[labels.length];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = random.nextDouble();
        }
        double threshold = Quantiles.quantile(scores, 0.99);
        double adjusted = PointAdjustedF1.f1(scores, labels, threshold);
        double pointWise = ConfusionCounts.at(scores, labels, threshold).f1();
        assertThat(adjusted).isGreaterThan(0.8);
        assertThat(pointWise).isLessThan(0.05);
        // The honest metrics see a random score.
        assertThat(RankingMetrics.auroc(scores, labels)).isCloseTo(0.5, within(0.05));
        assertThat(VolumeUnderSurface.of(scores, labels, 125).vusPr()).isLessThan(0.2);
    }

    @Test
    void givenBadInput_whenAdjusted_thenIllegalArgumentNamingIt() {
        assertThatThrownBy(() -> PointAdjustedF1.counts(new double[2], new int[3], 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 vs 3");
        assertThatThrownBy(() -> PointAdjustedF1.counts(new double[] {Double.NaN}, new int[1], 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Score 0 is NaN");
    }
}
