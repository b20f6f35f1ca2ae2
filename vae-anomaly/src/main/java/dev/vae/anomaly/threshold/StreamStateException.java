package dev.vae.anomaly.threshold;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * A stream-state file that is not one, is damaged, was written by another format version, or holds a state whose
 * parts do not fit together. The message names the file.
 */
public final class StreamStateException extends IOException {

    /** An exception with the given message. */
    public StreamStateException(String message) {
        super(message);
    }

    /** An exception with the given message and cause (none when null). */
    public StreamStateException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
