package dev.vae.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.nn.Architecture;
import dev.vae.core.VaeModel;
import dev.vae.core.io.ModelFile;
import dev.vae.core.nn.NativeNetwork;
import dev.vae.core.scale.Scaler;
import dev.vae.core.testing.SharedData;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line on bad input: every case of docs/bad-input.md that reaches the CLI gets exactly one line on
 * standard error, naming the file, line and column or the parameter and value, a non-zero exit status, and no stack
 * trace unless {@code --verbose}.
 */
class CliBadInputTest {

    @TempDir
    Path dir;

    private Path model;
    private Path good;

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    @BeforeEach
    void setUp() throws Exception {
        model = dir.resolve("m.vae");
        ModelFile.write(VaeModel.builder(NativeNetwork.initialize(Architecture.defaults(3), 1))
                .scaler(Scaler.identity(3)).featureNames(List.of("a", "b", "c")).build(), model);
        good = write("good.csv", "a,b,c\n1,2,3\n4,5,6\n");
    }

    /** Exit status {@code exit}, one line "CMD: error: ..." containing each fragment, and no stack trace. */
    private static void oneLineError(Cli.Result r, int exit, String command, String... fragments) {
        assertThat(r.exit()).as("exit status; stderr: %s", r.err()).isEqualTo(exit);
        assertThat(r.errLines()).as("stderr: %s", r.err()).hasSize(1);
        String line = r.errLines()[0];
        assertThat(line).startsWith(command + ": error: ").doesNotContain("\tat ").doesNotContain("Exception");
        for (String f : fragments) {
            assertThat(line).contains(f);
        }
    }

