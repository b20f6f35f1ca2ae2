package dev.vae.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the README's code blocks true: a block is the code of a test source between the comment lines
 * {@code // tag::NAME[]} and {@code // end::NAME[]}, and a test checks the README holds it verbatim while the same
 * code runs.
 */
public final class ReadmeBlocks {

    private ReadmeBlocks() {
    }

    /** The project's README.md, from the working directory (the reactor root) or its parent (a module). */
    public static String readme() {
        Path p = Path.of("README.md");
        if (!Files.exists(p)) {
            p = Path.of("..", "README.md");
        }
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the README at " + p.toAbsolutePath(), e);
        }
    }

    /**
     * The lines of {@code source} between {@code // tag::name[]} and {@code // end::name[]}, with their common
     * indentation removed, each ending in a newline.
     *
     * @throws IllegalArgumentException if the source has no such block or an empty one
     */
    public static String block(Path source, String name) {
        List<String> lines;
        try {
            lines = Files.readAllLines(source, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + source.toAbsolutePath(), e);
        }
        List<String> out = new ArrayList<>();
        boolean in = false;
        boolean closed = false;
        for (String line : lines) {
            if (line.strip().equals("// end::" + name + "[]")) {
                closed = in;
                break;
            }
            if (in) {
                out.add(line);
            }
            if (line.strip().equals("// tag::" + name + "[]")) {
                in = true;
            }
        }
        if (!closed || out.stream().allMatch(String::isBlank)) {
            throw new IllegalArgumentException("No non-empty block 'tag::" + name + "[]' ... 'end::" + name
                    + "[]' in " + source);
        }
        int indent = out.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
                .min().orElse(0);
        StringBuilder b = new StringBuilder();
        for (String line : out) {
            b.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        return b.toString();
    }

    /** The block {@code name} of {@code source} as a fenced Java block of the README. */
    public static String javaBlock(Path source, String name) {
        return "```java\n" + block(source, name) + "```";
    }
}
