package dev.vae.anomaly.threshold;

import dev.vae.core.ScoreSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vae.core.Threshold;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThresholdSpecTest {

    private static double[] oneToHundred() {
        double[] v = new double[100];
        for (int i = 0; i < 100; i++) {
            v[99 - i] = i + 1;
        }
        return v;
    }

    @Test
    void givenEverySpecForm_whenParsed_thenRoundTripsThroughId() {
        for (String s : List.of("split", "quantile:0.99", "contamination:0.05", "sigma:3.0", "fixed:120.5", "f1",
                "pot:0.001", "pot:0.01:0.9", "dspot:0.001", "dspot:0.001:25")) {
            ThresholdSpec spec = ThresholdSpec.parse(s);
            assertThat(ThresholdSpec.parse(spec.id())).isEqualTo(spec);
        }
        assertThat(ThresholdSpec.parse(" Contamination:0.1 ")).isEqualTo(new ThresholdSpec.Contamination(0.1));
        assertThat(ThresholdSpec.defaults().id()).isEqualTo("split");
        assertThatThrownBy(() -> ThresholdSpec.parse("split:0.5")).hasMessageContaining("'split' takes no value");
    }

    @Test
    void givenEveryFactory_whenMade_thenItIsTheStrategyItsTextFormParsesTo() {
        assertThat(ThresholdSpec.split()).isEqualTo(ThresholdSpec.parse("split")).isEqualTo(ThresholdSpec.defaults());
        assertThat(ThresholdSpec.quantile(0.99)).isEqualTo(ThresholdSpec.parse("quantile:0.99"));
        assertThat(ThresholdSpec.contamination(0.05)).isEqualTo(ThresholdSpec.parse("contamination:0.05"));
        assertThat(ThresholdSpec.sigma(3)).isEqualTo(ThresholdSpec.parse("sigma:3"));
        assertThat(ThresholdSpec.fixed(120.5)).isEqualTo(ThresholdSpec.parse("fixed:120.5"));
        assertThat(ThresholdSpec.bestF1()).isEqualTo(ThresholdSpec.parse("f1"));
        assertThat(ThresholdSpec.pot(0.001)).isEqualTo(ThresholdSpec.parse("pot:0.001"));
        assertThat(ThresholdSpec.pot(0.01, 0.9)).isEqualTo(ThresholdSpec.parse("pot:0.01:0.9"));
        assertThatThrownBy(() -> ThresholdSpec.quantile(1)).hasMessageContaining("Invalid quantile: 1.0");
        assertThatThrownBy(() -> ThresholdSpec.contamination(0.6)).hasMessageContaining("Invalid contamination: 0.6");
        assertThatThrownBy(() -> ThresholdSpec.pot(0.01, 1)).hasMessageContaining("Invalid POT level: 1.0");
    }

    @Test
    void givenScoresWithAnAnomalyMode_whenSplit_thenTheThresholdFallsBetweenTheModes_elseItIsSigma3() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(4);
        double[] modes = new double[200];
        for (int i = 0; i < modes.length; i++) {
            modes[i] = i < 180 ? 5 + r.nextDouble() : 400 + 100 * r.nextDouble();
        }
        dev.vae.core.Threshold t = ThresholdSpec.parse("split").fit(modes, null, ScoreSettings.defaults(), "validation");
        assertThat(t.value()).isBetween(6.0, 400.0);
        assertThat(t.method()).startsWith("split: 10.0% above, separation 0.9");
        assertThat(t.fittedOn()).isEqualTo("validation");

        // One mode: the split explains about 2/pi of the variance, below the least separation, so mean + 3 sd.
        double[] one = new double[2000];
        for (int i = 0; i < one.length; i++) {
            one[i] = Math.expm1(3 + 0.05 * Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble()));
        }
        dev.vae.core.Threshold f = ThresholdSpec.parse("split").fit(one, null, ScoreSettings.defaults(), "validation");
        assertThat(f.value()).isEqualTo(new ThresholdSpec.Sigma(3).fit(one, null, ScoreSettings.defaults(), "validation").value());
        assertThat(f.method()).startsWith("split: no anomaly mode (separation 0.6").endsWith("< 0.66), so sigma:3.0");
        assertThatThrownBy(() -> ThresholdSpec.parse("split").fit(new double[] {1, Double.NaN}, null, ScoreSettings.defaults(), "v"))
                .hasMessageContaining("Score 1 is not finite");
    }

    @Test
    void givenBadSpecs_whenParsed_thenErrorNamesTheText() {
        assertThatThrownBy(() -> ThresholdSpec.parse("median")).hasMessageContaining("Unknown threshold 'median'");
        assertThatThrownBy(() -> ThresholdSpec.parse("quantile:1.5")).hasMessageContaining("Invalid quantile: 1.5");
        assertThatThrownBy(() -> ThresholdSpec.parse("contamination:")).hasMessageContaining("needs one value");
        assertThatThrownBy(() -> ThresholdSpec.parse("sigma:abc")).hasMessageContaining("Invalid number in threshold 'sigma:abc'");
        assertThatThrownBy(() -> ThresholdSpec.parse("f1:2")).hasMessageContaining("takes no value");
        assertThatThrownBy(() -> ThresholdSpec.parse("pot:0")).hasMessageContaining("Invalid POT risk");
        assertThatThrownBy(() -> ThresholdSpec.parse("fixed:NaN")).hasMessageContaining("Invalid number in threshold");
        assertThatThrownBy(() -> new ThresholdSpec.Fixed(Double.NaN)).hasMessageContaining("Invalid fixed threshold");
    }

    @Test
    void givenOneToHundred_whenQuantileAndContaminationFitted_thenLinearInterpolationValues() {
        double[] v = oneToHundred();
        // Type 7: h = 99 * 0.9 = 89.1, so 90 + 0.1 * (91 - 90).
        Threshold q = ThresholdSpec.parse("quantile:0.9").fit(v, null, ScoreSettings.defaults(), "test");
        assertThat(q.value()).isCloseTo(90.1, within(1e-9));
        assertThat(q.method()).isEqualTo("quantile:0.9");
        assertThat(q.fittedOn()).isEqualTo("test");
        assertThat(ThresholdSpec.parse("contamination:0.1").fit(v, null, ScoreSettings.defaults(), "test").value()).isCloseTo(90.1, within(1e-9));
        assertThat(ThresholdSpec.parse("quantile:0.5").fit(v, null, ScoreSettings.defaults(), "t").value()).isCloseTo(50.5, within(1e-9));
    }

    @Test
    void givenFiveValues_whenSigmaFitted_thenMeanPlusKSampleDeviations() {
        double[] v = {1, 2, 3, 4, 5};
        assertThat(ThresholdSpec.parse("sigma:2").fit(v, null, ScoreSettings.defaults(), "t").value()).isCloseTo(3 + 2 * Math.sqrt(2.5), within(1e-12));
    }

    @Test
    void givenFixedSpec_whenFitted_thenValueIgnoresScores() {
        Threshold t = ThresholdSpec.parse("fixed:7.5").fit(new double[] {100, 200}, null, ScoreSettings.defaults(), "ignored");
        assertThat(t.value()).isEqualTo(7.5);
        assertThat(t.fittedOn()).isEqualTo("given by the user");
    }

    @Test
    void givenHandCase_whenF1Fitted_thenCutBetweenThirdAndFourthScore() {
        double[] s = {0.1, 0.4, 0.35, 0.8};
        int[] l = {0, 0, 1, 1};
        // Flagging {0.8}: F1 2/3; {0.8, 0.4}: 1/2; {0.8, 0.4, 0.35}: 4/5 (best); all: 2/3.
        Threshold t = ThresholdSpec.parse("f1").fit(s, l, ScoreSettings.defaults(), "t");
        assertThat(t.value()).isCloseTo(0.225, within(1e-12));
        assertThatThrownBy(() -> ThresholdSpec.parse("f1").fit(s, null, ScoreSettings.defaults(), "t")).hasMessageContaining("needs labelled data");
        assertThatThrownBy(() -> ThresholdSpec.parse("f1").fit(s, new int[4], ScoreSettings.defaults(), "t")).hasMessageContaining("at least one anomaly");
    }

    @Test
    void givenNonFiniteOrEmptyScores_whenFitted_thenErrorNamesTheScore() {
        assertThatThrownBy(() -> ThresholdSpec.parse("quantile:0.9").fit(new double[] {1, Double.NaN}, null, ScoreSettings.defaults(), "t"))
                .hasMessageContaining("Score 1 is not finite");
        assertThatThrownBy(() -> ThresholdSpec.parse("sigma:3").fit(new double[0], null, ScoreSettings.defaults(), "t"))
                .hasMessageContaining("no scores");
    }

    @Test
    void givenSpotAndDspotSpecs_whenParsed_thenSpotIsPotAndDspotCarriesItsDepth() {
        assertThat(ThresholdSpec.parse("spot:0.001")).isEqualTo(ThresholdSpec.parse("pot:0.001"));
        assertThat(ThresholdSpec.parse("SPOT:0.01:0.9")).isEqualTo(new ThresholdSpec.Pot(0.01, 0.9));
        assertThat(ThresholdSpec.parse("dspot:0.001")).isEqualTo(new ThresholdSpec.Dspot(0.001, DriftPeaksOverThreshold.DEFAULT_DEPTH));
        assertThat(ThresholdSpec.parse(" dspot:0.002:25 ")).isEqualTo(new ThresholdSpec.Dspot(0.002, 25));
        assertThat(ThresholdSpec.parse("dspot:0.002:25").id()).isEqualTo("dspot:0.002:25");
        assertThat(ThresholdSpec.parse("dspot:0.002:10").id()).isEqualTo("dspot:0.002");
        assertThat(ThresholdSpec.parse("dspot:0.002").needsLabels()).isFalse();
    }

    @Test
    void givenBadSpotAndDspotSpecs_whenParsed_thenErrorsNameTheBadPart() {
        assertThatThrownBy(() -> ThresholdSpec.parse("spot:0")).hasMessageContaining("Invalid POT risk: 0.0");
        assertThatThrownBy(() -> ThresholdSpec.parse("spot:")).hasMessageContaining("'spot:' needs one value");
        assertThatThrownBy(() -> ThresholdSpec.parse("dspot")).hasMessageContaining("Threshold 'dspot' needs a risk and optionally a depth");
        assertThatThrownBy(() -> ThresholdSpec.parse("dspot:")).hasMessageContaining("Threshold 'dspot:' needs a risk");
        assertThatThrownBy(() -> ThresholdSpec.parse("dspot:0.001:10:3")).hasMessageContaining("'dspot:0.001:10:3' needs a risk");
        assertThatThrownBy(() -> ThresholdSpec.parse("dspot:abc")).hasMessageContaining("Invalid risk 'abc' in threshold 'dspot:abc'");
        assertThatThrownBy(() -> ThresholdSpec.parse("dspot:1.5")).hasMessageContaining("Invalid DSPOT risk: 1.5");
        assertThatThrownBy(() -> ThresholdSpec.parse("dspot:0.001:x")).hasMessageContaining("Invalid depth 'x' in threshold 'dspot:0.001:x'");
        assertThatThrownBy(() -> ThresholdSpec.parse("dspot:0.001:2.5")).hasMessageContaining("Invalid depth '2.5'");
        assertThatThrownBy(() -> ThresholdSpec.parse("dspot:0.001:")).hasMessageContaining("Invalid depth ''");
        assertThatThrownBy(() -> ThresholdSpec.parse("dspot:0.001:0")).hasMessageContaining("Invalid DSPOT depth: 0");
        assertThatThrownBy(() -> ThresholdSpec.parse("dpot:0.001")).hasMessageContaining("Unknown threshold 'dpot:0.001'")
                .hasMessageContaining("dspot:Q[:DEPTH]");
    }

    @Test
    void givenDspotSpec_whenFittedAndStreamed_thenTheCalibratedDspotThreshold() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(41);
        double[] series = new double[20_000];
        for (int i = 0; i < series.length; i++) {
            series[i] = 1e-3 * i - Math.log(1 - r.nextDouble());
        }
        ThresholdSpec.Dspot spec = (ThresholdSpec.Dspot) ThresholdSpec.parse("dspot:0.001:20");
        Threshold t = spec.fit(series, null, ScoreSettings.defaults(), "series");
        DriftPeaksOverThreshold paper = DriftPeaksOverThreshold.calibrate(series, 20, SpotSettings.paper(0.001, 0.98));
        assertThat(t.value()).isEqualTo(paper.threshold());
        assertThat(t.method()).isEqualTo("dspot:0.001:20");
        // The last 20 values are near 20, the residual threshold a few noise scales above their mean.
        assertThat(t.value()).isBetween(20.0, 30.0);
        DriftPeaksOverThreshold streamed = spec.stream(series);
        assertThat(streamed.state().settings()).isEqualTo(SpotSettings.streaming(0.001, 0.98));
        assertThat(streamed.threshold()).isEqualTo(t.value());
        PeaksOverThreshold spot = ((ThresholdSpec.Pot) ThresholdSpec.parse("spot:0.001")).stream(series);
        assertThat(spot.settings()).isEqualTo(SpotSettings.streaming(0.001, 0.98));
    }
}
