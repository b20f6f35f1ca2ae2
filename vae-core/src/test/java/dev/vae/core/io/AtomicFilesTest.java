package dev.vae.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void givenAFileSystemWithoutAtomicRename_whenWriting_thenAnIoErrorNamesThePathAndTheOldFileSurvivesWithNoTemporary()
            throws Exception {
        Path target = dir.resolve("model.vae");
        Files.writeString(target, "old model", StandardCharsets.UTF_8);
        List<Path> renamed = new ArrayList<>();
        AtomicFiles.AtomicMove unsupported = (from, to) -> {
            renamed.add(from);
            throw new AtomicMoveNotSupportedException(from.toString(), to.toString(), "Invalid cross-device link");
        };

        assertThatThrownBy(() -> AtomicFiles.write(target, out -> out.write("new model".getBytes(StandardCharsets.UTF_8)),
                unsupported))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(target.toAbsolutePath() + ": cannot be replaced atomically")
                .hasMessageContaining("Invalid cross-device link");

        assertThat(renamed).hasSize(1);
        assertThat(AtomicFiles.isTemporaryFor(renamed.get(0), target)).isTrue();
        assertThat(Files.readString(target, StandardCharsets.UTF_8)).isEqualTo("old model");
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("model.vae");
        }
    }
}
