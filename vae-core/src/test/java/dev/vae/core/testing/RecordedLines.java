package dev.vae.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Lines a test recorded once, kept in a test resource, one per line as {@code KEY TEXT}; lines starting with
 * {@code #} say how and when they were recorded. A test compares what it computes now with the lines of its key, for
 * example the trainer's thread count when the bits depend on it.
 */
public final class RecordedLines {

    private RecordedLines() {
    }

    /**
     * The texts of the lines of {@code resource} (on {@code owner}'s class path) whose key is {@code key}, in order.
     *
     * @throws IllegalStateException when the resource is missing or holds no line of that key
     */
    public static List<String> of(Class<?> owner, String resource, Object key) {
        String text;
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing test resource " + resource + " next to " + owner.getName());
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String prefix = key + " ";
        List<String> lines = new ArrayList<>();
        for (String line : text.lines().toList()) {
            if (line.startsWith(prefix)) {
                lines.add(line.substring(prefix.length()));
            }
        }
        if (lines.isEmpty()) {
            throw new IllegalStateException("No line of key '" + key + "' in " + resource);
        }
        return lines;
    }
}
