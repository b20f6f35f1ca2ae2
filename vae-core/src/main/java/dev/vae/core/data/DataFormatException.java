package dev.vae.core.data;

import java.io.IOException;

/**
 * Input data that cannot be used: a non-numeric cell, NaN or infinity, a ragged row, an empty file, a missing
 * column. The message names the file, the line and the column.
 */
public final class DataFormatException extends IOException {

    /** An exception with the given message. */
    public DataFormatException(String message) {
        super(message);
    }
}
