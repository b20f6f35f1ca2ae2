package dev.vae.anomaly.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vae.core.ScoreKind;
import dev.vae.core.ScoreSettings;
import dev.vae.core.VaeModel;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import dev.vae.core.testing.SharedData;
import dev.vae.train.TrainingConfig;
import dev.vae.train.VaeTrainer;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An ensemble's score is the mean of its members' scores, and so bounds the mixture's negative log-likelihood. */
class EnsembleScoringTest {

    private static VaeModel ensemble;
    private static Table breastw;

    @BeforeAll
    static void train() throws Exception {
        breastw = CsvReader.read(SharedData.require("data/breastw/breastw.csv"), CsvOptions.withLabel("label", Set.of()));
        TrainingConfig three = TrainingConfig.defaults().toBuilder().epochs(8).threads(1).seed(5).members(3).build();
        ensemble = new VaeTrainer(three).fit(breastw).model();
    }

    private static double[] mean(List<double[]> members) {
        double[] out = new double[members.get(0).length];
        for (double[] one : members) {
            for (int i = 0; i < out.length; i++) {
                out[i] += one[i];
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= members.size();
        }
        return out;
    }

    @Test
    void givenThreeMembers_whenEveryRowIsScored_thenEachScoreIsTheMeanOfTheMembersScoresBitForBit() {
        for (ScoreSettings settings : List.of(ScoreSettings.defaults(), new ScoreSettings(ScoreKind.NEGATIVE_ELBO, 4),
                new ScoreSettings(ScoreKind.RECONSTRUCTION, 0), new ScoreSettings(ScoreKind.IWAE, 8))) {
            double[] scores = new Scorer(ensemble, settings).score(breastw.values(), breastw.rows());
            double[] expected = mean(List.of(
                    new Scorer(ensemble.member(0), settings).score(breastw.values(), breastw.rows()),
                    new Scorer(ensemble.member(1), settings).score(breastw.values(), breastw.rows()),
                    new Scorer(ensemble.member(2), settings).score(breastw.values(), breastw.rows())));
            assertThat(scores).as(settings.toString()).containsExactly(expected);
        }
    }

    @Test
    void givenThreeMembers_whenExplained_thenEveryPartIsTheMembersMeanAndTheScoresAreThePlainOnes() {
        int rows = 300;
        float[] x = java.util.Arrays.copyOf(breastw.values(), rows * breastw.width());
        ScoreBreakdown parts = new Scorer(ensemble).explain(x, rows);
        List<ScoreBreakdown> members = List.of(new Scorer(ensemble.member(0)).explain(x, rows),
                new Scorer(ensemble.member(1)).explain(x, rows), new Scorer(ensemble.member(2)).explain(x, rows));

        assertThat(parts.scores()).containsExactly(new Scorer(ensemble).score(x, rows));
        assertThat(parts.reconstruction()).containsExactly(mean(members.stream().map(ScoreBreakdown::reconstruction).toList()));
        assertThat(parts.kl()).containsExactly(mean(members.stream().map(ScoreBreakdown::kl).toList()));
        assertThat(parts.featureContributions())
                .containsExactly(mean(members.stream().map(ScoreBreakdown::featureContributions).toList()));
    }

    @Test
    void givenOneMemberAsAList_whenScored_thenTheSingleModelsBits() {
        VaeModel one = ensemble.member(0);
        VaeModel listed = VaeModel.builder(List.of(one.network())).scaler(one.scaler()).featureNames(one.featureNames())
                .seed(one.seed()).build();
        assertThat(new Scorer(listed).score(breastw.values(), breastw.rows()))
                .containsExactly(new Scorer(one).score(breastw.values(), breastw.rows()));
    }

    @Test
    void givenMembersWithTheExactPosterior_whenIwaeScored_thenTheMeanIsTheExactNegativeLogLikelihood() {
        // Two copies of the closed-form model: the mixture is the model itself and each member's bound is tight.
        VaeModel exact = LinearGaussianVae.model(0, 0, 3);
        VaeModel twice = VaeModel.builder(List.of(exact.network(), LinearGaussianVae.model(0, 0, 4).network()))
                .seed(exact.seed()).build();
        float[] x = rows(30);
        double[] s = new Scorer(twice, new ScoreSettings(ScoreKind.IWAE, 16)).score(x, 30);
        for (int i = 0; i < 30; i++) {
            assertThat(s[i]).isCloseTo(LinearGaussianVae.negativeLogLikelihood(x, i * LinearGaussianVae.D), within(2e-4));
        }
    }

    @Test
    void givenAnExactAndAPerturbedPosterior_whenTheNegativeElboIsSampled_thenTheMeanBoundsTheMixturesNegativeLogLikelihood() {
        // Both members decode alike, so their mixture's likelihood is the closed form's. The expected negative ELBO of
        // each member lies above -log p(x) (by its KL to the true posterior: 0 for the exact encoder, more for the
        // perturbed one), and so does their mean. With 2,000 draws a row, the estimate's noise is far below the gap.
        VaeModel exact = LinearGaussianVae.model(0, 0, 3);
        VaeModel perturbed = LinearGaussianVae.model(0.4, -0.5, 3);
        VaeModel both = VaeModel.builder(List.of(exact.network(), perturbed.network())).seed(exact.seed()).build();
        ScoreSettings sampled = new ScoreSettings(ScoreKind.NEGATIVE_ELBO, 2000);
        float[] x = rows(30);
        double[] s = new Scorer(both, sampled).score(x, 30);
        double[] a = new Scorer(exact, sampled).score(x, 30);
        double[] b = new Scorer(perturbed, sampled).score(x, 30);
        double gap = 0;
        for (int i = 0; i < 30; i++) {
            assertThat(s[i]).isEqualTo((a[i] + b[i]) / 2);
            assertThat(s[i]).isBetween(Math.min(a[i], b[i]), Math.max(a[i], b[i]));
            gap += (s[i] - LinearGaussianVae.negativeLogLikelihood(x, i * LinearGaussianVae.D)) / 30;
        }
        assertThat(gap).isPositive();
    }

    private static float[] rows(int n) {
        SplittableRandom r = new SplittableRandom(9);
        float[] x = new float[n * LinearGaussianVae.D];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (4 * r.nextDouble() - 2);
        }
        return x;
    }
}
