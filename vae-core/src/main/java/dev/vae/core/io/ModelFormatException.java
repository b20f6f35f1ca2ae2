package dev.vae.core.io;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/** A model file that is not one, is damaged, or was written by a newer version. The message names the file. */
public final class ModelFormatException extends IOException {

    /** An exception with the given message. */
    public ModelFormatException(String message) {
        super(message);
    }

    /** An exception with the given message and cause (none when null). */
    public ModelFormatException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
