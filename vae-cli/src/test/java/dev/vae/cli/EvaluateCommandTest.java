package dev.vae.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.anomaly.threshold.DetectorFitting;
import dev.vae.anomaly.threshold.ThresholdSpec;
import dev.vae.core.VaeModel;
import dev.vae.core.io.ModelFile;
import dev.vae.core.testing.SharedData;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateCommandTest {

    @TempDir
    Path dir;


    @Test
    void givenTrainedBreastwModelWithThreshold_whenEvaluatedAndScored_thenJsonFieldsAndFeatureColumns() throws Exception {
        Path csv = SharedData.require("data/breastw/breastw.csv");
        Path model = dir.resolve("m.vae");
        Cli.Result train = Cli.run("train", "--data", csv.toString(), "--label-column", "label", "--epochs", "30", "--out", model.toString());
        assertThat(train.exit()).as(train.err()).isEqualTo(0);
        // What 'vae train --threshold' does after training (see the issue report): fit on labelled rows here.
        Table table = CsvReader.read(csv, CsvOptions.withLabel("label", Set.of()));
        VaeModel m = DetectorFitting.fitThreshold(ModelFile.read(model), table, ThresholdSpec.bestF1());
        ModelFile.write(m, model);

        Cli.Result eval = Cli.run("evaluate", "--model", model.toString(), "--data", csv.toString(), "--label-column", "label", "--json");
        assertThat(eval.exit()).as(eval.err()).isEqualTo(0);
        String json = eval.out();
        for (String key : List.of("\"n\": 683", "\"mean_negative_elbo\"", "\"mean_reconstruction_nll\"", "\"mean_kl\"",
                "\"anomalies\": 239", "\"auroc\"", "\"auprc\"", "\"threshold\"", "\"precision\"", "\"recall\"", "\"f1\"")) {
            assertThat(json).contains(key);
        }
        double auroc = Double.parseDouble(json.replaceAll("(?s).*\"auroc\": ([0-9.eE-]+).*", "$1"));
        assertThat(auroc).isGreaterThan(0.9);

        Path scores = dir.resolve("s.csv");
        Cli.Result score = Cli.run("score", "--model", model.toString(), "--data", csv.toString(), "--features", "--score", "iwae",
                "--samples", "8", "--no-threshold", "--out", scores.toString());
        assertThat(score.exit()).as(score.err()).isEqualTo(0);
        List<String> lines = Files.readAllLines(scores);
        assertThat(lines).hasSize(684);
        assertThat(lines.get(0)).startsWith("row,score,anomaly,").contains(table.columns().get(0));
        assertThat(lines.get(1).split(",", -1)).hasSize(3 + table.width());
        assertThat(lines.get(1).split(",", -1)[2]).as("no threshold, no flag").isEmpty();
    }

    @Test
    void givenAThresholdFittedOnTheDefaultScore_whenAnotherScoreIsAsked_thenRefusedInOneLineUnlessNoThreshold()
            throws Exception {
        Path csv = SharedData.require("data/pima/pima.csv");
        Path model = dir.resolve("p.vae");
        assertThat(Cli.run("train", "--data", csv.toString(), "--label-column", "label", "--epochs", "2", "--out",
                model.toString()).exit()).isEqualTo(0);
        for (String[] other : List.of(new String[] {"--score", "reconstruction"}, new String[] {"--samples", "4"},
                new String[] {"--score", "iwae"})) {
            for (String command : List.of("score", "evaluate")) {
                List<String> args = new java.util.ArrayList<>(List.of(command, "--model", model.toString(), "--data",
                        csv.toString(), "--label-column", "label"));
                args.addAll(List.of(other));
                Cli.Result refused = Cli.run(args.toArray(String[]::new));
                assertThat(refused.exit()).as(command + " " + List.of(other)).isNotZero();
                assertThat(refused.errLines()).hasSize(1);
                assertThat(refused.err()).contains("fitted on the score negative-elbo at z = mu").contains("--no-threshold");
            }
        }
        Cli.Result eval = Cli.run("evaluate", "--model", model.toString(), "--data", csv.toString(), "--label-column",
                "label", "--score", "reconstruction", "--no-threshold", "--json");
        assertThat(eval.exit()).as(eval.err()).isZero();
        assertThat(eval.out()).contains("\"threshold\": null").contains("\"auroc\"").doesNotContain("\"f1\": 0");
        Cli.Result same = Cli.run("evaluate", "--model", model.toString(), "--data", csv.toString(), "--label-column",
                "label", "--score", "negative-elbo", "--samples", "0", "--json");
        assertThat(same.exit()).as("the threshold's own score, spelt out").isZero();
        assertThat(same.out()).doesNotContain("\"threshold\": null");
    }

    @Test
    void givenMissingColumnOrBadScore_whenScoring_thenOneLineErrorAndNonZeroExit() throws Exception {
        Path csv = SharedData.require("data/pima/pima.csv");
        Path model = dir.resolve("p.vae");
        assertThat(Cli.run("train", "--data", csv.toString(), "--label-column", "label", "--epochs", "2", "--out", model.toString()).exit())
                .isEqualTo(0);
        Cli.Result bad = Cli.run("score", "--model", model.toString(), "--data", csv.toString(), "--score", "elbo");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("Unknown score 'elbo'").doesNotContain("\tat ");
        Path other = SharedData.require("data/breastw/breastw.csv");
        Cli.Result wrong = Cli.run("evaluate", "--model", model.toString(), "--data", other.toString());
        assertThat(wrong.exit()).isNotZero();
        assertThat(wrong.err().lines().count()).isEqualTo(1);
    }
}
