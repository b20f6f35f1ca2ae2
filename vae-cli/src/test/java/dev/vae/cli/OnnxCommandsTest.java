package dev.vae.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.vae.core.ScoreSettings;
import dev.vae.core.Threshold;
import dev.vae.core.VaeModel;
import dev.vae.core.io.ModelFile;
import dev.vae.core.nn.Architecture;
import dev.vae.core.testing.SharedData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vae export-onnx} and {@code vae import-onnx} end to end, checked by programs that know nothing of the project. */
class OnnxCommandsTest {

    private static int run(String... args) {
        CommandLine cl = VaeCommand.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        int status = cl.execute(args);
        assertThat(status).as("vae %s: %s", String.join(" ", args), err).isZero();
        return status;
    }

    /** The score column of a {@code vae score} output file. */
    private static List<String[]> readCsv(Path file) throws Exception {
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file).subList(1, Files.readAllLines(file).size())) {
            rows.add(line.split(",", -1));
        }
        return rows;
    }

    @Test
    void givenTrainedModel_whenScorerOnnxRunsInAPlainOnnxRuntimeProgram_thenItGivesTheScoresOfVaeScore(@TempDir Path dir)
            throws Exception {
        Path data = SharedData.require("data/breastw/breastw.csv");
        Path model = dir.resolve("breastw.vae");
        run("train", "--data", data.toString(), "--label-column", "label", "--epochs", "3", "--out", model.toString());
        // Give the model a threshold inside its score range, so that the anomaly flag is exercised.
        VaeModel m = ModelFile.read(model);
        ModelFile.write(m.toBuilder().threshold(new Threshold(12.5, "fixed:12.5", "test", ScoreSettings.defaults())).build(), model);
        Path out = dir.resolve("onnx");
        run("export-onnx", "--model", model.toString(), "--out", out.toString());
        Path scores = dir.resolve("scores.csv");
        run("score", "--model", model.toString(), "--data", data.toString(), "--samples", "0", "--out", scores.toString());

        List<String[]> expected = readCsv(scores);
        PlainOnnxRuntimeScorer.Result onnx = PlainOnnxRuntimeScorer.score(out.resolve("scorer.onnx"), data);
        assertThat(onnx.scores()).hasSize(expected.size());
        int flagged = 0;
        double worst = 0;
        for (int i = 0; i < expected.size(); i++) {
            double want = Double.parseDouble(expected.get(i)[1]);
            double err = Math.abs(onnx.scores()[i] - want) / Math.max(1, Math.abs(want));
            worst = Math.max(worst, err);
            assertThat(err).as("row %d", i).isLessThan(1e-4);
            if (Math.abs(want - 12.5) > 1e-3) {
                assertThat(onnx.flags()[i] ? "1" : "0").as("flag of row %d", i).isEqualTo(expected.get(i)[2]);
            }
            flagged += onnx.flags()[i] ? 1 : 0;
        }
        System.out.printf("cli scorer.onnx vs vae score --samples 0: %d rows, %d flagged, largest relative error %.3g%n",
                expected.size(), flagged, worst);
        assertThat(onnx.metadata()).containsEntry("vae.threshold.value", "12.5").containsEntry("vae.likelihood", Architecture.DEFAULT_LIKELIHOOD.id());
    }

    @Test
    void givenAThresholdOnAnotherScore_whenExported_thenRefusedInOneLineUnlessNoThreshold(@TempDir Path dir)
            throws Exception {
        Path data = SharedData.require("data/breastw/breastw.csv");
        Path model = dir.resolve("breastw.vae");
        run("train", "--data", data.toString(), "--label-column", "label", "--epochs", "2", "--out", model.toString());
        VaeModel m = ModelFile.read(model);
        ScoreSettings reconstruction = new ScoreSettings(dev.vae.core.ScoreKind.RECONSTRUCTION, 4);
        ModelFile.write(m.toBuilder().threshold(new Threshold(12.5, "fixed:12.5", "test", reconstruction)).build(), model);
        Cli.Result refused = Cli.run("export-onnx", "--model", model.toString(), "--out", dir.resolve("a").toString());
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.errLines()).hasSize(1);
        assertThat(refused.err()).contains("reconstruction with 4 samples").contains("negative-elbo at z = mu");
        assertThat(dir.resolve("a/scorer.onnx")).doesNotExist();
        Cli.Result plain = Cli.run("export-onnx", "--model", model.toString(), "--out", dir.resolve("b").toString(),
                "--no-threshold");
        assertThat(plain.exit()).as(plain.err()).isZero();
        assertThat(PlainOnnxRuntimeScorer.score(dir.resolve("b/scorer.onnx"), data).metadata())
                .containsEntry("vae.threshold.value", "none");
    }

    @Test
    void givenPytorchGraphs_whenImportedByTheCli_thenVaeScoreReproducesPytorch(@TempDir Path dir) throws Exception {
        Path fixture = SharedData.require("fixtures/pytorch-mnist/encoder.onnx").getParent();
        int rows = 300;
        Path subset = MnistHead.write(dir.resolve("mnist_head.csv"), rows);
        List<String> expected = Files.readAllLines(fixture.resolve("test_scores.csv"));
        for (String backend : List.of("onnx", "native")) {
            Path model = dir.resolve("mnist-" + backend + ".vae");
            run("import-onnx", "--encoder", fixture.resolve("encoder.onnx").toString(), "--decoder",
                    fixture.resolve("decoder.onnx").toString(), "--input-divisor", "255", "--columns-from", subset.toString(),
                    "--label-column", "digit", "--backend", backend, "--out", model.toString());
            Path scores = dir.resolve("scores-" + backend + ".csv");
            run("score", "--model", model.toString(), "--data", subset.toString(), "--samples", "0", "--out", scores.toString());
            List<String[]> got = readCsv(scores);
            assertThat(got).hasSize(rows);
            for (int i = 0; i < rows; i++) {
                double want = Double.parseDouble(expected.get(i + 1).split(",")[2]);
                assertThat(Math.abs(Double.parseDouble(got.get(i)[1]) - want) / want).as("%s row %d", backend, i)
                        .isLessThan(1e-4);
            }
        }
    }

    @Test
    void givenPytorchGaussianGraphsWithWideLogVariances_whenImportedAsGaussian_thenVaeScoreReproducesPytorch(
            @TempDir Path dir) throws Exception {
        // vae-onnx's fixture (make_fixture.py there): decoder log-variances in about [-7, 6], PyTorch's scores.
        Path fixture = Path.of("../vae-onnx/src/test/resources/fixtures/pytorch-gaussian");
        Path rows = fixture.resolve("scores.csv");
        String notFeatures = "neg_elbo_zmu,recon_nll_zmu,kl";
        List<String> expected = Files.readAllLines(rows);
        for (String backend : List.of("onnx", "native")) {
            Path model = dir.resolve("gaussian-" + backend + ".vae");
            CommandLine cl = VaeCommand.commandLine();
            StringWriter out = new StringWriter();
            cl.setOut(new PrintWriter(out));
            assertThat(cl.execute("import-onnx", "--encoder", fixture.resolve("encoder.onnx").toString(), "--decoder",
                    fixture.resolve("decoder.onnx").toString(), "--likelihood", "gaussian", "--columns-from",
                    rows.toString(), "--label-column", "label", "--drop-columns", notFeatures, "--backend", backend,
                    "--out", model.toString())).isZero();
            // The foreign decoder's log sigma^2 is taken as it is, and the command says so.
            assertThat(out.toString()).contains("gaussian:logvar-unbounded");
            assertThat(ModelFile.read(model).architecture().likelihood().id()).isEqualTo("gaussian:logvar-unbounded");
            Path scores = dir.resolve("scores-" + backend + ".csv");
            run("score", "--model", model.toString(), "--data", rows.toString(), "--label-column", "label",
                    "--drop-columns", notFeatures, "--samples", "0", "--out", scores.toString());
            List<String[]> got = readCsv(scores);
            assertThat(got).hasSize(expected.size() - 1);
            int col = List.of(expected.get(0).split(",")).indexOf("neg_elbo_zmu");
            for (int i = 0; i < got.size(); i++) {
                double want = Double.parseDouble(expected.get(i + 1).split(",")[col]);
                assertThat(Math.abs(Double.parseDouble(got.get(i)[1]) - want) / Math.max(1, Math.abs(want)))
                        .as("%s row %d", backend, i).isLessThan(1e-4);
            }
        }
    }

    @Test
    void givenBadOnnxFile_whenImported_thenOneLineErrorAndExitStatus2(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.onnx");
        Files.writeString(bad, "not an onnx file");
        Path dec = SharedData.require("fixtures/pytorch-mnist/decoder.onnx");
        CommandLine cl = VaeCommand.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        int status = cl.execute("import-onnx", "--encoder", bad.toString(), "--decoder", dec.toString(),
                "--out", dir.resolve("m.vae").toString());
        assertThat(status).isEqualTo(2);
        assertThat(err.toString().trim()).startsWith("import-onnx: error: " + bad + ": not an ONNX model").doesNotContain("\n");
    }

    /**
     * A scorer that knows nothing of this project: it reads a CSV (all columns but the last, {@code label}) and runs
     * {@code scorer.onnx} with ONNX Runtime classes alone.
     */
    static final class PlainOnnxRuntimeScorer {
        record Result(float[] scores, boolean[] flags, Map<String, String> metadata) {
        }

        static Result score(Path onnx, Path csv) throws Exception {
            List<String> lines = Files.readAllLines(csv);
            int d = lines.get(0).split(",").length - 1;
            int n = lines.size() - 1;
            float[] x = new float[n * d];
            for (int i = 0; i < n; i++) {
                String[] cells = lines.get(i + 1).split(",");
                for (int j = 0; j < d; j++) {
                    x[i * d + j] = Float.parseFloat(cells[j]);
                }
            }
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession s = env.createSession(onnx.toString(), new OrtSession.SessionOptions());
                 OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {n, d});
                 OrtSession.Result r = s.run(Map.of("x", t))) {
                float[] scores = (float[]) r.get("score").orElseThrow().getValue();
                boolean[] flags = (boolean[]) r.get("is_anomaly").orElseThrow().getValue();
                return new Result(Arrays.copyOf(scores, n), flags, s.getMetadata().getCustomMetadata());
            }
        }
    }
}
