package dev.vae.anomaly.threshold;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.Threshold;
import java.util.SplittableRandom;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Scale;

/**
 * Properties of {@link PeaksOverThreshold} over every accepted initial level and sample size: {@code pot:Q:LEVEL}
 * accepts any level in (0, 1), so calibration and streaming must work for all of them, not only near 0.98.
 */
class PeaksOverThresholdPropertyTest {

    private static double[] exponential(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = -Math.log(1 - r.nextDouble());
        }
        return v;
    }

    /**
     * With continuous scores about n (1 - level) of them lie above the initial threshold; the risk is drawn as a
     * fraction (at most a half) of that share, so calibration must accept it and put the threshold in the tail.
     */
    @Property(tries = 300)
    void givenAnyAcceptedLevelAndSize_whenCalibrated_thenFiniteThresholdAboveTheInitialQuantile(
            @ForAll @DoubleRange(min = 0.001, max = 0.999) @Scale(4) double level,
            @ForAll @IntRange(min = 20, max = 3000) int n,
            @ForAll @DoubleRange(min = 0.001, max = 0.5) @Scale(4) double riskShare,
            @ForAll @LongRange(min = 0, max = 1000) long seed) {
        Assume.that(n * (1 - level) >= 4);
        double risk = riskShare * (1 - level);
        double[] scores = exponential(n, seed);

        PeaksOverThreshold pot = PeaksOverThreshold.calibrate(scores, risk, level);

        assertThat(pot.initialThreshold()).isEqualTo(Quantiles.quantile(scores, level));
        assertThat(pot.peakCount()).isGreaterThanOrEqualTo((int) Math.floor((n - 1) * (1 - level)));
        assertThat(pot.threshold()).isFinite().isGreaterThanOrEqualTo(pot.initialThreshold());
        Threshold fitted = new ThresholdSpec.Pot(risk, level).fit(scores, null, "property");
        assertThat(fitted.value()).isEqualTo(pot.threshold());
    }

    /**
     * The streaming path grows the peak array as new peaks arrive: starting from any accepted level, feeding more
     * scores keeps every threshold finite and in the tail, and counts every non-alarm as an observation.
     */
    @Property(tries = 60)
    void givenAnyAcceptedLevel_whenStreamingScores_thenThresholdStaysFiniteAndInTheTail(
            @ForAll @DoubleRange(min = 0.001, max = 0.999) @Scale(4) double level,
            @ForAll @IntRange(min = 20, max = 600) int n,
            @ForAll @IntRange(min = 1, max = 60) int streamed,
            @ForAll @LongRange(min = 0, max = 1000) long seed) {
        Assume.that(n * (1 - level) >= 4);
        double risk = 0.25 * (1 - level);
        PeaksOverThreshold pot = PeaksOverThreshold.calibrate(exponential(n, seed), risk, level);
        int alarms = 0;
        for (double s : exponential(streamed, seed + 1)) {
            if (pot.update(s)) {
                alarms++;
            }
            assertThat(pot.threshold()).isFinite().isGreaterThanOrEqualTo(pot.initialThreshold());
        }
        assertThat(pot.observations()).isEqualTo((long) n + streamed - alarms);
    }
}