    @Test
    void givenBadTrainingData_whenTraining_thenOneLineNamesFileLineAndColumn() throws Exception {
        Path missing = dir.resolve("none.csv");
        oneLineError(Cli.run("train", "--data", missing.toString(), "--out", dir.resolve("o.vae").toString()), 2, "train",
                "file not found: " + missing);
        oneLineError(Cli.run("train", "--data", dir.toString(), "--out", "o.vae"), 2, "train", dir + ": is a folder");
        Path text = write("text.csv", "a,b\n1,2\n3,abc\n");
        oneLineError(Cli.run("train", "--data", text.toString(), "--out", "o.vae"), 2, "train",
                text + ":3: column 2 'b': 'abc' is not a number");
        Path nan = write("nan.csv", "a,b\n1,2\nnan,2\n");
        oneLineError(Cli.run("train", "--data", nan.toString(), "--out", "o.vae"), 2, "train",
                nan + ":3: column 1 'a': nan is not a finite number");
        Path ragged = write("ragged.csv", "a,b\n1,2\n3\n");
        oneLineError(Cli.run("train", "--data", ragged.toString(), "--out", "o.vae"), 2, "train",
                ragged + ":3: row has 1 cells but the header has 2");
        Path empty = write("empty.csv", "");
        oneLineError(Cli.run("train", "--data", empty.toString(), "--out", "o.vae"), 2, "train",
                empty + ": empty file");
        Path header = write("header.csv", "a,b\n");
        oneLineError(Cli.run("train", "--data", header.toString(), "--out", "o.vae"), 2, "train",
                header + ": no data rows after the header");
        oneLineError(Cli.run("train", "--data", good.toString(), "--label-column", "label", "--out", "o.vae"), 2, "train",
                "label column 'label' not found");
        Path junk = dir.resolve("junk.csv");
        Files.write(junk, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xFF, (byte) 0xFE, 1, 2});
        oneLineError(Cli.run("train", "--data", junk.toString(), "--out", "o.vae"), 2, "train", junk + ":1: not UTF-8 text");
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            z.write("a,b\n1,2\n3,4\n".repeat(2000).getBytes(StandardCharsets.UTF_8));
        }
        Path cut = dir.resolve("cut.csv.gz");
        Files.write(cut, Arrays.copyOf(gz.toByteArray(), gz.size() / 2));
        oneLineError(Cli.run("train", "--data", cut.toString(), "--out", "o.vae"), 2, "train", cut + ":",
                "damaged or truncated gzip data");
    }

    @Test
    void givenNegativeOrAbsurdHyperParameters_whenTraining_thenOneLineNamesTheParameterAndValue() {
        String[][] cases = {
            {"--epochs", "-1", "Invalid --epochs: -1 (expected 1..1000000)"},
            {"--epochs", "0", "Invalid --epochs: 0"},
            {"--batch", "0", "Invalid --batch: 0"},
            {"--batch", "2000000000", "Invalid --batch: 2000000000"},
            {"--learning-rate", "-0.5", "Invalid --learning-rate: -0.5"},
            {"--learning-rate", "NaN", "Invalid --learning-rate: NaN"},
            {"--learning-rate", "1e9", "Invalid --learning-rate: 1.0E9"},
            {"--beta", "-1", "Invalid --beta: -1.0"},
            {"--latent", "-3", "Invalid --latent: -3"},
            {"--latent", "100000", "Invalid --latent: 100000"},
            {"--hidden", "64,0", "Invalid --hidden: 0"},
            {"--validation-fraction", "1.5", "Invalid --validation-fraction: 1.5"},
            {"--patience", "-2", "Invalid --patience: -2"},
            {"--likelihood", "poisson", "Unknown likelihood 'poisson': expected bernoulli, gaussian"},
            {"--model-type", "gan", "Unknown model type 'gan': expected vae or ae"},
        };
        for (String[] c : cases) {
            Cli.Result r = Cli.run("train", "--data", good.toString(), "--out", dir.resolve("o.vae").toString(), c[0], c[1]);
            oneLineError(r, 2, "train", c[2]);
        }
        oneLineError(Cli.run("train", "--data", good.toString(), "--normal-only", "--out", "o.vae"), 2, "train",
                "--normal-only needs --label-column");
        assertThat(Files.exists(dir.resolve("o.vae"))).isFalse();
    }

    @Test
    void givenFlagsThatDoNotParse_whenRun_thenPicocliNamesTheFlagAndExitsTwo() {
        Cli.Result r = Cli.run("train", "--data", good.toString(), "--out", "o.vae", "--epochs", "abc");
        assertThat(r.exit()).isEqualTo(2);
        // The error line, then a pointer to --help; no stack trace.
        assertThat(r.errLines()).hasSize(2);
        assertThat(r.errLines()[0]).isEqualTo("train: error: Invalid value for option '--epochs': 'abc' is not an int");
        assertThat(r.errLines()[1]).isEqualTo("Try 'vae train --help' for the options.");
        Cli.Result unknown = Cli.run("score", "--model", model.toString(), "--data", good.toString(), "--bogus");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.errLines()[0]).isEqualTo("score: error: Unknown option: '--bogus'");
        Cli.Result missing = Cli.run("score", "--data", good.toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.errLines()[0]).startsWith("score: error: Missing required option: '--model=MODEL'");
        Cli.Result overflow = Cli.run("sample", "--model", model.toString(), "--count", "99999999999", "--out", "s.csv");
        assertThat(overflow.exit()).isEqualTo(2);
        assertThat(overflow.errLines()[0]).contains("'--count'").contains("99999999999");
    }

    @Test
    void givenBadModelFiles_whenScoringEncodingOrSampling_thenOneLineNamesTheFileAndTheFault() throws Exception {
        Path out = dir.resolve("out.csv");
        Path missing = dir.resolve("none.vae");
        oneLineError(Cli.run("score", "--model", missing.toString(), "--data", good.toString(), "--out", out.toString()), 2,
                "score", "file not found: " + missing);
        oneLineError(Cli.run("score", "--model", good.toString(), "--data", good.toString(), "--out", out.toString()), 2,
                "score", good + ": not a VAE model file (bad magic number)");
        byte[] bytes = Files.readAllBytes(model);
        Path truncated = dir.resolve("t.vae");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 100));
        oneLineError(Cli.run("encode", "--model", truncated.toString(), "--data", good.toString(), "--out", out.toString()),
                2, "encode", truncated + ": truncated model file");
        byte[] flipped = bytes.clone();
        flipped[bytes.length / 2] ^= 4;
        Path corrupted = dir.resolve("c.vae");
        Files.write(corrupted, flipped);
        oneLineError(Cli.run("sample", "--model", corrupted.toString(), "--count", "3", "--out", out.toString()), 2,
                "sample", corrupted + ": corrupted model file (checksum mismatch)");
        byte[] newer = bytes.clone();
        newer[11] = 7;
        Path future = dir.resolve("f.vae");
        Files.write(future, newer);
        oneLineError(Cli.run("score", "--model", future.toString(), "--data", good.toString(), "--out", out.toString()), 2,
                "score", future + ": model file format version 7 is newer than this build supports");
        oneLineError(Cli.run("score", "--model", dir.toString(), "--data", good.toString(), "--out", out.toString()), 2,
                "score", dir + ": is a folder, not a model file");
        assertThat(Files.exists(out)).isFalse();
    }

    @Test
    void givenDataWithoutTheModelsColumnsOrWithBadCells_whenScoring_thenOneLineNamesThem() throws Exception {
        Path out = dir.resolve("out.csv");
        Path other = write("other.csv", "a,x,y\n1,2,3\n");
        oneLineError(Cli.run("score", "--model", model.toString(), "--data", other.toString(), "--out", out.toString()), 2,
                "score", other + ": missing columns b, c that the model needs");
        Path inf = write("inf.csv", "id,c,b,a\nr1,1,2,3\nr2,1,Infinity,3\n");
        oneLineError(Cli.run("score", "--model", model.toString(), "--data", inf.toString(), "--out", out.toString()), 2,
                "score", inf + ":3: column 3 'b': Infinity is not a finite number");
        Path ragged = write("ragged.csv", "a,b,c\n1,2,3\n1,2\n");
        oneLineError(Cli.run("encode", "--model", model.toString(), "--data", ragged.toString(), "--out", out.toString()), 2,
                "encode", ragged + ":3: row has 2 cells but the header has 3");
        assertThat(Files.exists(out)).as("no partial output").isFalse();
    }

    @Test
    void givenBadScoringAndSamplingParameters_whenRun_thenOneLineNamesThem() {
        Path out = dir.resolve("out.csv");
        oneLineError(Cli.run("score", "--model", model.toString(), "--data", good.toString(), "--samples", "-1", "--out",
                out.toString()), 2, "score", "Invalid number of score samples: -1");
        oneLineError(Cli.run("score", "--model", model.toString(), "--data", good.toString(), "--samples", "1000000", "--out",
                out.toString()), 2, "score", "Invalid number of score samples: 1000000");
        oneLineError(Cli.run("score", "--model", model.toString(), "--data", good.toString(), "--score", "likelihood", "--out",
                out.toString()), 2, "score", "Unknown score 'likelihood'");
        oneLineError(Cli.run("sample", "--model", model.toString(), "--count", "0", "--out", out.toString()), 2, "sample",
                "Invalid --count: 0 (expected 1..10000000)");
        oneLineError(Cli.run("sample", "--model", model.toString(), "--count", "-5", "--out", out.toString()), 2, "sample",
                "Invalid --count: -5");
        oneLineError(Cli.run("sample", "--model", model.toString(), "--count", "2", "--out", dir.toString()), 2, "sample",
                dir + ": is a folder, cannot write a file over it");
    }

    @Test
    void givenVerbose_whenAnErrorOccurs_thenTheStackTraceFollowsTheLine() throws Exception {
        Path text = write("text.csv", "a,b\n1,x\n");
        Cli.Result quiet = Cli.run("train", "--data", text.toString(), "--out", "o.vae");
        assertThat(quiet.errLines()).hasSize(1);
        Cli.Result verbose = Cli.run("train", "--verbose", "--data", text.toString(), "--out", "o.vae");
        assertThat(verbose.exit()).isEqualTo(2);
        assertThat(verbose.errLines()[0]).isEqualTo(quiet.errLines()[0]);
        assertThat(verbose.err()).contains("dev.vae.core.data.DataFormatException").contains("\tat dev.vae.core.data.CsvReader");
    }

    @Test
    void givenARealDataSet_whenTrainedScoredEncodedAndSampled_thenEveryCommandSucceeds() throws Exception {
        Path pima = SharedData.require("data/pima/pima.csv");
        Path m = dir.resolve("pima.vae");
        Cli.Result train = Cli.run("train", "--data", pima.toString(), "--label-column", "label", "--epochs", "2",
                "--out", m.toString());
        assertThat(train.exit()).as(train.err()).isZero();
        Path scores = dir.resolve("scores.csv");
        assertThat(Cli.run("score", "--model", m.toString(), "--data", pima.toString(), "--out", scores.toString()).exit())
                .isZero();
        List<String> lines = Files.readAllLines(scores);
        assertThat(lines).hasSize(769);
        assertThat(lines.get(0)).startsWith("row,score");
        assertThat(Cli.run("encode", "--model", m.toString(), "--data", pima.toString(), "--out",
                dir.resolve("z.csv").toString()).exit()).isZero();
        assertThat(Cli.run("sample", "--model", m.toString(), "--count", "5", "--out", dir.resolve("s.csv").toString())
                .exit()).isZero();
    }
}
