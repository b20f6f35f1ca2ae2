package dev.vae.cli;

import dev.vae.core.io.AtomicFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Writes a command's CSV output atomically (to a file) or to standard output when no file is given. */
final class CsvOutput {

    /** Produces the content. */
    @FunctionalInterface
    interface Body {
        void write(Writer out) throws IOException;
    }

    private CsvOutput() {
    }

    static void write(Path file, Body body) throws IOException {
        if (file == null) {
            Writer w = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
            body.write(w);
            w.flush();
            return;
        }
        AtomicFiles.write(file, os -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 16);
            body.write(w);
            w.flush();
        });
    }
}
