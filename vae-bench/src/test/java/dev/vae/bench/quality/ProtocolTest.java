package dev.vae.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vae.anomaly.Detector;
import dev.vae.anomaly.TrainedDetector;
import dev.vae.anomaly.eval.RankingMetrics;
import dev.vae.anomaly.score.Scorer;
import dev.vae.anomaly.threshold.ThresholdSpec;
import dev.vae.core.ScoreSettings;
import dev.vae.core.Threshold;
import dev.vae.core.VaeModel;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import dev.vae.core.testing.SharedData;
import dev.vae.train.TrainingConfig;
import java.io.IOException;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProtocolTest {

    private static Table train;
    private static Table test;

    /** breastw's fold s0, as the suite cuts it. */
    @BeforeAll
    static void readBreastw() throws IOException {
        Table data = CsvReader.read(SharedData.require("data/breastw/breastw.csv"), CsvOptions.withLabel("label", Set.of()));
        Folds folds = Folds.read(SharedData.require("data/breastw/breastw.folds.csv"));
        train = data.select(folds.train(0));
        test = data.select(folds.test(0));
    }

    private static Threshold threshold(double value) {
        return new Threshold(value, "fixed:" + value, "given by the test", ScoreSettings.defaults());
    }

    @Test
    void givenScoresAndLabels_whenFlaggedAtAThreshold_thenPrecisionRecallF1AndShareOfTheHandCounts() {
        double[] scores = {1, 2, 3, 4, 5};
        int[] labels = {0, 0, 1, 0, 1};

        // Above 2.5: rows 3, 4, 5 -> tp 2, fp 1, fn 0: P 2/3, R 1, F1 2 * 2 / (2 * 2 + 1) = 0.8, 3 of 5 flagged.
        assertThat(Protocol.Flags.of(scores, labels, threshold(2.5)))
                .isEqualTo(new Protocol.Flags(2.0 / 3, 1.0, 0.8, 0.6));
        // Strictly above: a score equal to the threshold is not flagged. Rows 4, 5 -> tp 1, fp 1, fn 1.
        assertThat(Protocol.Flags.of(scores, labels, threshold(3))).isEqualTo(new Protocol.Flags(0.5, 0.5, 0.5, 0.4));
        // Nothing flagged: precision 0 by convention (not NaN), recall 0, F1 0.
        assertThat(Protocol.Flags.of(scores, labels, threshold(10))).isEqualTo(new Protocol.Flags(0, 0, 0, 0));
        assertThatThrownBy(() -> Protocol.Flags.of(scores, new int[] {0, 1}, threshold(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5 vs 2");
    }

    @Test
    void givenBreastwDefaults_whenRun_thenTheFlagMetricsAreThoseOfTheModelsOwnDefaultThresholdOnTheTestScores() {
        Candidate defaults = Candidate.parse("defaults", train.width()).withEpochs(3);

        Protocol.Outcome outcome = Protocol.runKeepingModels(defaults, "breastw", train, test, 0);

        RunResult r = outcome.result();
        assertThat(outcome.members()).hasSize(1);
        Threshold threshold = outcome.threshold();
        assertThat(outcome.members().get(0).threshold()).isEqualTo(threshold);
        assertThat(threshold.method()).startsWith("split");
        // Fitted on the trainer's validation split: a tenth of the training rows, not the training rows.
        assertThat(outcome.thresholdRows().rows())
                .isEqualTo((int) Math.floor(r.trainRows() * TrainingConfig.defaults().validationFraction()))
                .isLessThan(r.trainRows());

        // Recount by hand from the model's own scores of the test rows and its threshold's value.
        double[] scores = new Scorer(outcome.members().get(0)).score(test.values(), test.rows());
        int[] labels = test.labels();
        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean flagged = scores[i] > threshold.value();
            tp += flagged && labels[i] == 1 ? 1 : 0;
            fp += flagged && labels[i] == 0 ? 1 : 0;
            fn += !flagged && labels[i] == 1 ? 1 : 0;
        }
        assertThat(tp + fp).as("breastw's anomalies stand out: some rows are flagged").isPositive();
        double precision = (double) tp / (tp + fp);
        double recall = (double) tp / (tp + fn);
        assertThat(r.precision()).isCloseTo(precision, within(1e-12));
        assertThat(r.recall()).isCloseTo(recall, within(1e-12));
        assertThat(r.f1()).isCloseTo(2 * precision * recall / (precision + recall), within(1e-12));
        assertThat(r.flaggedShare()).isCloseTo((double) (tp + fp) / test.rows(), within(1e-12));
        // The same scores give the ranking metrics.
        assertThat(r.auroc()).isEqualTo(RankingMetrics.auroc(scores, labels));
        assertThat(r.testAnomalies()).isEqualTo(tp + fn);
    }

    @Test
    void givenBreastwDefaults_whenRun_thenTheThresholdIsTheOneVaeTrainsDetectorBuilderFitsOnTheSameRows() {
        Candidate defaults = Candidate.parse("defaults", train.width()).withEpochs(3);
        Protocol.Outcome outcome = Protocol.runKeepingModels(defaults, "breastw", train, test, 0);

        // vae train's path (TrainCommand): Detector.builder().training(config).threshold(spec).fit(table), on the
        // training rows without their labels, with the run's trainer configuration.
        Table unlabelled = new Table(train.columns(), train.values(), train.rows(), null, train.source());
        TrainedDetector user = Detector.builder().training(defaults.members(0, train).get(0))
                .threshold(ThresholdSpec.defaults()).fit(unlabelled);

        assertThat(outcome.threshold()).isEqualTo(user.threshold());
        assertThat(outcome.thresholdRows().values()).isEqualTo(user.thresholdRows().values());
    }

    @Test
    void givenAThresholdKey_whenRun_thenTheFlagsComeFromThatSpecAndTheScoresAreUnchanged() {
        Candidate defaults = Candidate.parse("defaults", train.width()).withEpochs(3);
        Candidate sigma = Candidate.parse("th=sigma:2", train.width()).withEpochs(3);
        assertThat(sigma.threshold()).isEqualTo(ThresholdSpec.parse("sigma:2"));
        assertThat(defaults.threshold()).isEqualTo(ThresholdSpec.defaults());

        Protocol.Outcome a = Protocol.runKeepingModels(defaults, "breastw", train, test, 0);
        Protocol.Outcome b = Protocol.runKeepingModels(sigma, "breastw", train, test, 0);

        assertThat(b.threshold().method()).isEqualTo("sigma:2.0");
        // The same model and rows: the threshold is the validation scores' mean + 2 sample standard deviations, and
        // AUROC does not move.
        double[] validation = new Scorer(b.members().get(0)).score(b.thresholdRows().values(), b.thresholdRows().rows());
        double mean = java.util.Arrays.stream(validation).average().orElseThrow();
        double sd = Math.sqrt(java.util.Arrays.stream(validation).map(v -> (v - mean) * (v - mean)).sum()
                / (validation.length - 1));
        assertThat(b.threshold().value()).isCloseTo(mean + 2 * sd, within(1e-9 * Math.abs(mean + 2 * sd)));
        assertThat(b.result().auroc()).isEqualTo(a.result().auroc());
        assertThat(b.result().auprc()).isEqualTo(a.result().auprc());
    }

    @Test
    void givenSpikeColumns_whenAppended_thenTheyAreSeededNoiseZeroInAboutNinetyNinePercentAndTheRowsAreKept() {
        Table spiked = Protocol.spiked(train, 5, 11);

        int d = train.width();
        assertThat(spiked.width()).isEqualTo(d + 5);
        assertThat(spiked.columns().subList(d, d + 5)).containsExactly("spike0", "spike1", "spike2", "spike3", "spike4");
        assertThat(spiked.labels()).isEqualTo(train.labels());
        int nonZero = 0;
        for (int i = 0; i < spiked.rows(); i++) {
            for (int j = 0; j < d; j++) {
                assertThat(spiked.values()[i * (d + 5) + j]).isEqualTo(train.values()[i * d + j]);
            }
            for (int j = d; j < d + 5; j++) {
                float v = spiked.values()[i * (d + 5) + j];
                assertThat(v == 0 || (v >= 1 && v <= 16 && v == Math.rint(v))).as("spike value %s", v).isTrue();
                nonZero += v != 0 ? 1 : 0;
            }
        }
        // 478 rows x 5 columns at 1%: 23.9 expected; 5 sigma is about 24 either way.
        assertThat(nonZero).isBetween(1, 48);
        assertThat(Protocol.spiked(train, 5, 11).values()).isEqualTo(spiked.values());
        assertThat(Protocol.spiked(train, 0, 11)).isSameAs(train);
        assertThatThrownBy(() -> Candidate.parse("spike=-1", 9)).hasMessageContaining("-1");
    }

    @Test
    void givenAnEnsemble_whenRun_thenItIsOneModelOfTwoNetworksWhoseThresholdIsFittedOnItsOwnScores() {
        Candidate ensemble = Candidate.parse("ens=2", train.width()).withEpochs(3);

        Protocol.Outcome outcome = Protocol.runKeepingModels(ensemble, "breastw", train, test, 0);

        assertThat(outcome.members()).hasSize(1);
        VaeModel model = outcome.members().get(0);
        assertThat(model.memberCount()).isEqualTo(2);
        Table rows = outcome.thresholdRows();
        Threshold expected = ThresholdSpec.defaults().fit(new Scorer(model).score(rows.values(), rows.rows()), null,
                ScoreSettings.defaults(), "");
        assertThat(outcome.threshold().value()).isEqualTo(expected.value());
        assertThat(outcome.threshold().method()).isEqualTo(expected.method()).startsWith("split");
        assertThat(model.threshold()).isEqualTo(outcome.threshold());

        double[] scores = new Scorer(model).score(test.values(), test.rows());
        double[] first = new Scorer(model.member(0)).score(test.values(), test.rows());
        double[] second = new Scorer(model.member(1)).score(test.values(), test.rows());
        int flagged = 0;
        for (int i = 0; i < scores.length; i++) {
            assertThat(scores[i]).isEqualTo((first[i] + second[i]) / 2);
            flagged += scores[i] > expected.value() ? 1 : 0;
        }
        assertThat(outcome.result().flaggedShare()).isEqualTo((double) flagged / test.rows());
    }
}
