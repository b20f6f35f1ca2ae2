package dev.vae.cli.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.VaeModel;
import dev.vae.core.io.ModelFile;
import dev.vae.core.testing.SharedData;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Prediction;
import org.tribuo.anomaly.Event;

/** Keeps the README's Java code compiling and true: its blocks are ReadmeExamples' code, verbatim, and they run. */
class ReadmeTest {

    @TempDir
    Path dir;

    static String readme() throws Exception {
        Path p = Path.of("README.md");
        if (!Files.exists(p)) {
            p = Path.of("..", "README.md");
        }
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    /** The lines between {@code // tag::name[]} and {@code // end::name[]}, with their common indentation removed. */
    static String block(String name) throws Exception {
        Path src = Path.of("src/test/java/dev/vae/cli/readme/ReadmeExamples.java");
        List<String> lines = Files.readAllLines(src, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String l : lines) {
            if (l.strip().equals("// end::" + name + "[]")) {
                break;
            }
            if (in) {
                out.add(l);
            }
            if (l.strip().equals("// tag::" + name + "[]")) {
                in = true;
            }
        }
        int indent = out.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
                .min().orElse(0);
        StringBuilder b = new StringBuilder();
        for (String l : out) {
            b.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
        }
        assertThat(b).as("block " + name).isNotEmpty();
        return b.toString();
    }

    @Test
    void givenReadme_whenRead_thenItHoldsTheCompiledExamplesVerbatim() throws Exception {
        String readme = readme();
        assertThat(readme).startsWith("# ");
        assertThat(readme).contains("./vae demo").contains("mvn -B verify");
        assertThat(readme).contains("```java\n" + block("library") + "```");
        assertThat(readme).contains("```java\n" + block("tribuo") + "```");
    }

    @Test
    void givenBreastw_whenLibraryExampleRuns_thenModelSavedAndMetersCounted() throws Exception {
        Path csv = SharedData.require("data/breastw/breastw.csv");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        VaeModel model = ReadmeExamples.library(csv, dir.resolve("breastw.vae"), registry);
        assertThat(model.threshold()).isNotNull();
        assertThat(ModelFile.read(dir.resolve("breastw.vae")).threshold()).isEqualTo(model.threshold());
        double normal = registry.get("vae.anomaly.events").tags("result", "normal").counter().count();
        double anomalous = registry.get("vae.anomaly.events").tags("result", "anomalous").counter().count();
        assertThat(normal + anomalous).isEqualTo(683.0);
        // contamination:0.1 flags about 10% of rows (breastw is 35% malignant), and those it flags are mostly malignant.
        assertThat(anomalous).isBetween(30.0, 250.0);
        Table t = CsvReader.read(csv, CsvOptions.withLabel("label", Set.of()));
        double[] scores = new dev.vae.anomaly.score.Scorer(model).score(t.values(), t.rows());
        long flaggedMalignant = 0;
        for (int i = 0; i < t.rows(); i++) {
            if (model.threshold().isAnomalous(scores[i]) && t.labels()[i] != 0) {
                flaggedMalignant++;
            }
        }
        assertThat(flaggedMalignant / anomalous).isGreaterThan(0.8);
    }

    @Test
    void givenBreastw_whenTribuoExampleRuns_thenEveryExpectedRowIsPredicted() throws Exception {
        Table t = CsvReader.read(SharedData.require("data/breastw/breastw.csv"), CsvOptions.withLabel("label", Set.of()));
        List<Prediction<Event>> p = ReadmeExamples.tribuo(t);
        assertThat(p).hasSize(444);
        long flagged = p.stream().filter(x -> x.getOutput().getType() == Event.EventType.ANOMALOUS).count();
        assertThat(flagged).isBetween(1L, 200L);
    }
}
