package dev.vae.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.VaeModel;
import dev.vae.core.nn.NativeNetwork;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a separate JVM with {@code destroyForcibly} (SIGKILL) while it saves models in a loop, at random moments,
 * and checks after every kill that the model file is absent (before the first save), the old model or the new one,
 * and loads; that nothing but recognisable temporary files is left; and that the next save removes those.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a hang detector only; a normal run takes seconds
class AtomicWriteKillTest {

    private static final int TRIALS = 10;

    @TempDir
    Path dir;

    @Test
    void givenAWriterKilledAtRandomMoments_whenTheFileIsRead_thenItIsAlwaysAWholeModelAndOrphansAreCleanedUp()
            throws Exception {
        Path target = dir.resolve("model.vae");
        NativeNetwork a = (NativeNetwork) ModelWriterMain.model(1).network();
        NativeNetwork b = (NativeNetwork) ModelWriterMain.model(2).network();
        Random random = new Random(20261125L);
        int midSave = 0;
        long totalSaves = 0;
        List<String> outcomes = new ArrayList<>();
        for (int trial = 0; trial < TRIALS; trial++) {
            boolean existedBefore = Files.exists(target);
            Process child = new ProcessBuilder(javaExecutable(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    ModelWriterMain.class.getName(), target.toString())
                    // Standard error carries the JVM's own notices (e.g. netlib-blas saying it found no native BLAS):
                    // only the child's protocol lines on standard output count.
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            AtomicLong saves = new AtomicLong();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            if (!"ready".equals(first)) {
                // A failed check must not leave the child saving in a loop after the test (it did once, for an hour).
                child.destroyForcibly();
            }
            assertThat(first).as("child output").isEqualTo("ready");
            Thread counter = new Thread(() -> out.lines().filter(l -> l.startsWith("saved ")).forEach(l -> saves.incrementAndGet()));
            counter.setDaemon(true);
            counter.start();
            Thread.sleep(50 + random.nextInt(700));
            child.destroyForcibly();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            counter.join(10_000);
            totalSaves += saves.get();

            List<Path> leftovers = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(f -> !f.equals(target)).forEach(leftovers::add);
            }
            for (Path f : leftovers) {
                assertThat(AtomicFiles.isTemporaryFor(f, target)).as("unexpected file %s", f).isTrue();
            }
            if (!leftovers.isEmpty()) {
                midSave++;
            }
            if (Files.exists(target)) {
                VaeModel loaded = ModelFile.read(target);
                assertThat(loaded.network()).isIn(a, b);
                outcomes.add("seed " + loaded.seed() + (leftovers.isEmpty() ? "" : " + orphan"));
            } else {
                // Absent is only allowed while no save has ever completed.
                assertThat(existedBefore).isFalse();
                outcomes.add("absent" + (leftovers.isEmpty() ? "" : " + orphan"));
            }
        }
        System.out.printf("AtomicWriteKillTest: %d kills, %d landed mid-save, %d saves completed: %s%n",
                TRIALS, midSave, totalSaves, outcomes);
        // The test proves something only if some kill struck inside a save.
        assertThat(midSave).as("kills that left a temporary file").isPositive();

        ModelFile.write(ModelWriterMain.model(1), target);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
        assertThat(ModelFile.read(target).network()).isEqualTo(a);
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
