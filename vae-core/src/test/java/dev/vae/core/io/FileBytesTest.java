package dev.vae.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.core.testing.UnreadableFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks every format reader makes before it parses, with the messages a person sees, and the digest. */
class FileBytesTest {

    @TempDir
    Path dir;

    /** A format's own exception, as the readers pass theirs. */
    static final class Refused extends IOException {
        Refused(String message, @Nullable Throwable cause) {
            super(message, cause);
        }
    }

    private byte[] read(Path p, long maxBytes) throws IOException {
        return FileBytes.read(p, maxBytes, "test file", Refused::new);
    }

    @Test
    void givenAFileUpToTheLimit_whenRead_thenItsBytesComeBack() throws Exception {
        Path p = Files.write(dir.resolve("ten"), "0123456789".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(read(p, 10), StandardCharsets.US_ASCII)).isEqualTo("0123456789");
        assertThat(read(Files.write(dir.resolve("empty"), new byte[0]), 10)).isEmpty();
    }

    @Test
    void givenAFileOverTheLimit_whenRead_thenItIsRefusedWithItsSizeAndTheLimit() throws Exception {
        Path p = Files.write(dir.resolve("eleven"), new byte[11]);
        assertThatThrownBy(() -> read(p, 10)).isInstanceOf(Refused.class).hasNoCause()
                .hasMessage(p + ": 11 bytes is larger than a test file may be (10)");
    }

    @Test
    void givenAFolderOrAMissingPath_whenRead_thenEachIsNamed() {
        assertThatThrownBy(() -> read(dir, 10)).isInstanceOf(Refused.class).hasNoCause()
                .hasMessage(dir + ": is a folder, not a test file");
        Path missing = dir.resolve("none");
        assertThatThrownBy(() -> read(missing, 10)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void givenAnUnreadableFile_whenRead_thenPermissionIsNamedAndTheCauseKept() throws Exception {
        Path p = UnreadableFile.from(Files.write(dir.resolve("locked"), new byte[3]));
        assertThatThrownBy(() -> read(p, 10)).isInstanceOf(Refused.class)
                .hasMessage(p + ": cannot be read (permission denied)")
                .hasCauseInstanceOf(AccessDeniedException.class);
    }

    @Test
    void givenTheStandardTestMessages_whenDigested_thenTheDigestsAreFips180s() {
        // FIPS 180-2, appendix B.1, and the digest of no bytes.
        assertThat(HexFormat.of().formatHex(FileBytes.sha256("abc".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(HexFormat.of().formatHex(FileBytes.sha256(new byte[0])))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
