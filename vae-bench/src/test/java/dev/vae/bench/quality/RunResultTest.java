package dev.vae.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.core.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunResultTest {

    @TempDir
    Path dir;

    @Test
    void givenRunsWithFlagMetrics_whenWrittenAndRead_thenEveryFieldComesBack() throws IOException {
        // Values with at most six decimals (three for the seconds) survive the CSV's rounding exactly.
        // precision, recall, F1, share flagged: 0.8 / 0.2 / 0.5 / 0.1 and 0.6 / 0.4 / 0.7 / 0.2.
        List<RunResult> runs = List.of(
                new RunResult("defaults", "pima", 0, 0.6875, 0.5, 1.25, 42, 32, 537, 231, 81, 0.625, 0.5, 0.555556,
                        0.28125),
                new RunResult("mix=gaussian+bernoulli/\"q\",x", "fashion_mnist/3", 4, 0.9, 0.123456, 0.001, 100, 100,
                        6000, 10000, 9000, 0, 0, 0, 0));
        Path csv = dir.resolve("runs.csv");
        Files.write(csv, List.of(RunResult.CSV_HEADER, runs.get(0).csv(), runs.get(1).csv()));

        assertThat(RunResult.readCsv(csv)).isEqualTo(runs);
        assertThat(RunResult.CSV_HEADER).endsWith(",test_anomalies,precision,recall,f1,flagged_share");
    }

    @Test
    void givenACsvOfElevenFieldsFromBeforeTheFlags_whenRead_thenItsRunsHaveNaNFlagMetrics() throws IOException {
        // The first run of docs/data/suite-defaults-session9.csv.
        Path csv = dir.resolve("old.csv");
        Files.write(csv, List.of(
                "candidate,set,seed,auroc,auprc,train_seconds,epochs,best_epoch,train_rows,test_rows,test_anomalies",
                "\"defaults\",shuttle,0,0.996667,0.928765,19.529,55,45,34367,14730,1053"));

        assertThat(RunResult.readCsv(csv)).containsExactly(new RunResult("defaults", "shuttle", 0, 0.996667, 0.928765,
                19.529, 55, 45, 34367, 14730, 1053, Double.NaN, Double.NaN, Double.NaN, Double.NaN));
    }

    @Test
    void givenTheSavedSessionNineCsv_whenReadAndReported_thenItsSetsAreTabledWithADashForTheF1() throws IOException {
        SharedData.require("data/baselines.csv");
        Path saved = Suite.heldOutRoot().resolve("../../docs/data/suite-defaults-session9.csv").normalize();
        List<RunResult> runs = RunResult.readCsv(saved);
        Suite.Plan plan = new Suite.Plan(List.of("defaults"), Suite.ALL, 5, 1, List.of(), List.of(), 0,
                SharedData.root(), Suite.heldOutRoot());

        String report = Suite.tabularReport(plan, runs, Suite.tabularBaselines(plan));

        assertThat(runs).hasSize(65).allSatisfy(r -> assertThat(r.f1()).isNaN());
        assertThat(report).contains("| shuttle | sel |").contains("| **mean of 13** |")
                .containsPattern("\\| selection \\| 7 \\| [0-9.]+ \\| [0-9.]+ \\| - \\|");
    }

    @Test
    void givenALineWithTooFewFieldsForItsHeader_whenRead_thenRefusedNamingTheLine() throws IOException {
        Path csv = dir.resolve("short.csv");
        Files.write(csv, List.of(RunResult.CSV_HEADER,
                "\"defaults\",shuttle,0,0.996667,0.928765,19.529,55,45,34367,14730,1053"));

        assertThatThrownBy(() -> RunResult.readCsv(csv)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("short.csv:2").hasMessageContaining("expected 15 fields");
    }

    @Test
    void givenTwoImageRuns_whenReported_thenEachClassAndTheMeanShowTheFlagsBesideTheBaselines() throws IOException {
        Path baselines = SharedData.require("data/fashion_oneclass_baselines.csv");
        Suite.Plan plan = new Suite.Plan(List.of("defaults"), List.of(), 1, 1, List.of(ImageSet.FASHION),
                List.of(0, 1), 0, SharedData.root(), Suite.heldOutRoot());
        // precision, recall, F1, share flagged: 0.8 / 0.2 / 0.5 / 0.1 and 0.6 / 0.4 / 0.7 / 0.2.
        List<RunResult> runs = List.of(
                new RunResult("defaults", "fashion_mnist/0", 0, 0.9, 0.98, 50, 90, 80, 6000, 10000, 9000, 0.8, 0.2, 0.5, 0.1),
                new RunResult("defaults", "fashion_mnist/1", 0, 0.95, 0.99, 50, 90, 80, 6000, 10000, 9000, 0.6, 0.4, 0.7, 0.2));

        String report = Suite.imageReport(plan, ImageSet.FASHION, runs, Baselines.read(baselines));

        assertThat(report).contains("| class | AUROC | AUPRC | F1 of the default threshold (P / R) | iforest |")
                .contains("| 0 | 0.9000 | 0.9800 | 0.500 (0.80 / 0.20) | 0.912 |")
                .contains("| 1 | 0.9500 | 0.9900 | 0.700 (0.60 / 0.40) |")
                // Means: F1 (0.5 + 0.7) / 2, precision (0.8 + 0.6) / 2, recall (0.2 + 0.4) / 2.
                .contains("| **mean of 2** | **0.9250** | **0.9850** | 0.600 (0.70 / 0.30) |");
    }
}
