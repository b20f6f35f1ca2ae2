package dev.vae.core.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.jspecify.annotations.Nullable;

/**
 * What the project's file formats share on the way in ({@link ModelFile}, the anomaly module's stream states): a file
 * read whole, after the checks that give a person a message naming the file rather than a stack trace, and the
 * SHA-256 with which each format detects a damaged file. The counterpart of {@link AtomicFiles}, which writes them.
 */
public final class FileBytes {

    private FileBytes() {
    }

    /** Makes a format's own exception (one that names the file) from a message and, where there is one, its cause. */
    @FunctionalInterface
    public interface Refusal {
        /** The exception to throw. */
        IOException refuse(String message, @Nullable Throwable cause);
    }

    /**
     * The bytes of {@code path}, a {@code kind} (for example {@code model file}) of at most {@code maxBytes} bytes.
     * A folder, a larger file or an unreadable one is refused through {@code refusal}, with a message that starts
     * with the path: {@code <path>: is a folder, not a <kind>}, {@code <path>: <size> bytes is larger than a <kind>
     * may be (<maxBytes>)} or {@code <path>: cannot be read (permission denied)}.
     *
     * @throws java.nio.file.NoSuchFileException when the file does not exist
     * @throws IOException                       from {@code refusal}, or when reading fails otherwise
     */
    public static byte[] read(Path path, long maxBytes, String kind, Refusal refusal) throws IOException {
        if (Files.isDirectory(path)) {
            throw refusal.refuse(path + ": is a folder, not a " + kind, null);
        }
        long size = Files.size(path);
        if (size > maxBytes) {
            throw refusal.refuse(path + ": " + size + " bytes is larger than a " + kind + " may be (" + maxBytes + ")",
                    null);
        }
        try {
            return Files.readAllBytes(path);
        } catch (AccessDeniedException e) {
            throw refusal.refuse(path + ": cannot be read (permission denied)", e);
        }
    }

    /** The SHA-256 digest of {@code bytes} (32 bytes). */
    public static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
