package dev.vae.anomaly.threshold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SPOT on streams with known tails, its peak cap and lazy refits, checked against the algorithm written again. */
class SpotStreamingTest {

    /** n draws of {@code shift + scale Exp(1)}. */
    static double[] exponential(int n, double scale, double shift, SplittableRandom r) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = shift - scale * Math.log(1 - r.nextDouble());
        }
        return v;
    }

    /** n draws of a Pareto with x_m = 1 and tail index alpha: P(X > x) = x^-alpha. */
    static double[] pareto(int n, double alpha, SplittableRandom r) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = Math.pow(1 - r.nextDouble(), -1 / alpha);
        }
        return v;
    }

    /**
     * Exp(scale) shifted: excesses over any t are Exp(scale), GPD gamma = 0, and P(X > shift + scale x) = e^-x, so
     * the (1 - q)-quantile is {@code shift - scale ln q}. With n = 50,000 and level 0.98 the fit sees N = 1,000
     * peaks and extrapolates to p = q n / N = 0.05, L = -ln p = 3.0. The delta method on the GPD's inverse Fisher
     * information at gamma = 0 (Var gamma = 1/N, Var sigma/sigma = 2/N, Cov = -1/N) gives
     * {@code Var(z - t) / scale^2 = (2 L^2 + L^4 / 4 - L^3) / N = 0.0113}, a standard error of 0.106 scale, and the
     * 0.98-quantile t adds sqrt(0.02 * 0.98 / n) / 0.02 = 0.031 scale: 0.11 scale in all (0.115 measured over 40
     * seeds). Four standard errors: 0.45 scale.
     */
    @Test
    void givenExponentialScores_whenSpotCalibratedOn50000_thenThresholdWithinFourStandardErrorsOfTheTrueQuantile() {
        double scale = 2.5;
        double shift = 10;
        double q = 1e-3;
        double[] scores = exponential(50_000, scale, shift, new SplittableRandom(11));

        PeaksOverThreshold spot = PeaksOverThreshold.calibrate(scores, q);

        assertThat(spot.threshold()).isCloseTo(shift - scale * Math.log(q), within(0.45 * scale));
        assertThat(spot.tail().gamma()).isCloseTo(0.0, within(4 / Math.sqrt(1000)));
    }

    /**
     * The same stream with the last 10,000 of the 50,000 scores streamed instead of calibrated on. Streaming adds
     * SPOT's own bias (a score above z_q is never learnt, see {@link PeaksOverThreshold}): measured over 30 seeds,
     * z_q ends 0.12 scale below the truth with a standard deviation of 0.135 scale. Upper bound four standard
     * deviations above the truth, lower bound the bias plus four below.
     */
    @Test
    void givenExponentialScores_whenSpotStreamsTheLast10000Of50000_thenThresholdNearTheTrueQuantile() {
        double scale = 2.5;
        double shift = 10;
        double q = 1e-3;
        SplittableRandom r = new SplittableRandom(12);
        PeaksOverThreshold spot = PeaksOverThreshold.calibrate(exponential(40_000, scale, shift, r), q);
        long calibrationPeaks = spot.peakCount();
        int alarms = 0;
        for (double s : exponential(10_000, scale, shift, r)) {
            alarms += spot.update(s).anomaly() ? 1 : 0;
        }

        double truth = shift - scale * Math.log(q);
        assertThat(spot.threshold()).isBetween(truth - (0.12 + 4 * 0.135) * scale, truth + 4 * 0.135 * scale);
        assertThat(spot.peakCount()).isGreaterThan(calibrationPeaks + 100);
        assertThat(spot.observations()).isEqualTo(50_000 - alarms);
    }

    /**
     * Pareto(alpha = 4) is exactly GPD above any t: gamma = 1/4, sigma = t/4, and the (1 - q)-quantile is
     * q^(-1/4) = 5.623 at q = 1e-3. Calibration on 100,000 scores keeps its 2,000 peaks (the cap); the 400 or so
     * peaks of 20,000 more scores then go through the reservoir. Delta method with N = 2,000, p = 0.05: standard
     * errors 0.028 for gamma ((1 + gamma) / sqrt N) and 0.11 for z_q. Measured over 20 seeds with this cap and refit
     * fraction: after calibration alone, means 0.248 and 5.60 (standard deviations 0.026 and 0.105); after the
     * stream, 0.213 and 5.41 (0.024 and 0.096), SPOT's streaming bias. Bounds: four standard errors, and the bias
     * below.
     */
    @Test
    void givenParetoStream_whenSpotStreamsWithAPeakCap_thenKnownShapeAndQuantile() {
        double alpha = 4;
        double q = 1e-3;
        SplittableRandom r = new SplittableRandom(13);
        SpotSettings settings = new SpotSettings(q, 0.98, 2_000, 0.01);
        PeaksOverThreshold spot = PeaksOverThreshold.calibrate(pareto(100_000, alpha, r), settings);
        assertThat(spot.retainedPeaks()).isEqualTo(2_000);
        for (double s : pareto(20_000, alpha, r)) {
            spot.update(s);
        }

        assertThat(spot.retainedPeaks()).isEqualTo(2_000);
        assertThat(spot.peakCount()).isGreaterThan(2_300);
        assertThat(spot.tail().gamma()).isBetween(1 / alpha - 0.037 - 4 * 0.028, 1 / alpha + 4 * 0.028);
        double truth = Math.pow(q, -1 / alpha);
        assertThat(spot.threshold()).isBetween(truth - 0.22 - 4 * 0.11, truth + 4 * 0.11);
    }

    static Stream<Arguments> settings() {
        return Stream.of(
                Arguments.of("the paper's", SpotSettings.paper(2e-3, 0.98)),
                Arguments.of("capped above the calibration peaks, eager", new SpotSettings(2e-3, 0.98, 100, 0)),
                Arguments.of("capped above the calibration peaks, lazy", new SpotSettings(2e-3, 0.98, 100, 0.1)),
                Arguments.of("capped below the calibration peaks, lazy", new SpotSettings(2e-3, 0.98, 40, 0.2)),
                Arguments.of("capped at 2, eager", new SpotSettings(2e-3, 0.98, 2, 0)));
    }

    /** The class against the documented algorithm written again plainly ({@link ReferenceSpot}): the same bits. */
    @ParameterizedTest(name = "{0} settings")
    @MethodSource("settings")
    void givenAnySettings_whenStreaming_thenEveryThresholdEqualsTheDocumentedAlgorithm(String name, SpotSettings settings) {
        SplittableRandom r = new SplittableRandom(14);
        double[] calibration = exponential(3_000, 1, 0, r);
        PeaksOverThreshold spot = PeaksOverThreshold.calibrate(calibration, settings);
        ReferenceSpot reference = new ReferenceSpot(calibration, settings);
        assertThat(spot.threshold()).isEqualTo(reference.z);

        double[] stream = exponential(6_000, 1, 0, r);
        for (int i = 0; i < stream.length; i++) {
            double s = i % 997 == 0 ? 50 : stream[i]; // now and then an outlier, flagged and not learnt
            StreamVerdict verdict = spot.update(s);
            boolean expected = reference.update(s);
            assertThat(verdict.anomaly()).as("score %d", i).isEqualTo(expected);
            assertThat(spot.threshold()).as("threshold after score %d", i).isEqualTo(reference.z);
            assertThat(spot.retainedPeaks()).isEqualTo(reference.excesses.size()).isLessThanOrEqualTo(settings.maxPeaks());
        }
        assertThat(spot.peakCount()).isEqualTo(reference.peakCount);
        assertThat(spot.observations()).isEqualTo(reference.observations);
        if (settings.keepsEveryPeak()) {
            assertThat(spot.peakCount()).isEqualTo(spot.retainedPeaks());
        } else {
            assertThat(spot.peakCount()).isGreaterThan(spot.retainedPeaks() + 50L);
        }
    }

    @Test
    void givenPaperSettings_whenCalibratedEitherWay_thenTheSameSpotAsBefore() {
        double[] scores = exponential(20_000, 1, 0, new SplittableRandom(15));
        PeaksOverThreshold old = PeaksOverThreshold.calibrate(scores, 1e-3, 0.97);
        PeaksOverThreshold paper = PeaksOverThreshold.calibrate(scores, SpotSettings.paper(1e-3, 0.97));
        // A cap above the peak count changes nothing either.
        PeaksOverThreshold roomy = PeaksOverThreshold.calibrate(scores, new SpotSettings(1e-3, 0.97, 100_000, 0));
        assertThat(paper.state()).isEqualTo(old.state());
        assertThat(roomy.threshold()).isEqualTo(old.threshold());
        for (double s : exponential(5_000, 1, 0, new SplittableRandom(16))) {
            assertThat(roomy.update(s)).isEqualTo(old.update(s));
        }
        assertThat(roomy.peakCount()).isEqualTo(old.peakCount());
    }

    /**
     * A million scores through a cap of 200 peaks: the peaks kept never exceed it, while the counts keep every
     * peak. Each score above t is either a peak or an alarm, so the peaks streamed plus the alarms equal the
     * stream's scores above t, counted here independently; n counts every score but the alarms.
     */
    @Test
    void givenAMillionScores_whenStreamedThroughACap_thenRetainedPeaksNeverExceedItAndCountsKeepEveryPeak() {
        int cap = 200;
        SpotSettings settings = new SpotSettings(1e-3, 0.98, cap, 0.05);
        SplittableRandom r = new SplittableRandom(17);
        PeaksOverThreshold spot = PeaksOverThreshold.calibrate(exponential(20_000, 1, 0, r), settings);
        DriftPeaksOverThreshold dspot = DriftPeaksOverThreshold.calibrate(exponential(20_010, 1, 0, r), 10, settings);
        long calibrationPeaks = spot.peakCount();
        double t = spot.initialThreshold();
        long aboveT = 0;
        long spotAlarms = 0;
        long dspotAlarms = 0;
        int mostKept = 0;
        for (int i = 0; i < 1_000_000; i++) {
            double s = -Math.log(1 - r.nextDouble());
            aboveT += s > t ? 1 : 0;
            spotAlarms += spot.update(s).anomaly() ? 1 : 0;
            dspotAlarms += dspot.update(s).anomaly() ? 1 : 0;
            mostKept = Math.max(mostKept, Math.max(spot.retainedPeaks(), dspot.retainedPeaks()));
        }

        assertThat(mostKept).isEqualTo(cap);
        assertThat(spot.state().retainedPeaks()).isEqualTo(cap);
        assertThat(dspot.state().retainedPeaks()).isEqualTo(cap);
        assertThat(spot.peakCount() - calibrationPeaks + spotAlarms).isEqualTo(aboveT);
        assertThat(spot.observations()).isEqualTo(20_000 + 1_000_000 - spotAlarms);
        assertThat(dspot.observations()).isEqualTo(20_000 + 1_000_000 - dspotAlarms);
        assertThat(dspot.peakCount()).isGreaterThan(50L * cap);
        assertThat(spot.threshold()).isFinite().isGreaterThanOrEqualTo(t);
    }

    @Test
    void givenBadSettingsOrScores_whenUsed_thenErrorsNameTheValue() {
        assertThatThrownBy(() -> new SpotSettings(0, 0.98, 10, 0)).hasMessageContaining("Invalid POT risk: 0.0");
        assertThatThrownBy(() -> new SpotSettings(1e-3, 1, 10, 0)).hasMessageContaining("Invalid POT initial quantile level: 1.0");
        assertThatThrownBy(() -> new SpotSettings(1e-3, 0.98, 1, 0)).hasMessageContaining("Invalid POT peak cap: 1");
        assertThatThrownBy(() -> new SpotSettings(1e-3, 0.98, 10, 1)).hasMessageContaining("Invalid POT refit fraction: 1.0");
        PeaksOverThreshold spot = PeaksOverThreshold.calibrate(exponential(1_000, 1, 0, new SplittableRandom(18)),
                SpotSettings.streaming(1e-3, 0.98));
        String before = spot.state().toText();
        assertThatThrownBy(() -> spot.update(Double.NaN)).hasMessageContaining("Score is not finite: NaN");
        assertThat(spot.state().toText()).isEqualTo(before);
        double[] withInfinity = exponential(1_000, 1, 0, new SplittableRandom(18));
        withInfinity[7] = Double.POSITIVE_INFINITY;
        assertThatThrownBy(() -> PeaksOverThreshold.calibrate(withInfinity, SpotSettings.streaming(1e-3, 0.98)))
                .hasMessageContaining("Score 7 is not finite");
    }
}
