package dev.vae.anomaly.threshold;

import dev.vae.core.ScoreSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PeaksOverThresholdTest {

    /** n draws of Exp(1) from {@code seed}. */
    static double[] exponential(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = -Math.log(1 - r.nextDouble());
        }
        return v;
    }

    /** Pareto with x_m = 1 and tail index alpha: P(X > x) = x^-alpha. */
    private static double[] pareto(int n, double alpha, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = Math.pow(1 - r.nextDouble(), -1 / alpha);
        }
        return v;
    }

    @Test
    void givenGpdSamples_whenFitted_thenMaximumLikelihoodRecoversShapeAndScale() {
        SplittableRandom r = new SplittableRandom(3);
        for (double gamma : new double[] {-0.2, 0.25}) {
            double sigma = 2.0;
            double[] y = new double[40_000];
            for (int i = 0; i < y.length; i++) {
                y[i] = sigma / gamma * (Math.pow(1 - r.nextDouble(), -gamma) - 1);
            }
            GeneralizedPareto fit = GeneralizedPareto.fit(y, y.length);
            assertThat(fit.gamma()).isCloseTo(gamma, within(0.03));
            assertThat(fit.sigma()).isCloseTo(sigma, within(0.1));
        }
    }

    @Test
    void givenExponentialScores_whenPotFitted_thenThresholdMatchesTheTrueTailQuantile() {
        double[] s = exponential(200_000, 1);
        PeaksOverThreshold pot = PeaksOverThreshold.calibrate(s, 1e-4);
        // Excesses of an exponential are exponential: gamma = 0, sigma = 1, and P(X > z) = e^-z.
        assertThat(pot.tail().gamma()).isCloseTo(0.0, within(0.05));
        assertThat(pot.tail().sigma()).isCloseTo(1.0, within(0.05));
        assertThat(pot.threshold()).isCloseTo(-Math.log(1e-4), within(0.5));
        assertThat(pot.initialThreshold()).isCloseTo(-Math.log(0.02), within(0.05));
        assertThat(pot.peakCount()).isEqualTo(4000);
    }

    @Test
    void givenParetoScores_whenPotFitted_thenHeavyTailAndTrueQuantile() {
        double alpha = 3;
        double[] s = pareto(200_000, alpha, 2);
        PeaksOverThreshold pot = PeaksOverThreshold.calibrate(s, 1e-4);
        // Excesses over t of a Pareto are GPD with gamma = 1/alpha, sigma = t/alpha; z_q = q^(-1/alpha).
        assertThat(pot.tail().gamma()).isCloseTo(1 / alpha, within(0.05));
        assertThat(pot.tail().sigma()).isCloseTo(pot.initialThreshold() / alpha, within(0.1 * pot.initialThreshold() / alpha));
        double truth = Math.pow(1e-4, -1 / alpha);
        assertThat(pot.threshold()).isCloseTo(truth, within(0.1 * truth));
        // The empirical quantile at that risk rests on ~20 points; POT extrapolates beyond the data when q n < 1.
        PeaksOverThreshold far = PeaksOverThreshold.calibrate(s, 1e-7);
        assertThat(far.threshold()).isGreaterThan(java.util.Arrays.stream(s).max().orElseThrow());
    }

    @Test
    void givenCalibratedSpot_whenStreamingNormalScoresAndAnOutlier_thenAlarmRateNearRiskAndOutlierFlagged() {
        double q = 2e-3;
        PeaksOverThreshold pot = PeaksOverThreshold.calibrate(exponential(10_000, 4), q);
        long peaks = pot.peakCount();
        double[] stream = exponential(20_000, 5);
        int alarms = 0;
        for (double s : stream) {
            if (pot.update(s).anomaly()) {
                alarms++;
            }
        }
        assertThat(pot.peakCount()).isGreaterThan(peaks + 200);
        assertThat(pot.observations()).isEqualTo(10_000 + 20_000 - alarms);
        // Expected alarms q * n = 40; the tail fit is noisy, so allow a wide band.
        assertThat(alarms).isBetween(15, 80);
        // SPOT never learns from the alarms it raises, which trims the tail a little: allow 15%.
        assertThat(pot.threshold()).isCloseTo(-Math.log(q), within(0.15 * -Math.log(q)));
        double before = pot.threshold();
        assertThat(pot.update(1000.0).anomaly()).isTrue();
        assertThat(pot.threshold()).isEqualTo(before);
        assertThat(pot.toThreshold(ScoreSettings.defaults(), "stream").method()).isEqualTo("pot:0.002");
    }

    @Test
    void givenTooFewScoresOrTooLargeRisk_whenCalibrated_thenClearError() {
        assertThatThrownBy(() -> PeaksOverThreshold.calibrate(new double[] {1, 2, 3}, 1e-3))
                .hasMessageContaining("at least 2 scores above");
        assertThatThrownBy(() -> PeaksOverThreshold.calibrate(exponential(1000, 1), 0.05))
                .hasMessageContaining("not below the share of peaks");
        assertThatThrownBy(() -> ThresholdSpec.parse("pot:0.001").fit(exponential(10, 1), null, ScoreSettings.defaults(), "t"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void givenPotSpec_whenFitted_thenThresholdEqualsCalibration() {
        double[] s = exponential(50_000, 9);
        assertThat(ThresholdSpec.parse("pot:0.001").fit(s, null, ScoreSettings.defaults(), "t").value())
                .isEqualTo(PeaksOverThreshold.calibrate(s, 0.001).threshold());
    }
}
