package dev.vae.core.io;

import java.io.IOException;

/** A model file that is not one, is damaged, or was written by a newer version. The message names the file. */
public final class ModelFormatException extends IOException {

    /** An exception with the given message. */
    public ModelFormatException(String message) {
        super(message);
    }

    /** An exception with the given message and cause. */
    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
