package dev.vae.anomaly.threshold;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.ScoreSettings;
import dev.vae.core.Threshold;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of {@link PeaksOverThreshold} over every accepted initial level and sample size: {@code pot:Q:LEVEL}
 * accepts any level in (0, 1), so calibration and streaming must work for all of them, not only near 0.98. The cases
 * are drawn from a fixed seed (so a failure reproduces) over the whole accepted range, with the edges and the old
 * breaking point (0.875) always included.
 */
class PeaksOverThresholdPropertyTest {

    private static final double[] EDGE_LEVELS = {0.001, 0.1, 0.5, 0.874, 0.875, 0.876, 0.98, 0.999};

    /** Level, n, risk share and data seed: {@code draws} random cases (with n (1 - level) >= 4) plus the edges. */
    static List<Arguments> cases(int draws, int maxN, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Arguments> out = new ArrayList<>();
        for (double level : EDGE_LEVELS) {
            int n = Math.max(maxN, (int) Math.ceil(4 / (1 - level)) + 1);
            out.add(Arguments.of(level, n, 0.25, 1L));
        }
        while (out.size() < draws + EDGE_LEVELS.length) {
            double level = 0.001 + 0.998 * r.nextDouble();
            int n = 20 + r.nextInt(maxN - 19);
            if (n * (1 - level) >= 4) {
                out.add(Arguments.of(level, n, 0.001 + 0.499 * r.nextDouble(), r.nextLong(1001)));
            }
        }
        return out;
    }

    static List<Arguments> calibrationCases() {
        return cases(300, 3000, 20261205L);
    }

    static List<Arguments> streamingCases() {
        return cases(60, 600, 20261206L);
    }

    private static double[] exponential(int n, long seed) {
        return PeaksOverThresholdTest.exponential(n, seed);
    }

    /**
     * With continuous scores about n (1 - level) of them lie above the initial threshold; the risk is drawn as a
     * fraction (at most a half) of that share, so calibration must accept it and put the threshold in the tail.
     */
    @ParameterizedTest(name = "level {0}, n {1}, risk share {2}, seed {3}")
    @MethodSource("calibrationCases")
    void givenAnyAcceptedLevelAndSize_whenCalibrated_thenFiniteThresholdAboveTheInitialQuantile(
            double level, int n, double riskShare, long seed) {
        double risk = riskShare * (1 - level);
        double[] scores = exponential(n, seed);

        PeaksOverThreshold pot = PeaksOverThreshold.calibrate(scores, risk, level);

        assertThat(pot.initialThreshold()).isEqualTo(Quantiles.quantile(scores, level));
        assertThat(pot.peakCount()).isGreaterThanOrEqualTo((int) Math.floor((n - 1) * (1 - level)));
        assertThat(pot.threshold()).isFinite().isGreaterThanOrEqualTo(pot.initialThreshold());
        Threshold fitted = new ThresholdSpec.Pot(risk, level).fit(scores, null, ScoreSettings.defaults(), "property");
        assertThat(fitted.value()).isEqualTo(pot.threshold());
    }

    /**
     * The streaming path grows the peak array as new peaks arrive: starting from any accepted level, feeding more
     * scores keeps every threshold finite and in the tail, and counts every non-alarm as an observation.
     */
    @ParameterizedTest(name = "level {0}, n {1}, seed {3}")
    @MethodSource("streamingCases")
    void givenAnyAcceptedLevel_whenStreamingScores_thenThresholdStaysFiniteAndInTheTail(
            double level, int n, double riskShare, long seed) {
        int streamed = 1 + (int) (seed % 60);
        double risk = 0.25 * (1 - level);
        PeaksOverThreshold pot = PeaksOverThreshold.calibrate(exponential(n, seed), risk, level);
        int alarms = 0;
        for (double s : exponential(streamed, seed + 1)) {
            if (pot.update(s).anomaly()) {
                alarms++;
            }
            assertThat(pot.threshold()).isFinite().isGreaterThanOrEqualTo(pot.initialThreshold());
        }
        assertThat(pot.observations()).isEqualTo((long) n + streamed - alarms);
    }
}
