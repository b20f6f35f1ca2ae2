package dev.vae.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.VaeModel;
import dev.vae.core.io.ModelFile;
import dev.vae.core.series.SeriesLayout;
import dev.vae.core.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The time-series path of the command line: train with --time-column, score, evaluate, stream, the series demo. */
class SeriesCommandsTest {

    @TempDir
    Path dir;

    private static List<String> lines(String out) {
        return out.lines().toList();
    }

    @Test
    void givenANabSeries_whenTrainedScoredEvaluatedAndStreamed_thenEveryPointHasOneLineAndTheStreamScoresAsTheFile()
            throws Exception {
        // 4032 points every 5 minutes, period 8 (auto window).
        String csv = SharedData.require("data/nab/realAWSCloudwatch__ec2_cpu_utilization_5f5533.csv").toString();
        Path model = dir.resolve("cpu.vae");
        Cli.Result train = Cli.run("train", "--data", csv, "--time-column", "timestamp", "--label-column", "label",
                "--epochs", "3", "--seed", "7", "--out", model.toString());
        assertThat(train.exit()).as(train.err()).isZero();
        assertThat(train.err()).contains("series: 4032 points of value").contains("window auto");

        Path scores = dir.resolve("scores.csv");
        Cli.Result score = Cli.run("score", "--model", model.toString(), "--data", csv, "--features", "--out",
                scores.toString());
        assertThat(score.exit()).as(score.err()).isZero();
        List<String> scored = Files.readAllLines(scores);
        assertThat(scored.get(0)).isEqualTo("row,score,anomaly,value");
        assertThat(scored).hasSize(4033);
        for (int i = 1; i < scored.size(); i++) {
            assertThat(scored.get(i)).startsWith((i - 1) + ",");
        }

        Cli.Result eval = Cli.run("evaluate", "--model", model.toString(), "--data", csv, "--label-column", "label",
                "--json", "--point-adjusted");
        assertThat(eval.exit()).as(eval.err()).isZero();
        assertThat(eval.out()).contains("\"vus_pr\"").contains("\"vus_roc\"").contains("\"auroc\"").contains("\"window\": 8")
                .contains("\"point_rule\": \"center\"").contains("\"point_adjusted_f1_inflated\"");

        Path pictures = dir.resolve("report");
        Cli.Result report = Cli.run("report", "--model", model.toString(), "--data", csv, "--label-column", "label",
                "--out", pictures.toString());
        assertThat(report.exit()).as(report.err()).isZero();
        for (String p : List.of("series.png", "series-scores.png", "score-histogram.png", "roc.png")) {
            assertThat(Files.size(pictures.resolve(p))).as(p).isGreaterThan(5_000L);
        }
        assertThat(Files.readString(pictures.resolve("index.html"))).contains("VUS-PR");
        Cli.Result encode = Cli.run("encode", "--model", model.toString(), "--data", csv, "--out",
                dir.resolve("latent.csv").toString());
        assertThat(encode.exit()).isNotZero();
        assertThat(encode.err()).contains("time-series model");

        Path state = dir.resolve("cpu.state");
        Cli.Result stream = Cli.run("stream", "--model", model.toString(), "--data", csv, "--threshold", "dspot:0.01",
                "--calibration", "500", "--state", state.toString());
        assertThat(stream.exit()).as(stream.err()).isZero();
        List<String> streamed = lines(stream.out());
        assertThat(streamed.get(0)).isEqualTo("row,time,score,threshold,anomaly");
        assertThat(streamed).hasSize(4033);
        for (int i = 1; i < streamed.size(); i++) {
            String[] s = streamed.get(i).split(",");
            String[] f = scored.get(i).split(",");
            assertThat(s[0]).isEqualTo(f[0]);
            assertThat(s[2]).as("point %s", s[0]).isEqualTo(f[1]);
        }
        assertThat(streamed.get(1).split(",")[1]).isEqualTo("2014-02-14 14:27:00");
        assertThat(Files.exists(state)).isTrue();

        Cli.Result again = Cli.run("stream", "--model", model.toString(), "--data", csv, "--state", state.toString());
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.err()).contains("resumed the threshold from " + state);

