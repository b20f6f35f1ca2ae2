package dev.vae.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.nn.Architecture;
import dev.vae.core.VaeModel;
import dev.vae.core.io.ModelFile;
import dev.vae.core.nn.NativeNetwork;
import dev.vae.core.scale.Scaler;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resource limits, in a child JVM whose heap (64 MiB) is smaller than the data file (over 100 MB, 1.35 million rows,
 * which as float32 alone need 49 MB and twice that while a table grows): {@code vae score} streams the file in
 * constant memory and scores every row; {@code vae train}, which must hold the rows, fails with one clear line
 * instead of an {@link OutOfMemoryError} trace.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang detector only
class CliResourceLimitsTest {

    private static final int ROWS = 1_350_000;
    private static final String HEAP = "-Xmx64m";

    @TempDir
    Path dir;

    private Path bigCsv(List<String> names) throws Exception {
        Path p = dir.resolve("big.csv");
        SplittableRandom random = new SplittableRandom(3);
        String[] rows = new String[997];
        for (int i = 0; i < rows.length; i++) {
            StringBuilder b = new StringBuilder();
            for (int j = 0; j < names.size(); j++) {
                b.append(',').append(String.format(Locale.ROOT, "%.4f", random.nextGaussian() * 10));
            }
            rows[i] = b.append('\n').toString();
        }
        try (BufferedWriter w = Files.newBufferedWriter(p, StandardCharsets.UTF_8)) {
            w.write("id," + String.join(",", names) + "\n");
            for (int i = 0; i < ROWS; i++) {
                w.write(Integer.toString(1_000_000 + i));
                w.write(rows[i % rows.length]);
            }
        }
        return p;
    }

    private static Process child(Path errors, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                HEAP, "-cp", System.getProperty("java.class.path"), VaeCommand.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(errors.toFile()).start();
    }

    @Test
    void givenACsvLargerThanTheHeap_whenScoredOrTrainedInA64MiBJvm_thenScoringStreamsAndTrainingFailsClearly()
            throws Exception {
        List<String> names = List.of("V1", "V2", "V3", "V4", "V5", "V6", "V7", "V8", "V9");
        Path model = dir.resolve("m.vae");
        ModelFile.write(VaeModel.builder(NativeNetwork.initialize(Architecture.defaults(names.size()), 5))
                .scaler(Scaler.identity(names.size())).featureNames(names).build(), model);
        Path data = bigCsv(names);
        long size = Files.size(data);
        assertThat(size).isGreaterThan(100L << 20);

        Path scores = dir.resolve("scores.csv");
        Path scoreErr = dir.resolve("score.err");
        Process score = child(scoreErr, "score", "--model", model.toString(), "--data", data.toString(), "--out",
                scores.toString());
        assertThat(score.waitFor(8, TimeUnit.MINUTES)).isTrue();
        assertThat(score.exitValue()).as(Files.readString(scoreErr)).isZero();
        long lines = 0;
        String last = null;
        try (BufferedReader r = Files.newBufferedReader(scores)) {
            for (String l; (l = r.readLine()) != null; ) {
                lines++;
                last = l;
            }
        }
        assertThat(lines).isEqualTo(ROWS + 1L);
        assertThat(last).startsWith((ROWS - 1) + ",");

        Path trainErr = dir.resolve("train.err");
        Process train = child(trainErr, "train", "--data", data.toString(), "--out", dir.resolve("t.vae").toString());
        assertThat(train.waitFor(8, TimeUnit.MINUTES)).isTrue();
        String err = Files.readString(trainErr);
        assertThat(train.exitValue()).as(err).isEqualTo(2);
        assertThat(err).doesNotContain("OutOfMemoryError").doesNotContain("\tat ");
        assertThat(err.strip().lines().filter(l -> l.startsWith("train: error: "))).singleElement().asString()
                .startsWith("train: error: " + data + ": the data does not fit in memory: after ")
                .contains("but the Java heap is ").endsWith("raise the heap (e.g. VAE_JAVA_OPTS=-Xmx8g) or train on a sample");
        assertThat(Files.exists(dir.resolve("t.vae"))).isFalse();
        System.out.printf("CliResourceLimitsTest: %,d-byte CSV (%,d rows) scored in a %s JVM; training refused: %s%n",
                size, ROWS, HEAP, err.strip());
    }
}
