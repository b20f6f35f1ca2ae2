package dev.vae.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.anomaly.threshold.Quantiles;
import dev.vae.anomaly.threshold.ThresholdSpec;
import dev.vae.core.ScoreSettings;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import dev.vae.core.testing.SharedData;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ThresholdVariantsTest {

    private static final ScoreSettings SCORE = ScoreSettings.defaults();

    /** {@code low} scores near 10 and {@code high} scores near 50: two modes, the upper one of size {@code high}. */
    private static double[] twoModes(int low, int high) {
        SplittableRandom r = new SplittableRandom(3);
        double[] v = new double[low + high];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i < low ? 10 : 50) + r.nextGaussian();
        }
        return v;
    }

    @Test
    void givenAMinorityAnomalyMode_whenTheRulesAreFitted_thenSplitMinorityIsSplitAndTrimShareIsItsQuantile() {
        double[] v = twoModes(90, 10);
        double split = ThresholdSpec.parse("split").fit(v, null, SCORE, "v").value();

        assertThat(split).isBetween(12.0, 48.0);
        assertThat(ThresholdVariants.fit("split-minority", v, 0.1, SCORE).value()).isEqualTo(split);
        assertThat(ThresholdVariants.fit("trim-share", v, 0.1, SCORE).value()).isEqualTo(Quantiles.quantile(v, 0.9));
        assertThat(ThresholdVariants.fit("trim-share-gated", v, 0.1, SCORE).value())
                .isEqualTo(Quantiles.quantile(v, 0.9));
    }

    @Test
    void givenAnUpperModeOfMostRows_whenSplitMinorityIsFitted_thenItFallsBackToThreeSigmas() {
        double[] v = twoModes(20, 80);
        double sigma = ThresholdSpec.parse("sigma:3").fit(v, null, SCORE, "v").value();

        assertThat(ThresholdSpec.parse("split").fit(v, null, SCORE, "v").value()).isLessThan(48.0);
        assertThat(ThresholdVariants.fit("split-minority", v, 0.1, SCORE).value()).isEqualTo(sigma);
    }

    @Test
    void givenOneModeOrNoTrimming_whenTheTrimShareRulesAreFitted_thenTheGatedOneAndAZeroShareFallBack() {
        double[] oneMode = new double[200];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < oneMode.length; i++) {
            oneMode[i] = 20 + r.nextGaussian();
        }
        double sigma = ThresholdSpec.parse("sigma:3").fit(oneMode, null, SCORE, "v").value();

        assertThat(ThresholdVariants.fit("trim-share-gated", oneMode, 0.2, SCORE).value()).isEqualTo(sigma);
        assertThat(ThresholdVariants.fit("trim-share", oneMode, 0.2, SCORE).value())
                .isEqualTo(Quantiles.quantile(oneMode, 0.8));
        assertThat(ThresholdVariants.fit("trim-share", oneMode, 0.0, SCORE).value()).isEqualTo(sigma);
        // Too few rows above pot's initial level for a tail fit: sigma:3 instead of a failure.
        double[] few = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertThat(ThresholdVariants.fit("pot:0.01", few, 0, SCORE).value())
                .isEqualTo(ThresholdSpec.parse("sigma:3").fit(few, null, SCORE, "v").value());
    }

    @Test
    void givenAnUnknownRule_whenFitted_thenTheErrorNamesItAndTheRules() {
        assertThatThrownBy(() -> ThresholdVariants.fit("median", new double[] {1, 2, 3}, 0, SCORE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'median'")
                .hasMessageContaining("trim-share-gated");
    }

    @Test
    void givenBreastwSeed0_whenRun_thenEveryRuleSharesTheModelAndSplitFlagsAsTheSuitesDefault() throws Exception {
        Table data = CsvReader.read(SharedData.require("data/breastw/breastw.csv"), CsvOptions.withLabel("label",
                Set.of()));
        Folds folds = Folds.read(SharedData.require("data/breastw/breastw.folds.csv"));
        Table train = data.select(folds.train(0));
        Table test = data.select(folds.test(0));
        Candidate c = Candidate.parse("e=8", train.width());

        List<RunResult> runs = ThresholdVariants.run(c, "breastw", train, test, 0);
        RunResult suite = Protocol.run(c, "breastw", train, test, 0);

        assertThat(runs).extracting(RunResult::candidate).containsExactlyElementsOf(
                ThresholdVariants.RULES.stream().map(rule -> "e=8|th=" + rule).toList());
        assertThat(runs).allSatisfy(r -> {
            assertThat(r.auroc()).isEqualTo(suite.auroc());
            assertThat(r.auprc()).isEqualTo(suite.auprc());
            assertThat(r.f1()).isBetween(0.0, 1.0);
        });
        RunResult split = runs.get(0);
        assertThat(split.f1()).isEqualTo(suite.f1());
        assertThat(split.flaggedShare()).isEqualTo(suite.flaggedShare());
    }
}
