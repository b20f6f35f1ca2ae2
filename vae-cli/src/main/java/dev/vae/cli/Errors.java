package dev.vae.cli;

import dev.vae.core.io.ModelFormatException;
import dev.vae.train.data.DataFormatException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/** Turns exceptions into one clear line and an exit status. */
final class Errors {

    private Errors() {
    }

    static String describe(Throwable ex) {
        if (ex instanceof NoSuchFileException e) {
            return "file not found: " + e.getFile();
        }
        if (ex instanceof AccessDeniedException e) {
            return "permission denied: " + e.getFile();
        }
        if (ex instanceof OutOfMemoryError) {
            return "out of memory: the data does not fit in the Java heap (raise -Xmx via VAE_JAVA_OPTS, or use fewer rows)";
        }
        String m = ex.getMessage();
        if (m == null || m.isBlank()) {
            m = ex.getClass().getSimpleName();
        }
        if (ex instanceof IOException && !(ex instanceof DataFormatException) && !(ex instanceof ModelFormatException)) {
            return "I/O error: " + m;
        }
        return m;
    }

    static int exitCode(Throwable ex) {
        if (ex instanceof IllegalArgumentException || ex instanceof DataFormatException
                || ex instanceof ModelFormatException || ex instanceof NoSuchFileException) {
            return 2;
        }
        return 1;
    }
}
