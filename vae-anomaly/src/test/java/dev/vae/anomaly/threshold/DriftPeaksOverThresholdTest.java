package dev.vae.anomaly.threshold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.core.ScoreSettings;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DriftPeaksOverThresholdTest {

    /** n values {@code slope * (start + i) + Exp(1)}: a linear drift under i.i.d. exponential noise. */
    private static double[] drifting(int n, int start, double slope, SplittableRandom r) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = slope * (start + i) - Math.log(1 - r.nextDouble());
        }
        return v;
    }

    /** The mean of the deque, summed oldest first. */
    private static double mean(Deque<Double> window) {
        double sum = 0;
        for (double v : window) {
            sum += v;
        }
        return sum / window.size();
    }

    /**
     * DSPOT written again from the paper: residuals against the mean of the d values before each calibration value,
     * SPOT calibrated on them, then per value the threshold M + z_q, anomalies leaving window and tail alone.
     */
    @Test
    void givenADriftingStreamWithOutliers_whenDspotUpdates_thenEveryVerdictEqualsThePaperAlgorithmWrittenAgain() {
        int depth = 7;
        SpotSettings settings = new SpotSettings(2e-3, 0.98, 80, 0.1);
        SplittableRandom r = new SplittableRandom(21);
        double[] calibration = drifting(4_000, 0, 1e-3, r);
        Deque<Double> window = new ArrayDeque<>();
        double[] residuals = new double[calibration.length - depth];
        for (int i = 0; i < calibration.length; i++) {
            if (i >= depth) {
                residuals[i - depth] = calibration[i] - mean(window);
                window.removeFirst();
            }
            window.addLast(calibration[i]);
        }
        ReferenceSpot reference = new ReferenceSpot(residuals, settings);

        DriftPeaksOverThreshold dspot = DriftPeaksOverThreshold.calibrate(calibration, depth, settings);

        assertThat(dspot.residualThreshold()).isEqualTo(reference.z);
        assertThat(dspot.level()).isEqualTo(mean(window));
        assertThat(dspot.threshold()).isEqualTo(mean(window) + reference.z);
        double[] stream = drifting(8_000, 4_000, 1e-3, r);
        int anomalies = 0;
        for (int i = 0; i < stream.length; i++) {
            double x = i % 1_000 == 500 ? stream[i] + 40 : stream[i];
            double expectedThreshold = mean(window) + reference.z;
            StreamVerdict verdict = dspot.update(x);
            assertThat(verdict.threshold()).as("threshold for value %d", i).isEqualTo(expectedThreshold);
            assertThat(verdict.anomaly()).as("value %d", i).isEqualTo(x > expectedThreshold);
            assertThat(verdict.score()).isEqualTo(x);
            if (verdict.anomaly()) {
                anomalies++;
            } else {
                reference.learn(x - mean(window));
                window.removeFirst();
                window.addLast(x);
            }
        }
        assertThat(anomalies).isGreaterThanOrEqualTo(8);
        assertThat(dspot.peakCount()).isEqualTo(reference.peakCount);
        assertThat(dspot.retainedPeaks()).isEqualTo(80);
        assertThat(dspot.depth()).isEqualTo(depth);
    }

    @Test
    void givenAnOutlier_whenUpdated_thenFlaggedAndNeitherTheWindowNorTheTailMoves() {
        DriftPeaksOverThreshold dspot = DriftPeaksOverThreshold.calibrate(drifting(3_000, 0, 0, new SplittableRandom(22)),
                DriftPeaksOverThreshold.DEFAULT_DEPTH, SpotSettings.streaming(1e-3, 0.98));
        StreamState before = dspot.state();
        double threshold = dspot.threshold();

        StreamVerdict verdict = dspot.update(threshold + 1);

        assertThat(verdict).isEqualTo(new StreamVerdict(threshold + 1, threshold, true));
        assertThat(dspot.state()).isEqualTo(before);
        assertThat(dspot.update(threshold).anomaly()).isFalse();
        assertThat(dspot.state()).isNotEqualTo(before);
        assertThat(dspot.toThreshold(ScoreSettings.defaults(), "stream").method()).isEqualTo("dspot:0.001:10");
    }

    /**
     * A linear drift of 0.002 per value under Exp(1) noise: after 50,000 values the level has risen by 100 noise
     * scales. SPOT (every peak kept, as in the paper) soon sees every value above its threshold; DSPOT's residual
     * is stationary, so its alarm rate stays near q. Measured over 20 seeds, DSPOT's rate lies in 1.4q to 2.8q (above
     * q from SPOT's own streaming bias, see {@link PeaksOverThreshold}), SPOT's in 0.91 to 0.96.
     */
    @Test
    void givenALinearDrift_whenStreamed_thenSpotAlarmRateExplodesAndDspotStaysNearQ() {
        double q = 1e-3;
        SplittableRandom r = new SplittableRandom(23);
        double[] calibration = drifting(5_000, 0, 0.002, r);
        // Every peak kept as in the paper; lazy refits only keep the test fast.
        PeaksOverThreshold spot = PeaksOverThreshold.calibrate(calibration, new SpotSettings(q, 0.98, Integer.MAX_VALUE, 0.01));
        DriftPeaksOverThreshold dspot = DriftPeaksOverThreshold.calibrate(calibration, DriftPeaksOverThreshold.DEFAULT_DEPTH,
                SpotSettings.streaming(q, 0.98));
        int n = 50_000;
        int spotAlarms = 0;
        int dspotAlarms = 0;
        double last = 0;
        for (double x : drifting(n, 5_000, 0.002, r)) {
            spotAlarms += spot.update(x).anomaly() ? 1 : 0;
            dspotAlarms += dspot.update(x).anomaly() ? 1 : 0;
            last = x;
        }

        assertThat((double) spotAlarms / n).isGreaterThan(0.5);
        assertThat((double) dspotAlarms / n).isBetween(q / 2, 4 * q);
        // DSPOT's threshold rides on the drifted level: a few noise scales above it.
        assertThat(dspot.level()).isBetween(0.002 * 55_000 - 2, 0.002 * 55_000 + 2);
        assertThat(dspot.threshold()).isGreaterThan(last - 10).isLessThan(dspot.level() + 10);
    }

    @Test
    void givenBadCalibrations_whenCalibrated_thenErrorsSayWhat() {
        SpotSettings settings = SpotSettings.streaming(1e-3, 0.98);
        assertThatThrownBy(() -> DriftPeaksOverThreshold.calibrate(new double[100], 0, settings))
                .hasMessageContaining("Invalid DSPOT depth: 0");
        assertThatThrownBy(() -> DriftPeaksOverThreshold.calibrate(new double[10], 10, settings))
                .hasMessageContaining("DSPOT needs more values than its depth 10").hasMessageContaining("got 10");
        double[] withNaN = drifting(2_000, 0, 0, new SplittableRandom(24));
        withNaN[1_234] = Double.NaN;
        assertThatThrownBy(() -> DriftPeaksOverThreshold.calibrate(withNaN, 10, settings))
                .hasMessageContaining("Value 1234 is not finite");
        assertThatThrownBy(() -> DriftPeaksOverThreshold.calibrate(new double[100], 10, settings))
                .hasMessageContaining("DSPOT calibration on the residuals of 90 values")
                .hasMessageContaining("at least 2 scores above");
        DriftPeaksOverThreshold dspot = DriftPeaksOverThreshold.calibrate(drifting(2_000, 0, 0, new SplittableRandom(25)), 10, settings);
        assertThatThrownBy(() -> dspot.update(Double.POSITIVE_INFINITY)).hasMessageContaining("Score is not finite: Infinity");
    }
}