        // A model written after the state (retrained) does not inherit it.
        Files.setLastModifiedTime(model, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(state).toMillis() + 60_000));
        Cli.Result stale = Cli.run("stream", "--model", model.toString(), "--data", csv, "--state", state.toString());
        assertThat(stale.exit()).isNotZero();
        assertThat(stale.err()).contains("is newer than the stream state").contains("--fresh");
    }

    @Test
    void givenANabSeriesAndEnsembleTwo_whenTrainedScoredAndStreamed_thenTheModelHoldsTwoNetworksAndTheStreamScoresAsTheFile()
            throws Exception {
        String csv = SharedData.require("data/nab/realAWSCloudwatch__ec2_cpu_utilization_5f5533.csv").toString();
        Path model = dir.resolve("cpu-ensemble.vae");
        Cli.Result train = Cli.run("train", "--data", csv, "--time-column", "timestamp", "--label-column", "label",
                "--epochs", "2", "--seed", "7", "--ensemble", "2", "--out", model.toString());
        assertThat(train.exit()).as(train.err()).isZero();
        assertThat(train.err()).contains("member 2 of 2").contains("ensemble of 2 networks");
        VaeModel read = ModelFile.read(model);
        assertThat(read.memberCount()).isEqualTo(2);
        assertThat(SeriesLayout.of(read)).isPresent();

        Path scores = dir.resolve("ensemble-scores.csv");
        Cli.Result score = Cli.run("score", "--model", model.toString(), "--data", csv, "--out", scores.toString());
        assertThat(score.exit()).as(score.err()).isZero();
        List<String> scored = Files.readAllLines(scores);
        assertThat(scored).hasSize(4033);
        Cli.Result stream = Cli.run("stream", "--model", model.toString(), "--data", csv, "--fresh");
        assertThat(stream.exit()).as(stream.err()).isZero();
        List<String> streamed = lines(stream.out());
        assertThat(streamed).hasSize(4033);
        for (int i = 1; i < streamed.size(); i++) {
            assertThat(streamed.get(i).split(",")[2]).as("point %d", i - 1).isEqualTo(scored.get(i).split(",")[1]);
        }
    }

    @Test
    void givenTheWrongModelOrInput_whenStreamedOrScored_thenOneLineSaysWhat() throws Exception {
        String breastw = SharedData.require("data/breastw/breastw.csv").toString();
        Path rows = dir.resolve("rows.vae");
        assertThat(Cli.run("train", "--data", breastw, "--label-column", "label", "--epochs", "2", "--out", rows.toString())
                .exit()).isZero();
        Cli.Result r = Cli.run("stream", "--model", rows.toString(), "--data", breastw);
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("vae stream needs a time-series model");
        Cli.Result w = Cli.run("train", "--data", breastw, "--time-column", "label", "--window", "1", "--out",
                dir.resolve("x.vae").toString());
        assertThat(w.exit()).isNotZero();
        assertThat(w.err()).contains("--window");
    }

    @Test
    void givenTheEmbeddedTaxiSeries_whenTheSeriesDemoRunsWithFewEpochs_thenItReportsVusAStreamEqualToTheBatchAndPictures()
            throws Exception {
        Path out = dir.resolve("demo");
        Cli.Result r = Cli.run("demo", "--series", "--epochs", "2", "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("10320 points").contains("VUS-PR").contains("equal, bit for bit,")
                .contains("Done in");
        for (String p : List.of("series.png", "series-scores.png", "training-curve.png")) {
            assertThat(Files.size(out.resolve(p))).as(p).isGreaterThan(5_000L);
            assertThat(Files.readString(out.resolve("index.html"))).contains("src=\"" + p + "\"");
        }
    }
}
