package dev.vae.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.anomaly.score.Scorer;
import dev.vae.core.VaeModel;
import dev.vae.core.io.ModelFile;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spark-submit main writes the same scores as the single-process scorer, with kept columns and a header. */
class ScoreMainTest {

    private static VaeModel model;

    @BeforeAll
    static void setUp() throws Exception {
        model = LocalSpark.breastwModel();
        LocalSpark.session(); // the main uses the active session instead of starting its own
    }

    private static int run(ByteArrayOutputStream err, String... args) {
        return ScoreMain.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** breastw with an id column in front: {@code id,<features>,label}. */
    private static Path csvWithIds(Path dir) throws Exception {
        List<String> lines = Files.readAllLines(LocalSpark.breastwCsv());
        List<String> out = new ArrayList<>();
        out.add("id," + lines.get(0));
        for (int i = 1; i < lines.size(); i++) {
            out.add("r" + (i - 1) + "," + lines.get(i));
        }
        Path p = dir.resolve("in.csv");
        Files.write(p, out);
        return p;
    }

    @Test
    void givenCsvWithIds_whenScoredByMain_thenPartFilesHoldScorerScoresBitForBit(@TempDir Path dir) throws Exception {
        Path modelFile = dir.resolve("m.vae");
        ModelFile.write(model, modelFile);
        Path in = csvWithIds(dir);
        Path out = dir.resolve("out");
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = run(err, "--model", modelFile.toString(), "--data", in.toString(), "--keep-columns", "id",
                "--partitions", "3", "--out", out.toString());

        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        Table table = CsvReader.read(in, CsvOptions.forColumns(model.featureNames(), null));
        double[] expected = new Scorer(model).score(table.values(), table.rows());
        Map<String, String[]> byId = new HashMap<>();
        List<Path> parts;
        try (Stream<Path> s = Files.list(out)) {
            parts = s.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
        }
        assertThat(parts).hasSize(3);
        for (Path part : parts) {
            List<String> lines = Files.readAllLines(part);
            assertThat(lines.get(0)).isEqualTo("id,score,is_anomaly");
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",");
                byId.put(cells[0], cells);
            }
        }
        assertThat(byId).hasSize(table.rows());
        for (int i = 0; i < expected.length; i++) {
            String[] cells = byId.get("r" + i);
            assertThat(Double.parseDouble(cells[1])).isEqualTo(expected[i]);
            assertThat(cells[2]).isEqualTo(expected[i] > model.threshold().value() ? "1" : "0");
        }
    }

    @Test
    void givenMissingModel_whenRun_thenOneLineErrorAndStatus1(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = run(err, "--model", dir.resolve("nope.vae").toString(), "--data", csvWithIds(dir).toString(),
                "--out", dir.resolve("out").toString());

        assertThat(status).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("nope.vae does not exist").hasLineCount(1);
    }

    @Test
    void givenMalformedNumber_whenRun_thenJobFailsWithStatus1(@TempDir Path dir) throws Exception {
        Path modelFile = dir.resolve("m.vae");
        ModelFile.write(model, modelFile);
        Path in = dir.resolve("bad.csv");
        List<String> lines = new ArrayList<>(Files.readAllLines(LocalSpark.breastwCsv()).subList(0, 5));
        lines.set(3, lines.get(3).replaceFirst("^[0-9]+", "five"));
        Files.write(in, lines);
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = run(err, "--model", modelFile.toString(), "--data", in.toString(), "--out", dir.resolve("o").toString());

        assertThat(status).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("vae-spark: ").contains("five").contains("bad.csv");
    }

    @Test
    void givenUnknownOption_whenRun_thenUsageAndStatus2() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        assertThat(run(err, "--model", "m", "--bogus")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option '--bogus'").contains("Usage:");
    }
}
