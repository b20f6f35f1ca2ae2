package dev.vae.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.core.data.DataFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class ErrorsTest {

    @Test
    void givenWrappedOrMultiLineErrors_whenDescribed_thenOneLineAboutTheCauseAndTheRightExitStatus() {
        UncheckedIOException wrapped = new UncheckedIOException(new DataFormatException("d.csv:3: column 1 'a' is empty"));
        assertThat(Errors.describe(wrapped)).isEqualTo("d.csv:3: column 1 'a' is empty");
        assertThat(Errors.exitCode(wrapped)).isEqualTo(Errors.BAD_INPUT);
        assertThat(Errors.describe(new NoSuchFileException("x.vae"))).isEqualTo("file not found: x.vae");
        assertThat(Errors.describe(new IOException("native failure\n  at line 2\r\nmore"))).isEqualTo(
                "I/O error: native failure; at line 2; more");
        assertThat(Errors.exitCode(new IOException("disk"))).isEqualTo(Errors.FAILURE);
        assertThat(Errors.describe(new NullPointerException("x is null")))
                .isEqualTo("internal error: NullPointerException: x is null (run with --verbose for the stack trace)");
        assertThat(Errors.exitCode(new NullPointerException())).isEqualTo(Errors.FAILURE);
    }

    @Test
    void givenFlagValuesOutOfRange_whenChecked_thenTheMessageNamesTheFlagAsTyped() {
        assertThat(Errors.flag("--epochs", 5, 1, 1_000_000)).isEqualTo(5);
        assertThatThrownBy(() -> Errors.flag("--epochs", -1, 1, 1_000_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Invalid --epochs: -1 (expected 1..1000000)");
    }
}
