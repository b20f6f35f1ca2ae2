package dev.vae.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vae.anomaly.score.ScoreBreakdown;
import dev.vae.anomaly.score.Scorer;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import dev.vae.core.testing.SharedData;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScoreVariantsTest {

    /** breastw's seed-0 training and test rows, labelled. */
    private static Table[] breastw() throws Exception {
        Table data = CsvReader.read(SharedData.require("data/breastw/breastw.csv"), CsvOptions.withLabel("label", Set.of()));
        Folds folds = Folds.read(SharedData.require("data/breastw/breastw.folds.csv"));
        return new Table[] {data.select(folds.train(0)), data.select(folds.test(0))};
    }

    @Test
    void givenBreastwSeed0AndAThreeEpochModel_whenScored_thenElboIsTheScorersScoreAndRecPlusKlIsElbo() throws Exception {
        Table[] rows = breastw();
        ScoreVariants.TrainedRun run = ScoreVariants.train(Candidate.parse("e=3", rows[0].width()), rows[0], rows[1], 0);

        Map<String, double[]> scores = ScoreVariants.scores(run.model(), run.train(), run.test());

        assertThat(scores.keySet()).containsExactlyElementsOf(ScoreVariants.SCORES);
        int n = run.test().rows();
        double[] scorer = new Scorer(run.model()).score(run.test().values(), n);
        assertThat(scores.get("elbo")).containsExactly(scorer);
        // The Scorer's own breakdown: rec is its reconstruction term, and rec + its KL term is elbo, bit for bit.
        ScoreBreakdown parts = new Scorer(run.model()).explain(run.test().values(), n);
        assertThat(scores.get("rec")).containsExactly(parts.reconstruction());
        for (int i = 0; i < n; i++) {
            assertThat(scores.get("rec")[i] + parts.kl()[i]).isEqualTo(scores.get("elbo")[i]);
            assertThat(parts.kl()[i]).isPositive();
        }
        // The per-feature terms the other scores use sum to the row's reconstruction term.
        ScoreVariants.Terms terms = ScoreVariants.Terms.of(run.model(), run.test());
        int d = terms.features();
        for (int i = 0; i < n; i++) {
            double sum = Arrays.stream(terms.featureNll(), i * d, (i + 1) * d).sum();
            assertThat(sum).isCloseTo(terms.reconstruction()[i], within(1e-9 * Math.abs(sum) + 1e-12));
        }
    }

    @Test
    void givenBreastwSeed0_whenRunThroughScoreVariants_thenItsElboRunIsTheProtocolsRun() throws Exception {
        Table[] rows = breastw();
        // Without and with the benchmark-side preparation (breastw's columns are integers 1..10: dq=1 adds noise).
        for (String spec : List.of("e=3", "e=3/sc=quantile/dq=1")) {
            Candidate c = Candidate.parse(spec, rows[0].width());

            List<RunResult> variants = ScoreVariants.run(c, "breastw", rows[0], rows[1], 0);
            RunResult protocol = Protocol.run(c, "breastw", rows[0], rows[1], 0);

            assertThat(variants).extracting(RunResult::candidate)
                    .containsExactlyElementsOf(ScoreVariants.SCORES.stream().map(s -> spec + "|" + s).toList());
            RunResult elbo = variants.get(0);
            assertThat(elbo.auroc()).as(spec).isEqualTo(protocol.auroc());
            assertThat(elbo.auprc()).as(spec).isEqualTo(protocol.auprc());
            assertThat(elbo.trainRows()).isEqualTo(protocol.trainRows());
            assertThat(elbo.epochs()).isEqualTo(protocol.epochs());
            assertThat(elbo.testAnomalies()).isEqualTo(protocol.testAnomalies());
        }
        assertThatThrownBy(() -> ScoreVariants.train(Candidate.parse("e=3/ens=2", 9), rows[0], rows[1], 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'e=3/ens=2'");
    }

    @Test
    void givenHandMadeFeatureTerms_whenTailIsComputed_thenEachFeaturesSurprisalIsMinusLogOfItsShareAtOrAbove() {
        // Four training rows, two features: column 0 = {1, 2, 2, 3}, column 1 = {0, 0, 0, 0}; n + 1 = 5.
        double[] train = {1, 0, 2, 0, 2, 0, 3, 0};
        double[] rows = {
            2, 0,       // 3 at or above 2 -> -log(4/5); 4 at or above 0 -> -log(5/5) = 0
            3.5, -1,    // none at or above 3.5 -> log 5; all four at or above -1 -> 0
            0.5, 0.1,   // all four -> 0; none at or above 0.1 -> log 5
            3, 0,       // 1 at or above 3 -> -log(2/5); 0
        };

        double[] tail = ScoreVariants.tailSurprisal(train, 4, rows, 4, 2);

        assertThat(tail).containsExactly(new double[] {Math.log(5 / 4.0), Math.log(5), Math.log(5), Math.log(2.5)},
                within(1e-12));
    }

    @Test
    void givenHandMadeFeatureTerms_whenFzIsComputed_thenRobustZWithTheFlooredIqr() {
        // Column 0 = {1, 2, 2, 3}: type-7 quartiles 1.75, 2, 2.25, so median 2 and IQR 0.5.
        // Column 1 = {0, 0, 0, 0}: median 0, IQR 0, floored to 1e-3.
        double[] train = {3, 0, 2, 0, 1, 0, 2, 0};
        double[] rows = {3, 0.002, 1.5, -0.001};

        double[] fz = ScoreVariants.robustZ(train, 4, rows, 2, 2);

        // (3 - 2) / 0.5 + 0.002 / 0.001 = 4; (1.5 - 2) / 0.5 - 0.001 / 0.001 = -2.
        assertThat(fz).containsExactly(new double[] {4, -2}, within(1e-9));
    }

    @Test
    void givenHandMadeTerms_whenScored_thenEachScoreIsItsFormula() {
        // One training row and two test rows of two features.
        ScoreVariants.Terms train = new ScoreVariants.Terms(1, 2, new double[] {1}, new double[] {0},
                new double[] {0.5, 0.5}, new double[] {0, 0}, new double[] {0});
        ScoreVariants.Terms test = new ScoreVariants.Terms(2, 2, new double[] {5, 1}, new double[] {0.5, 0.25},
                new double[] {2, 3, 0.5, 0.5}, new double[] {1, 1, 0.5, 0.25}, new double[] {4, 0.5});

        Map<String, double[]> s = ScoreVariants.scores(train, test);

        assertThat(s.get("elbo")).containsExactly(5.5, 1.25);
        assertThat(s.get("rec")).containsExactly(5, 1);
        assertThat(s.get("excess")).containsExactly(3, 0.25);
        assertThat(s.get("excess+kl")).containsExactly(3.5, 0.5);
        assertThat(s.get("mse")).containsExactly(4, 0.5);
        // One training row: median 0.5 and IQR floored, so fz = sum (nll - 0.5) / 1e-3.
        assertThat(s.get("fz")).containsExactly(new double[] {4000, 0}, within(1e-9));
        assertThat(s.get("fz+kl")).containsExactly(new double[] {4000.5, 0.25}, within(1e-9));
        // One training row: each feature adds log 2 above it, 0 at or below it.
        assertThat(s.get("tail")).containsExactly(new double[] {2 * Math.log(2), 0}, within(1e-12));
        assertThat(s.get("tail+kl")).containsExactly(new double[] {2 * Math.log(2) + 0.5, 0.25}, within(1e-12));
    }

    @Test
    void givenRunsOfTwoSuiteSetsAndAHeldOutOne_whenSummarised_thenMeansOfSetMeansPerScore() {
        List<RunResult> runs = new java.util.ArrayList<>();
        for (String score : ScoreVariants.SCORES) {
            double bump = score.equals("rec") ? 0.1 : 0;
            runs.add(run("d|" + score, "pima", 0, 0.6 + bump));
            runs.add(run("d|" + score, "pima", 1, 0.8 + bump));
            runs.add(run("d|" + score, "sonar", 0, 0.5 + bump));
            runs.add(run("d|" + score, "wine", 0, 0.9 + bump));
        }

        String summary = ScoreVariants.summary("d", runs);

        // elbo: sets 0.7, 0.5, 0.9 -> 0.7 over all three, 0.6 over the suite sets, 0.9 held-out; rec: each + 0.1.
        assertThat(summary).contains("| AUROC, 3 sets |").contains("| AUROC, 2 suite sets | AUROC, 1 held-out |")
                .contains("| elbo | 0.7000 | 0.3500 | 0.6000 | 0.9000 |")
                .contains("| rec | 0.8000 | 0.4000 | 0.7000 | 1.0000 |");
    }

    private static RunResult run(String candidate, String set, int seed, double auroc) {
        return new RunResult(candidate, set, seed, auroc, auroc / 2, 1, 3, 3, 10, 5, 1, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN);
    }
}
