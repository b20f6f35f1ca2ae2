package dev.vae.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A file the test process cannot read, for the "permission denied" cases, also where the tests run as root (as CI
 * does), which reads any ordinary file whatever its mode.
 */
public final class UnreadableFile {

    /** Write-only even for root: the kernel's sysctl files check their mode bits for every user. */
    private static final Path WRITE_ONLY_FOR_ROOT = Path.of("/proc/sys/vm/drop_caches");

    private UnreadableFile() {
    }

    /**
     * {@code file} made unreadable (mode 000) when that stops this process from reading it; otherwise (root) a
     * kernel file that refuses reads to every user.
     *
     * @throws AssertionError when neither can be had, so the test fails rather than skips
     */
    public static Path from(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        if (!Files.isReadable(file)) {
            return file;
        }
        if (Files.exists(WRITE_ONLY_FOR_ROOT) && !Files.isReadable(WRITE_ONLY_FOR_ROOT)) {
            return WRITE_ONLY_FOR_ROOT;
        }
        throw new AssertionError("no unreadable file can be made here: " + file + " is readable at mode 000 and "
                + WRITE_ONLY_FOR_ROOT + " is absent or readable");
    }
}
