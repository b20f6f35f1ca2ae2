package dev.vae.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vae.core.testing.SharedData;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The epoch summary of a trimmed run on real data (Wisconsin breast cancer, 35% malignant, labels unused) reports
 * the loss the gradient minimised (kept rows), the rows trimming left out and their loss, and the all-rows mean
 * apart, so that a climbing left-out loss is not read as divergence.
 */
class TrimmedLossReportTest {

    static final int WARMUP = 5;
    static Table data;
    static List<EpochStats> history;

    @BeforeAll
    static void train() throws Exception {
        data = CsvReader.read(SharedData.require("data/breastw/breastw.csv"), CsvOptions.withLabel("label", Set.of()));
        // The library defaults (adaptive trimming auto:0.3 after 5 epochs), run to the end without early stopping.
        TrainingConfig config = TrainingConfig.defaults().toBuilder().epochs(40).patience(0).threads(1).seed(11)
                .trimWarmupEpochs(WARMUP).build();
        history = new VaeTrainer(config).fit(data).history();
    }

    @Test
    void givenTheWarmUpEpochs_whenReported_thenEveryRowIsKeptAndTheAllRowsLossIsTheLoss() {
        for (EpochStats s : history.subList(0, WARMUP)) {
            assertThat(s.leftOutRows()).as("epoch %d", s.epoch()).isZero();
            assertThat(s.leftOutLoss()).as("epoch %d", s.epoch()).isNaN();
            assertThat(s.allRowsLoss()).as("epoch %d", s.epoch()).isEqualTo(s.loss());
        }
    }

    @Test
    void givenTrimmingEpochs_whenReported_thenKeptLossIsAtMostTheAllRowsLossWhichIsAtMostTheLeftOutLoss() {
        List<EpochStats> trimmed = history.subList(WARMUP, history.size());
        int trainRows = data.rows() - (int) Math.floor(0.1 * data.rows());
        assertThat(trimmed).allSatisfy(s -> {
            assertThat(s.leftOutRows()).as("epoch %d", s.epoch()).isBetween(1, (int) Math.floor(0.3 * trainRows));
            assertThat(s.loss()).as("epoch %d", s.epoch()).isLessThanOrEqualTo(s.allRowsLoss());
            assertThat(s.allRowsLoss()).as("epoch %d", s.epoch()).isLessThanOrEqualTo(s.leftOutLoss());
            // The three means are of one partition of the training rows.
            int kept = trainRows - s.leftOutRows();
            assertThat(kept * s.loss() + s.leftOutRows() * s.leftOutLoss())
                    .as("epoch %d", s.epoch()).isCloseTo(trainRows * s.allRowsLoss(), within(1e-6 * trainRows * s.allRowsLoss()));
            // loss stays reconstruction + beta * KL (beta = 1 after the defaults' KL warm-up).
            assertThat(s.reconstruction() + s.kl()).as("epoch %d", s.epoch()).isCloseTo(s.loss(), within(1e-9 * Math.abs(s.loss())));
        });
    }

    @Test
    void givenTrimmingEpochs_whenReported_thenTheMinimisedLossFallsWhileTheLeftOutRowsAreExplainedLess() {
        EpochStats first = history.get(WARMUP);
        EpochStats last = history.get(history.size() - 1);
        assertThat(last.loss()).isLessThan(first.loss());
        // The gap the old single curve hid: left-out rows end far above the kept ones.
        assertThat(last.leftOutLoss()).isGreaterThan(2 * last.loss());
    }
}
