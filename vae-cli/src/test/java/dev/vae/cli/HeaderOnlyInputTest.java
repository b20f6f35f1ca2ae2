package dev.vae.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A CSV with a header and no rows is bad input for every command, not an empty success. */
class HeaderOnlyInputTest {

    @TempDir
    static Path dir;

    static Path model;
    static Path headerOnly;

    @BeforeAll
    static void train() throws Exception {
        Path data = SharedData.require("data/breastw/breastw.csv");
        model = dir.resolve("m.vae");
        assertThat(Cli.run("train", "--data", data.toString(), "--label-column", "label", "--epochs", "2",
                "--out", model.toString()).exit()).isZero();
        headerOnly = dir.resolve("header-only.csv");
        Files.writeString(headerOnly, Files.readAllLines(data).get(0) + "\n");
    }

    @Test
    void givenAHeaderOnlyCsv_whenScored_thenOneLineErrorAndNoOutputFile() {
        Path out = dir.resolve("scores.csv");
        Cli.Result r = Cli.run("score", "--model", model.toString(), "--data", headerOnly.toString(), "--out", out.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("score: error: " + headerOnly + ": no data rows after the header");
        assertThat(out).doesNotExist();
    }

    @Test
    void givenAHeaderOnlyCsv_whenEncoded_thenOneLineErrorAndNoOutputFile() {
        Path out = dir.resolve("latent.csv");
        Cli.Result r = Cli.run("encode", "--model", model.toString(), "--data", headerOnly.toString(), "--out", out.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("encode: error: " + headerOnly + ": no data rows after the header");
        assertThat(out).doesNotExist();
    }
}
