package dev.vae.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.VaeModel;
import dev.vae.core.io.ModelFile;
import dev.vae.core.testing.SharedData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainCommandTest {

    @TempDir
    Path dir;

    private record Run(int status, String err) {
    }

    private static Run vae(String... args) {
        CommandLine cl = VaeCommand.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        int status = cl.execute(args);
        return new Run(status, err.toString());
    }

    private static List<String> args(Path data, String... more) {
        List<String> a = new ArrayList<>(List.of("train", "--data", data.toString(), "--label-column", "label",
                "--hidden", "16", "--latent", "3", "--threads", "1"));
        a.addAll(List.of(more));
        return a;
    }

    @Test
    void givenGreyValuesAndABernoulliLikelihood_whenTrained_thenOneWarningLineSuggestsTheGaussian() throws Exception {
        Path data = SharedData.require("data/breastw/breastw.csv");
        Run grey = vae(args(data, "--epochs", "1", "--likelihood", "bernoulli", "--out", dir.resolve("b.vae").toString())
                .toArray(String[]::new));
        assertThat(grey.status()).as(grey.err()).isZero();
        assertThat(grey.err().lines().filter(l -> l.startsWith("warning:") && l.contains("Bernoulli")))
                .singleElement().asString().contains("--likelihood gaussian");
        Run gaussian = vae(args(data, "--epochs", "1", "--out", dir.resolve("g.vae").toString()).toArray(String[]::new));
        assertThat(gaussian.err()).doesNotContain("Bernoulli");
    }

    @Test
    void givenSpamsNearConstantColumns_whenTrained_thenTheDefaultSaysWhyItIsTheStudentTAndAGaussianIsWarned()
            throws Exception {
        Path data = SharedData.require("data/spam/spam.csv");
        Run defaults = vae(args(data, "--epochs", "1", "--out", dir.resolve("s.vae").toString()).toArray(String[]::new));
        assertThat(defaults.status()).as(defaults.err()).isZero();
        assertThat(defaults.err()).contains("likelihood: student-t:nu=16, the default for a table with near-constant"
                + " columns: 2 columns hold one value in 99% or more of the rows (num3d, font)").doesNotContain("warning:");
        assertThat(ModelFile.read(dir.resolve("s.vae")).architecture().likelihood().id()).isEqualTo("student-t:nu=16");

        Run gaussian = vae(args(data, "--epochs", "1", "--likelihood", "gaussian:logvar-bound=2", "--out",
                dir.resolve("g.vae").toString()).toArray(String[]::new));
        assertThat(gaussian.err().lines().filter(l -> l.startsWith("warning:")))
                .singleElement().asString().startsWith("warning: 2 columns hold one value in 99% or more of the rows"
                        + " (num3d, font);").contains("--likelihood student-t:nu=16");
        assertThat(gaussian.err()).doesNotContain("likelihood: student-t");
    }

    @Test
    void givenSonarsTenValidationRows_whenTheDefaultThresholdFlagsMostOfThem_thenAWarningSaysSoAndAStatedShareIsKept()
            throws Exception {
        Path data = SharedData.require("data/sonar/sonar.csv");
        Run defaults = vae("train", "--data", data.toString(), "--label-column", "label", "--out",
                dir.resolve("d.vae").toString());
        assertThat(defaults.status()).as(defaults.err()).isZero();
        // The split of sonar's ten validation scores puts eight in its upper class (the summary line says 80.0%).
        assertThat(defaults.err()).contains("split: 80.0% above").contains("warning: 8 of the 10 rows the threshold"
                + " was fitted on lie above it").contains("threshold contamination:C").contains("(vae report)");

        Run stated = vae("train", "--data", data.toString(), "--label-column", "label", "--threshold",
                "quantile:0.3", "--out", dir.resolve("c.vae").toString());
        assertThat(stated.status()).as(stated.err()).isZero();
        assertThat(stated.err()).contains("quantile:0.3").doesNotContain("lie above it");
    }

    @Test
    void givenAHugeLearningRate_whenTrainedFromTheCli_thenItExitsNonZeroWithOneLineAndWritesNoModel() throws Exception {
        Path data = SharedData.require("data/breastw/breastw.csv");
        Path model = dir.resolve("m.vae");
        Path history = dir.resolve("h.json");
        Run r = vae(args(data, "--epochs", "20", "--learning-rate", "10", "--history", history.toString(),
                "--out", model.toString()).toArray(String[]::new));
        assertThat(r.status()).isNotZero();
        List<String> errors = r.err().lines().filter(l -> l.contains("error")).toList();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).matches("train: error: Training diverged at epoch \\d+, batch \\d+: .*");
        assertThat(r.err()).doesNotContain("Exception");
        assertThat(model).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("m.vae"));
        }
        assertThat(Files.readString(history)).contains("\"stop_reason\"").contains("diverged");
    }

    @Test
    void givenAThresholdItCannotFit_whenTrained_thenRefusedInOneLineBeforeAnyEpoch() throws Exception {
        Path data = SharedData.require("data/breastw/breastw.csv");
        Path ckpt = dir.resolve("run.ckpt");
        Run unknown = vae("train", "--data", data.toString(), "--threshold", "median", "--epochs", "2", "--checkpoint",
                ckpt.toString(), "--out", dir.resolve("u.vae").toString());
        assertThat(unknown.status()).isNotZero();
        assertThat(unknown.err()).contains("Unknown threshold 'median'").doesNotContain("epoch 1/2");
        Run unlabelled = vae("train", "--data", data.toString(), "--drop-columns", "label", "--threshold", "f1",
                "--epochs", "2", "--checkpoint", ckpt.toString(), "--out", dir.resolve("f.vae").toString());
        assertThat(unlabelled.status()).isNotZero();
        assertThat(unlabelled.err()).contains("Threshold 'f1' needs labels, but " + data + " has none")
                .doesNotContain("epoch 1/2");
        assertThat(ckpt).doesNotExist();
        assertThat(dir.resolve("u.vae")).doesNotExist();
        assertThat(dir.resolve("f.vae")).doesNotExist();
    }

    @Test
    void givenMetricsHistoryAndCheckpointOptions_whenTrained_thenAllFilesAgreeWithTheRun() throws Exception {
        Path data = SharedData.require("data/breastw/breastw.csv");
        Path model = dir.resolve("m.vae");
        Path metrics = dir.resolve("train.prom");
        Path history = dir.resolve("h.json");
        Path ckpt = dir.resolve("run.ckpt");
        Run r = vae(args(data, "--epochs", "3", "--kl-warmup", "2", "--clip-norm", "100", "--metrics",
                metrics.toString(), "--history", history.toString(), "--checkpoint", ckpt.toString(),
                "--checkpoint-every", "2", "--out", model.toString()).toArray(String[]::new));
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains("epoch 1/3").contains("epoch 3/3").contains("rows/s");
        VaeModel m = ModelFile.read(model);
        assertThat(m.provenance()).containsEntry("trainer.kl-warmup-epochs", "2").containsEntry("trainer.threads", "1");
        String prom = Files.readString(metrics, StandardCharsets.UTF_8);
        assertThat(prom).contains("# TYPE vae_train_epoch_seconds summary").contains("vae_train_epoch_seconds_count 3")
                .contains("# TYPE vae_train_loss_nats gauge").contains("vae_train_rows_total")
                .contains("vae_train_kl_nats").contains("vae_train_reconstruction_nats");
        assertThat(Files.readString(history)).contains("\"epochs\"").contains("\"rows_per_s\"");
        assertThat(dev.vae.train.Checkpoint.read(ckpt).epoch()).isEqualTo(2);

        // Resuming from the epoch-2 checkpoint reaches the same weights as the uninterrupted run.
        Path resumed = dir.resolve("r.vae");
        Run again = vae(args(data, "--epochs", "3", "--kl-warmup", "2", "--clip-norm", "100", "--resume",
                ckpt.toString(), "--out", resumed.toString()).toArray(String[]::new));
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(ModelFile.read(resumed).nativeNetwork().parameters()).containsExactly(m.nativeNetwork().parameters());
    }

    @Test
    void givenTrimmedTraining_whenTheHistoryIsWritten_thenEachEpochSplitsKeptAndLeftOutRowsUnderTheirOwnKeys()
            throws Exception {
        Path data = SharedData.require("data/breastw/breastw.csv");
        Path history = dir.resolve("h.json");
        Run r = vae(args(data, "--epochs", "8", "--trim", "auto:0.3", "--trim-warmup", "3", "--patience", "0",
                "--history", history.toString(), "--out", dir.resolve("m.vae").toString()).toArray(String[]::new));
        assertThat(r.status()).as(r.err()).isZero();
        String json = Files.readString(history, StandardCharsets.UTF_8);
        // SPEC section 6's keys stay; the split is added.
        for (String key : List.of("epoch", "loss", "reconstruction", "kl", "validation_loss", "seconds", "rows_per_s",
                "all_rows_loss", "left_out_loss", "left_out_rows")) {
            assertThat(json).contains("\"" + key + "\":");
        }
        // Before trimming starts nothing is left out (null loss); after, the epoch line names the left-out rows.
        assertThat(json).containsPattern("\"left_out_loss\":\\s*null");
        assertThat(r.err()).contains("rows out of the gradient");
        List<dev.vae.train.EpochStats> read = HistoryFile.read(history);
        assertThat(read).hasSize(8);
        assertThat(read.subList(0, 3)).allSatisfy(s -> assertThat(s.leftOutRows()).isZero());
        assertThat(read.subList(3, 8)).allSatisfy(s -> {
            assertThat(s.leftOutRows()).isPositive();
            assertThat(s.loss()).isLessThanOrEqualTo(s.allRowsLoss());
            assertThat(s.allRowsLoss()).isLessThanOrEqualTo(s.leftOutLoss());
        });
    }

    @Test
    void givenACheckpointOfOtherOptions_whenResumed_thenOneLineNamesTheMismatchAndNoModelIsWritten() throws Exception {
        Path data = SharedData.require("data/breastw/breastw.csv");
        Path ckpt = dir.resolve("run.ckpt");
        assertThat(vae(args(data, "--epochs", "1", "--checkpoint", ckpt.toString(), "--out",
                dir.resolve("a.vae").toString()).toArray(String[]::new)).status()).isZero();
        Path model = dir.resolve("b.vae");
        Run r = vae(args(data, "--epochs", "2", "--batch", "64", "--resume", ckpt.toString(), "--out",
                model.toString()).toArray(String[]::new));
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("another run").contains("batch 128").contains("batch 64");
        assertThat(model).doesNotExist();
    }

    @Test
    void givenAnActivationFlag_whenTrained_thenTheModelUsesItAndAnUnknownOneIsOneLine() throws Exception {
        Path data = SharedData.require("data/breastw/breastw.csv");
        Path model = dir.resolve("relu.vae");
        Run r = vae(args(data, "--epochs", "1", "--activation", "relu", "--out", model.toString()).toArray(String[]::new));
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(ModelFile.read(model).architecture().activation()).isEqualTo(dev.vae.core.nn.Activation.RELU);

        Path bad = dir.resolve("bad.vae");
        Run wrong = vae(args(data, "--epochs", "1", "--activation", "swish", "--out", bad.toString()).toArray(String[]::new));
        assertThat(wrong.status()).isNotZero();
        assertThat(wrong.err()).contains("swish").contains("relu, tanh, sigmoid or identity").doesNotContain("Exception");
        assertThat(bad).doesNotExist();
        for (String text : List.of("auto:0.5", "automatic", "often")) {
            Run w = vae(args(data, "--trim", text, "--out", bad.toString()).toArray(String[]::new));
            assertThat(w.status()).as(text).isNotZero();
            assertThat(w.err().lines().filter(l -> l.contains("error"))).as(text).singleElement().asString()
                    .contains("--trim");
            assertThat(bad).doesNotExist();
        }
    }

    @Test
    void givenTrimFlags_whenTrained_thenTheModelRecordsThem_theDefaultsAreTheLibrarys_andABadFractionIsOneLine()
            throws Exception {
        Path data = SharedData.require("data/breastw/breastw.csv");
        Path model = dir.resolve("trim.vae");
        Run r = vae(args(data, "--epochs", "3", "--trim", "0.2", "--trim-warmup", "1", "--out", model.toString())
                .toArray(String[]::new));
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(ModelFile.read(model).provenance()).containsEntry("trainer.trim-fraction", "0.2")
                .containsEntry("trainer.trim-adaptive", "false").containsEntry("trainer.trim-warmup-epochs", "1");
        assertThat(r.err()).contains("(a fixed share)");

        Path auto = dir.resolve("auto.vae");
        Run a = vae(args(data, "--epochs", "3", "--trim", "auto:0.25", "--trim-warmup", "1", "--out", auto.toString())
                .toArray(String[]::new));
        assertThat(a.status()).as(a.err()).isZero();
        assertThat(ModelFile.read(auto).provenance()).containsEntry("trainer.trim-fraction", "0.25")
                .containsEntry("trainer.trim-adaptive", "true").containsKey("result.trimmed-rows");
        assertThat(a.err()).contains("(adaptive: the rows above the split of the losses, at most 25%)");

        Path plain = dir.resolve("plain.vae");
        assertThat(vae(args(data, "--epochs", "1", "--out", plain.toString()).toArray(String[]::new)).status()).isZero();
        dev.vae.train.TrainingConfig defaults = dev.vae.train.TrainingConfig.defaults();
        assertThat(ModelFile.read(plain).provenance())
                .containsEntry("trainer.trim-fraction", Double.toString(defaults.trimFraction()))
                .containsEntry("trainer.trim-adaptive", Boolean.toString(defaults.trimAdaptive()))
                .containsEntry("trainer.trim-warmup-epochs", Integer.toString(defaults.trimWarmupEpochs()));

        Path bad = dir.resolve("bad.vae");
        Run wrong = vae(args(data, "--trim", "0.5", "--out", bad.toString()).toArray(String[]::new));
        assertThat(wrong.status()).isNotZero();
        assertThat(wrong.err().lines().filter(l -> l.contains("error"))).singleElement().asString()
                .contains("--trim").contains("0.5");
        assertThat(wrong.err()).doesNotContain("Exception");
        assertThat(bad).doesNotExist();
    }

    @Test
    void givenVersion_whenPrinted_thenItNamesTheKernelsForScoringAndTraining() {
        CommandLine cl = VaeCommand.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        assertThat(cl.execute("--version")).isZero();
        assertThat(out.toString()).containsPattern("kernels: java(\\+(openblas|mkl|blis))? \\(scoring: portable Java")
                .containsPattern("default trainer threads: [12]\\)");
    }

    @Test
    void givenDurations_whenFormatted_thenTheyReadNaturally() {
        assertThat(TrainingProgress.duration(42.4)).isEqualTo("42s");
        assertThat(TrainingProgress.duration(252)).isEqualTo("4m12s");
        assertThat(TrainingProgress.duration(7500)).isEqualTo("2h05m");
        assertThat(TrainingProgress.duration(Double.POSITIVE_INFINITY)).isEqualTo("?");
    }
}
