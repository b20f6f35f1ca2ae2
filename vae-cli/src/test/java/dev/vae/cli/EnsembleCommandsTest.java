package dev.vae.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.anomaly.eval.RankingMetrics;
import dev.vae.anomaly.score.Scorer;
import dev.vae.core.VaeModel;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import dev.vae.core.io.ModelFile;
import dev.vae.core.testing.SharedData;
import dev.vae.train.VaeTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands on an ensemble ({@code vae train --ensemble 2}): training says which member runs and sums each up,
 * scores are the mean of the members', encoding needs a member, and the report says what is whose. One ensemble of
 * two small VAEs on breastw, trained once for the class.
 */
class EnsembleCommandsTest {

    private static final long SEED = 5;

    @TempDir
    static Path dir;

    private static Path breastw;
    private static Path modelFile;
    private static Cli.Result training;
    private static VaeModel model;
    private static Table rows;

    @BeforeAll
    static void trainAnEnsembleOfTwo() throws Exception {
        breastw = SharedData.require("data/breastw/breastw.csv");
        modelFile = dir.resolve("ensemble.vae");
        training = Cli.run("train", "--data", breastw.toString(), "--label-column", "label", "--hidden", "16",
                "--latent", "3", "--epochs", "3", "--threads", "1", "--seed", Long.toString(SEED), "--ensemble", "2",
                "--out", modelFile.toString());
        assertThat(training.exit()).as(training.err()).isZero();
        model = ModelFile.read(modelFile);
        rows = CsvReader.read(breastw, CsvOptions.withLabel("label", Set.of()));
    }

    @Test
    void givenEnsembleTwo_whenTrained_thenEachMembersRunIsAnnouncedAndSummedUpAndTheModelHoldsTwoNetworks() {
        long second = VaeTrainer.memberSeed(SEED, 1);
        List<String> lines = List.of(training.errLines());

        assertThat(lines.get(0)).startsWith("training an ensemble of 2 networks (each vae 9-16-3 tanh "
                + "gaussian:logvar-bound=2) on 683 rows");
        // Each line up to its first double space: "epoch 3/3  loss ..." is "epoch 3/3".
        List<String> heads = lines.stream().map(l -> l.split("  ")[0]).toList();
        assertThat(heads).containsSubsequence("member 1 of 2 (seed 5)", "epoch 3/3", "member 2 of 2 (seed " + second
                + ")", "epoch 3/3");
        assertThat(lines.stream().filter(l -> l.startsWith("epoch 1/3"))).hasSize(2);
        assertThat(lines.stream().filter(l -> l.startsWith("member 1 of 2 (seed 5): kept epoch ")))
                .singleElement().asString().contains(" of 3; ");
        assertThat(lines.stream().filter(l -> l.startsWith("member 2 of 2 (seed " + second + "): kept epoch ")))
                .hasSize(1);
        assertThat(lines.stream().filter(l -> l.startsWith("ensemble of 2 networks, its score the mean of theirs;"
                + " threshold "))).singleElement().asString().endsWith("saved " + modelFile);
        assertThat(model.memberCount()).isEqualTo(2);
        assertThat(model.provenance()).containsEntry("trainer.ensemble", "2")
                .containsEntry("member.2.seed", Long.toString(second));
    }

    @Test
    void givenTheEnsemble_whenScored_thenEachRowsScoreIsTheScorersMeanOfItsMembers() throws Exception {
        Path out = dir.resolve("scores.csv");
        Cli.Result r = Cli.run("score", "--model", modelFile.toString(), "--data", breastw.toString(), "--out",
                out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = Files.readAllLines(out);
        double[] written = lines.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[1])).toArray();

