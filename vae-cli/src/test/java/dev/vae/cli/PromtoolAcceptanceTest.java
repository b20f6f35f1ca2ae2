package dev.vae.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.testing.SharedData;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prometheus' own parser must accept the {@code --metrics} file (SPEC section 8): runs {@code promtool check
 * metrics} on the file {@code vae train --metrics} writes. CI installs Debian's {@code prometheus} package, which
 * provides promtool; elsewhere the test is skipped with a message.
 */
class PromtoolAcceptanceTest {

    @TempDir
    Path dir;

    private static Path promtool() {
        for (String p : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(p, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    @Test
    void givenATrainingRunWithMetrics_whenCheckedByPromtool_thenTheFileIsValidPrometheusText() throws Exception {
        Path promtool = promtool();
        if (promtool == null && SharedData.isCi()) {
            throw new AssertionError("promtool not on PATH under CI=true (.ci/run installs Debian's prometheus)");
        }
        Assumptions.assumeTrue(promtool != null, "promtool not on PATH (apt-get install prometheus), test skipped");
        Path data = SharedData.require("data/breastw/breastw.csv");
        Path metrics = dir.resolve("train.prom");
        int exit = VaeCommand.run("train", "--data", data.toString(), "--label-column", "label", "--epochs", "3",
                "--metrics", metrics.toString(), "--out", dir.resolve("m.vae").toString());
        assertThat(exit).isZero();
        String text = Files.readString(metrics, StandardCharsets.UTF_8);
        assertThat(text).contains("vae_train_loss").contains("vae_train_rows");
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectInput(metrics.toFile())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("promtool says: %s", out).isZero();
    }
}
