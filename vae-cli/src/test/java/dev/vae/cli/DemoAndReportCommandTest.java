package dev.vae.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.VaeModel;
import dev.vae.core.io.ModelFile;
import dev.vae.core.testing.SharedData;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vae demo} end to end, {@code vae report} on breastw, and positional columns with --metrics. */
class DemoAndReportCommandTest {

    @TempDir
    Path dir;


    private static void assertPng(Path p, int minWidth) throws Exception {
        assertThat(p).exists();
        byte[] head = new byte[8];
        try (var in = Files.newInputStream(p)) {
            assertThat(in.read(head)).isEqualTo(8);
        }
        assertThat(head).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        BufferedImage img = ImageIO.read(p.toFile());
        assertThat(img.getWidth()).as(p.toString()).isGreaterThanOrEqualTo(minWidth);
        assertThat(img.getHeight()).isGreaterThanOrEqualTo(100);
        assertThat(Files.size(p)).isGreaterThan(5_000L);
    }

    @Test
    void givenEmbeddedShuttle_whenDemoRunsWithFewEpochs_thenReportAndPicturesAndIndex() throws Exception {
        Path out = dir.resolve("demo");
        Cli.Result r = Cli.run("demo", "--epochs", "3", "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).contains("AUROC").contains("AUPRC").contains("Threshold").contains("split")
                .contains("precision").contains("recall").contains("F1").contains("anomalous rows").contains("normal rows")
                .contains("The 5 most anomalous test rows").contains("Done in");
        assertThat(r.out().lines().filter(l -> l.trim().startsWith("row ")).count()).isEqualTo(5);
        List<String> pictures = List.of("training-curve.png", "score-histogram.png", "roc.png", "precision-recall.png",
                "feature-contributions.png");
        String index = Files.readString(out.resolve("index.html"));
        for (String p : pictures) {
            assertPng(out.resolve(p), 400);
            assertThat(index).contains("src=\"" + p + "\"");
        }
    }

    @Test
    void givenBreastwModel_whenReportWithAndWithoutLabels_thenPicturesMatchWhatTheDataAllow() throws Exception {
        Path csv = SharedData.require("data/breastw/breastw.csv");
        Path model = dir.resolve("b.vae");
        Path history = dir.resolve("h.json");
        Cli.Result t = Cli.run("train", "--data", csv.toString(), "--label-column", "label", "--epochs", "15",
                "--history", history.toString(), "--out", model.toString());
        assertThat(t.exit()).as(t.err()).isEqualTo(0);

        Path labelled = dir.resolve("labelled");
        Cli.Result r = Cli.run("report", "--model", model.toString(), "--data", csv.toString(), "--label-column", "label",
                "--history", history.toString(), "--out", labelled.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(0);
        for (String p : List.of("training-curve.png", "score-histogram.png", "roc.png", "precision-recall.png",
                "feature-contributions.png")) {
            assertPng(labelled.resolve(p), 400);
        }
        assertThat(Files.readString(labelled.resolve("index.html"))).contains("AUROC").contains("roc.png");

        Path unlabelled = dir.resolve("unlabelled");
        r = Cli.run("report", "--model", model.toString(), "--data", csv.toString(), "--out", unlabelled.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(0);
        assertPng(unlabelled.resolve("score-histogram.png"), 400);
        assertPng(unlabelled.resolve("feature-contributions.png"), 400);
        assertThat(unlabelled.resolve("roc.png")).doesNotExist();
        assertThat(unlabelled.resolve("training-curve.png")).doesNotExist();
    }

    @Test
    void givenSmallMnistModel_whenReport_thenSampleAndReconstructionGrids() throws Exception {
        Path csv = MnistHead.write(dir.resolve("mnist-300.csv"), 300);
        Path model = dir.resolve("mnist.vae");
        Cli.Result t = Cli.run("train", "--data", csv.toString(), "--drop-columns", "digit", "--likelihood", "bernoulli",
                "--hidden", "32", "--latent", "4", "--epochs", "2", "--out", model.toString());
        assertThat(t.exit()).as(t.err()).isEqualTo(0);
        Path out = dir.resolve("mnist-report");
        Cli.Result r = Cli.run("report", "--model", model.toString(), "--data", csv.toString(), "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(0);
        assertPng(out.resolve("samples.png"), 200);
        assertPng(out.resolve("reconstructions.png"), 200);
        assertThat(Files.readString(out.resolve("index.html"))).contains("reconstructions.png").contains("samples.png");
    }

    @Test
    void givenModelWithoutColumnNames_whenScoredAndEvaluated_thenColumnsByPositionAndMetricsWritten() throws Exception {
        Path csv = SharedData.require("data/breastw/breastw.csv");
        Path model = dir.resolve("b.vae");
        assertThat(Cli.run("train", "--data", csv.toString(), "--label-column", "label", "--epochs", "5", "--out",
                model.toString()).exit()).isEqualTo(0);
        VaeModel named = ModelFile.read(model);
        Path unnamed = dir.resolve("unnamed.vae");
        ModelFile.write(named.toBuilder().featureNames(VaeModel.defaultNames(named.inputDim())).build(), unnamed);

        Path byName = dir.resolve("by-name.csv");
        Path byPosition = dir.resolve("by-position.csv");
        Path metrics = dir.resolve("score.prom");
        assertThat(Cli.run("score", "--model", model.toString(), "--data", csv.toString(), "--out", byName.toString()).exit())
                .isEqualTo(0);
        Cli.Result s = Cli.run("score", "--model", unnamed.toString(), "--data", csv.toString(), "--label-column", "label",
                "--metrics", metrics.toString(), "--out", byPosition.toString());
        assertThat(s.exit()).as(s.err()).isEqualTo(0);
        assertThat(Files.readString(byPosition)).isEqualTo(Files.readString(byName));
        String prom = Files.readString(metrics);
        assertThat(prom).contains("vae_anomaly_events_rows_total{result=\"normal\"}")
                .contains("vae_anomaly_threshold_nats").contains("vae_score_seconds_count");
        double events = prom.lines().filter(l -> l.startsWith("vae_anomaly_events_rows_total{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        assertThat(events).isEqualTo(683.0);

        // Without --label-column the label is a 10th numeric column: one clear line, exit 2.
        s = Cli.run("score", "--model", unnamed.toString(), "--data", csv.toString(), "--out", dir.resolve("x.csv").toString());
        assertThat(s.exit()).isEqualTo(2);
        assertThat(s.err().strip()).doesNotContain("\n").contains("10").contains("expects 9").contains("--drop-columns");

        Path evalMetrics = dir.resolve("eval.prom");
        Cli.Result e = Cli.run("evaluate", "--model", unnamed.toString(), "--data", csv.toString(), "--label-column", "label",
                "--json", "--metrics", evalMetrics.toString());
        assertThat(e.exit()).as(e.err()).isEqualTo(0);
        assertThat(e.out()).contains("\"auroc\"");
        assertThat(Files.readString(evalMetrics)).contains("vae_anomaly_excess_nats_count 683");
        Cli.Result enc = Cli.run("encode", "--model", unnamed.toString(), "--data", csv.toString(), "--drop-columns", "label",
                "--out", dir.resolve("z.csv").toString());
        assertThat(enc.exit()).as(enc.err()).isEqualTo(0);
    }
}