        double[] ensemble = new Scorer(model).score(rows.values(), rows.rows());
        double[] first = new Scorer(model.member(0)).score(rows.values(), rows.rows());
        double[] second = new Scorer(model.member(1)).score(rows.values(), rows.rows());
        assertThat(written).containsExactly(ensemble);
        for (int i = 0; i < written.length; i++) {
            assertThat(written[i]).as("row %d", i).isEqualTo((first[i] + second[i]) / 2);
        }
        assertThat(written).as("the members differ, so the mean is not either one").isNotEqualTo(first);
    }

    @Test
    void givenTheEnsemble_whenEncodedWithoutAMember_thenOneLineAsksForOneAndNoFileIsWritten() {
        Path out = dir.resolve("no-member.csv");
        Cli.Result r = Cli.run("encode", "--model", modelFile.toString(), "--data", breastw.toString(), "--out",
                out.toString());

        assertThat(r.exit()).isEqualTo(Errors.BAD_INPUT);
        assertThat(r.errLines()).singleElement().asString().isEqualTo("encode: error: " + modelFile + " is an ensemble"
                + " of 2 networks, each with its own latent space: choose the one to encode with --member M (1..2)");
        assertThat(out).doesNotExist();
        Cli.Result third = Cli.run("encode", "--model", modelFile.toString(), "--data", breastw.toString(),
                "--member", "3", "--out", out.toString());
        assertThat(third.exit()).isEqualTo(Errors.BAD_INPUT);
        assertThat(third.err()).contains("Invalid --member: 3 (expected 1..2: " + modelFile + " is an ensemble of 2)")
                .doesNotContain("Exception");
    }

    @Test
    void givenTheEnsemble_whenEncodedWithMemberTwo_thenTheLatentsAreThatMembers() throws Exception {
        Path out = dir.resolve("member-2.csv");
        Cli.Result r = Cli.run("encode", "--model", modelFile.toString(), "--data", breastw.toString(), "--member",
                "2", "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();

        List<String> lines = Files.readAllLines(out);
        float[] second = model.member(1).encode(rows.values(), rows.rows());
        float[] first = model.member(0).encode(rows.values(), rows.rows());
        assertThat(lines.get(0)).isEqualTo("row,z0,z1,z2");
        assertThat(lines).hasSize(rows.rows() + 1);
        for (int i = 0; i < rows.rows(); i++) {
            assertThat(lines.get(i + 1)).isEqualTo(i + "," + second[3 * i] + "," + second[3 * i + 1] + ","
                    + second[3 * i + 2]);
        }
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void givenTheEnsemble_whenSampled_thenTheRowsComeFromItsMixture() throws Exception {
        Path out = dir.resolve("samples.csv");
        Cli.Result r = Cli.run("sample", "--model", modelFile.toString(), "--count", "4", "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();

        float[] expected = model.generate(4, 1, false);
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(5);
        for (int i = 0; i < 4; i++) {
            StringBuilder row = new StringBuilder();
            for (int j = 0; j < model.inputDim(); j++) {
                row.append(j == 0 ? "" : ",").append(expected[i * model.inputDim() + j]);
            }
            assertThat(lines.get(i + 1)).isEqualTo(row.toString());
        }
    }

    @Test
    void givenTheEnsembleAndLabels_whenReported_thenTheSummarySaysEnsembleAndItsAurocIsTheEnsemblesScores()
            throws Exception {
        Path out = dir.resolve("report");
        Cli.Result r = Cli.run("report", "--model", modelFile.toString(), "--data", breastw.toString(),
                "--label-column", "label", "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();

        String index = Files.readString(out.resolve("index.html"));
        double auroc = RankingMetrics.auroc(new Scorer(model).score(rows.values(), rows.rows()), rows.labels());
        assertThat(index).contains("Ensemble of 2 networks: every score here is the mean of their scores, in nats.")
                .contains(String.format(Locale.ROOT, "AUROC %.4f,", auroc));
    }

    @Test
    void givenEnsembleAndACheckpoint_whenTrained_thenRefusedInOneLineBeforeReadingTheData() {
        Path ckpt = dir.resolve("run.ckpt");
        Path out = dir.resolve("refused.vae");
        Cli.Result r = Cli.run("train", "--data", breastw.toString(), "--ensemble", "2", "--checkpoint",
                ckpt.toString(), "--out", out.toString());

        assertThat(r.exit()).isEqualTo(Errors.BAD_INPUT);
        assertThat(r.errLines()).singleElement().asString().startsWith("train: error: --ensemble 2 cannot be used with"
                + " --checkpoint: a checkpoint holds one network");
        assertThat(ckpt).doesNotExist();
        assertThat(out).doesNotExist();
    }

    @Test
    void givenASmallMnistEnsemble_whenReported_thenReconstructionsAreMemberOnesAndTheCaptionsSaySo() throws Exception {
        Path csv = MnistHead.write(dir.resolve("mnist-300.csv"), 300);
        Path mnist = dir.resolve("mnist.vae");
        Cli.Result t = Cli.run("train", "--data", csv.toString(), "--drop-columns", "digit", "--likelihood", "bernoulli",
                "--hidden", "32", "--latent", "4", "--epochs", "1", "--ensemble", "2", "--out", mnist.toString());
        assertThat(t.exit()).as(t.err()).isZero();

        Path out = dir.resolve("mnist-report");
        Cli.Result r = Cli.run("report", "--model", mnist.toString(), "--data", csv.toString(), "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(out.resolve("reconstructions.png")).exists();
        assertThat(out.resolve("samples.png")).exists();
        assertThat(Files.readString(out.resolve("index.html")))
                .contains("from the mixture of the ensemble's 2 members (row i from member i mod 2)")
                .contains("Member 1 of the ensemble's 2 reconstructs them")
                .contains("Ensemble of 2 networks");
    }
}
