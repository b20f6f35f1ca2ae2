package dev.vae.cli;

import dev.vae.core.testing.SharedData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** The first rows of shared's MNIST test set as a small CSV, for commands that need real images quickly. */
final class MnistHead {

    private MnistHead() {
    }

    /**
     * Writes the header and the first {@code rows} images of {@code data/mnist/mnist_test.csv.gz} (784 pixels and the
     * digit) to {@code file}.
     *
     * @return {@code file}
     */
    static Path write(Path file, int rows) throws IOException {
        Path gz = SharedData.require("data/mnist/mnist_test.csv.gz");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)),
                StandardCharsets.UTF_8))) {
            Files.write(file, in.lines().limit(rows + 1L).toList());
        }
        return file;
    }
}
