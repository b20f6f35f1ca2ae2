package dev.vae.cli;

import dev.vae.core.io.ModelFormatException;
import dev.vae.train.TrainingDivergedException;
import dev.vae.core.data.DataFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns exceptions into one clear line and an exit status. The line names the file, line and column (data and model
 * errors already carry them) or the parameter and value (the validating records name them); it never spans lines,
 * so a log shows one line per failure. Exit status 2 means bad input or usage (fix the command or the file), 1 means
 * the run failed for another reason (I/O, memory, a bug). Stack traces only with {@code --verbose}.
 */
final class Errors {

    /** Exit status for bad input: a bad flag, file, cell or model. */
    static final int BAD_INPUT = 2;

    /** Exit status for any other failure. */
    static final int FAILURE = 1;

    private Errors() {
    }

    /**
     * Checks an integer flag before it reaches a validating record, so that the message names the flag as typed:
     * {@code Invalid --epochs: -1 (expected 1..1000000)}.
     *
     * @return {@code value}
     * @throws IllegalArgumentException naming the flag, the value and the range
     */
    static long flag(String flag, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("Invalid " + flag + ": " + value + " (expected " + min + ".." + max + ")");
        }
        return value;
    }

    /**
     * Parses an integer flag given as text (one that also takes a word, such as {@code --window auto}) and checks it
     * as {@link #flag(String, long, long, long)} does.
     */
    static int parseInt(String flag, String text, int min, int max) {
        long v;
        try {
            v = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid " + flag + ": '" + text + "' (expected a whole number " + min + ".."
                    + max + ")");
        }
        return (int) flag(flag, v, min, max);
    }

    /** One line describing {@code ex} for the user, without the exception's class unless it is unexpected. */
    static String describe(Throwable ex) {
        Throwable e = unwrap(ex);
        return oneLine(text(e));
    }

    /** The exit status for {@code ex}: {@link #BAD_INPUT} or {@link #FAILURE}. */
    static int exitCode(Throwable ex) {
        Throwable e = unwrap(ex);
        if (e instanceof IllegalArgumentException || e instanceof DataFormatException || e instanceof ModelFormatException
                || e instanceof FileSystemException) {
            return BAD_INPUT;
        }
        return FAILURE;
    }

    private static String text(Throwable ex) {
        if (ex instanceof NoSuchFileException e) {
            return "file not found: " + e.getFile();
        }
        if (ex instanceof AccessDeniedException e) {
            return "permission denied: " + e.getFile();
        }
        if (ex instanceof FileSystemException e && e.getReason() != null) {
            return e.getFile() + (e.getOtherFile() == null ? "" : " -> " + e.getOtherFile()) + ": " + e.getReason();
        }
        if (ex instanceof OutOfMemoryError) {
            return "out of memory: the data does not fit in the Java heap (raise -Xmx via VAE_JAVA_OPTS, or use fewer rows)";
        }
        String m = ex.getMessage();
        if (ex instanceof DataFormatException || ex instanceof ModelFormatException || ex instanceof IllegalArgumentException) {
            return m == null || m.isBlank() ? ex.getClass().getSimpleName() : m;
        }
        if (ex instanceof IOException) {
            return "I/O error: " + (m == null || m.isBlank() ? ex.getClass().getSimpleName() : m);
        }
        if (ex instanceof TrainingDivergedException) {
            return m;
        }
        if (ex instanceof IllegalStateException && m != null && !m.isBlank()) {
            return m;
        }
        // Anything else is a bug or an environment failure: say what it was and how to see more.
        return "internal error: " + ex.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m)
                + " (run with --verbose for the stack trace)";
    }

    /** Wrappers (unchecked I/O, futures) are unwrapped to what actually went wrong. */
    private static Throwable unwrap(Throwable ex) {
        Throwable e = ex;
        for (int depth = 0; depth < 8 && e.getCause() != null; depth++) {
            if (e instanceof UncheckedIOException || e instanceof ExecutionException || e instanceof CompletionException
                    || (e.getClass() == RuntimeException.class && e.getMessage() != null
                    && e.getMessage().equals(e.getCause().toString()))) {
                e = e.getCause();
            } else {
                break;
            }
        }
        return e;
    }

    /** Line breaks (from foreign messages, e.g. a native library's) become "; " so the error stays one line. */
    static String oneLine(String s) {
        return s.strip().replaceAll("\\s*[\\r\\n]+\\s*", "; ");
    }
}
