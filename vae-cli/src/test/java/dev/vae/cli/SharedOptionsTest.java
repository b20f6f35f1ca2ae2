package dev.vae.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.testing.SharedData;
import dev.vae.train.TrainingOptions;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ResourceBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The shared options: their per-command wording (and that of vae train's training options), and {@code --data -}
 * (standard input) in every command taking it.
 */
class SharedOptionsTest {

    @TempDir
    Path dir;

    @Test
    void givenEachRewordingInTheBundle_whenTheCommandLineIsBuilt_thenItIsTheDescriptionOfASharedOrTrainingOptionOfThatCommand()
            throws Exception {
        ResourceBundle wording = ResourceBundle.getBundle("dev.vae.cli.OptionWording");
        CommandLine vae = VaeCommand.commandLine();
        assertThat(wording.keySet()).hasSizeGreaterThanOrEqualTo(8);
        for (String key : wording.keySet()) {
            String[] parts = key.split("\\.");
            assertThat(parts).as(key).hasSize(3).startsWith("vae");
            CommandLine command = vae.getSubcommands().get(parts[1]);
            assertThat(command).as(key + ": no such command").isNotNull();
            OptionSpec option = command.getCommandSpec().findOption("--" + parts[2]);
            assertThat(option).as(key + ": no such option").isNotNull();
            boolean shared = option.userObject() instanceof Field field
                    && field.getDeclaringClass().getEnclosingClass() == SharedOptions.class;
            boolean catalogue = parts[1].equals("train") && TrainingOptions.named(option.longestName()).isPresent();
            assertThat(shared || catalogue).as(key + ": only shared options and vae train's training options are"
                    + " reworded").isTrue();
            assertThat(String.join(" ", option.description())).as(key)
                                        // A literal % is written %% in the bundle, as picocli formats descriptions.
                    .isEqualTo(wording.getString(key).replace("${DEFAULT-VALUE}", String.valueOf(option.defaultValue()))
                            .replace("%%", "%"));
        }
    }

    @Test
    void givenCommandsSharingAnOption_whenHelpIsShown_thenEachShowsItsOwnWordingOrTheSharedOne() {
        String score = Cli.run("score", "--help").out();
        String evaluate = Cli.run("evaluate", "--help").out();
        String sample = Cli.run("sample", "--help").out();
        String report = Cli.run("report", "--help").out();
        assertThat(score).contains("Latent samples per row (K for iwae)").contains("A label column to leave out");
        assertThat(evaluate).contains("Latent samples per row; 0 =").doesNotContain("K for iwae")
                .contains("adds AUROC, AUPRC").doesNotContain("A label column to leave out");
        assertThat(sample).contains("A model written by 'vae train'.");
        assertThat(report).contains("A model written by 'vae train' or 'vae import-onnx'.");
    }

    @Test
    void givenStandardInput_whenScoredEvaluatedAndEncoded_thenTheOutputIsTheFilesOutput() throws Exception {
        Path csv = SharedData.require("data/pima/pima.csv");
        Path model = dir.resolve("p.vae");
        assertThat(Cli.run("train", "--data", csv.toString(), "--label-column", "label", "--epochs", "2", "--out",
                model.toString()).exit()).isZero();
        byte[] bytes = Files.readAllBytes(csv);
        for (List<String> command : List.of(
                List.of("score", "--features", "--samples", "2", "--no-threshold", "--out"),
                List.of("encode", "--out"),
                List.of("evaluate", "--label-column", "label", "--json", "--metrics"))) {
            Path fromFile = dir.resolve(command.get(0) + "-file.out");
            Path fromStdin = dir.resolve(command.get(0) + "-stdin.out");
            Cli.Result file = run(command, model, csv.toString(), fromFile, null);
            Cli.Result stdin = run(command, model, "-", fromStdin, bytes);
            assertThat(file.exit()).as(file.err()).isZero();
            assertThat(stdin.exit()).as(stdin.err()).isZero();
            assertThat(stdin.out()).isEqualTo(file.out());
            if (command.get(0).equals("evaluate")) {
                assertThat(stdin.out()).contains("\"n\": 768");
                assertThat(Files.readString(fromStdin)).contains("vae_anomaly_excess_nats_count 768");
            } else {
                assertThat(Files.readAllLines(fromStdin)).hasSize(769).isEqualTo(Files.readAllLines(fromFile));
            }
        }
    }

    @Test
    void givenTheMetricsOption_whenWritten_thenAFileIsWrittenOnlyWhenOneWasAskedFor() throws Exception {
        SharedOptions.MetricsOption none = new SharedOptions.MetricsOption();
        SharedOptions.MetricsOption asked = new SharedOptions.MetricsOption();
        asked.file = dir.resolve("run.prom");

        none.write();
        asked.registry().counter("vae.test").increment(3);
        asked.write();

        assertThat(none.registry()).isNull();
        assertThat(asked.registry()).isSameAs(asked.registry());
        assertThat(Files.readString(asked.file)).contains("vae_test_total 3.0");
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList()).containsExactly("run.prom");
        }
    }

    /** Runs {@code command} with its last option given {@code out}, reading {@code stdin} when not null. */
    private static Cli.Result run(List<String> command, Path model, String data, Path out, byte[] stdin) {
        List<String> args = new java.util.ArrayList<>(command);
        args.add(out.toString());
        args.addAll(List.of("--model", model.toString(), "--data", data));
        InputStream in = System.in;
        try {
            if (stdin != null) {
                System.setIn(new ByteArrayInputStream(stdin));
            }
            return Cli.run(args.toArray(String[]::new));
        } finally {
            System.setIn(in);
        }
    }
}
