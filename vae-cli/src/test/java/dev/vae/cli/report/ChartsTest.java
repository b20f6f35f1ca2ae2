package dev.vae.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.anomaly.eval.RankingMetrics;
import dev.vae.anomaly.score.Scorer;
import dev.vae.core.testing.SharedData;
import dev.vae.train.EpochStats;
import dev.vae.train.TrainingConfig;
import dev.vae.train.TrainingResult;
import dev.vae.train.VaeTrainer;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** Renders every chart from a model trained on real data and checks each file is a real PNG of sensible size. */
class ChartsTest {

    @TempDir
    static Path dir;

    static Table data;
    static TrainingResult result;
    static double[] scores;

    @BeforeAll
    static void train() throws Exception {
        data = CsvReader.read(SharedData.require("data/breastw/breastw.csv"), CsvOptions.withLabel("label", Set.of()));
        result = new VaeTrainer(TrainingConfig.defaults().withEpochs(15)).fit(data);
        scores = new Scorer(result.model()).score(data.values(), data.rows());
    }

    private static BufferedImage png(Path p) throws Exception {
        assertThat(Files.size(p)).isGreaterThan(3_000);
        byte[] head = Files.readAllBytes(p);
        assertThat(head).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        BufferedImage img = ImageIO.read(p.toFile());
        assertThat(img.getWidth()).isBetween(200, 2000);
        assertThat(img.getHeight()).isBetween(200, 2000);
        return img;
    }

    @Test
    void givenATrainingHistory_whenPlotted_thenAPngIsWritten() throws Exception {
        Path p = dir.resolve("curve.png");
        Charts.trainingCurve(result.history(), p);
        png(p);
    }

    private static List<String> names(XYChart chart) {
        return chart.getSeriesCollection().stream().map(XYSeries::getName).toList();
    }

    private static XYSeries series(XYChart chart, String name) {
        return chart.getSeriesCollection().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void givenATrimmedRun_whenItsCurveIsDrawn_thenTheMinimisedAndLeftOutLossesAreSeparateLabelledLines() {
        // The defaults trim adaptively after 5 warm-up epochs, so epochs 6..15 left rows out.
        XYChart chart = Charts.trainingCurveChart(result.history());
        assertThat(names(chart)).containsExactly(Charts.TRAINING_LOSS, Charts.LEFT_OUT_LOSS,
                Charts.VALIDATION_LOSS, Charts.KL);
        XYSeries left = series(chart, Charts.LEFT_OUT_LOSS);
        assertThat(left.getXData()[0]).isEqualTo(6.0);
        assertThat(series(chart, Charts.TRAINING_LOSS).getYData())
                .isEqualTo(result.history().stream().mapToDouble(EpochStats::loss).toArray());
        String caption = Report.trainingCurveCaption(result.history());
        assertThat(caption).contains(Charts.TRAINING_LOSS, Charts.LEFT_OUT_LOSS, Charts.VALIDATION_LOSS, Charts.KL,
                "from epoch 6", "not divergence");
    }

    @Test
    void givenAnUntrimmedRun_whenItsCurveIsDrawn_thenThereIsNoLeftOutLineAndTheCaptionDoesNotMentionTrimming() {
        List<EpochStats> plain = List.of(new EpochStats(1, 30, 28, 2, 31, 1, 100), new EpochStats(2, 20, 17, 3, 22, 1, 100));
        assertThat(names(Charts.trainingCurveChart(plain))).containsExactly(Charts.TRAINING_LOSS,
                Charts.VALIDATION_LOSS, Charts.KL);
        assertThat(Report.trainingCurveCaption(plain)).doesNotContain("trim");
    }

    @Test
    void givenScoresAndLabels_whenPlotted_thenHistogramRocAndPrecisionRecallPngsAreWritten() throws Exception {
        Path h = dir.resolve("hist.png");
        Charts.scoreHistogram(scores, data.labels(), 20.0, h);
        png(h);
        Curves c = Curves.of(scores, data.labels());
        Path roc = dir.resolve("roc.png");
        Charts.roc(c, RankingMetrics.auroc(scores, data.labels()), roc);
        png(roc);
        Path pr = dir.resolve("pr.png");
        Charts.precisionRecall(c, RankingMetrics.averagePrecision(scores, data.labels()), 0.35, pr);
        png(pr);
        Path bars = dir.resolve("bars.png");
        double[] contribution = new double[data.width()];
        for (int j = 0; j < contribution.length; j++) {
            contribution[j] = j + 1;
        }
        Charts.featureBars(data.columns(), contribution, "mean contribution", bars);
        png(bars);
    }

    @Test
    void givenCurves_whenComputed_thenTheyStartAtTheOriginAndEndAtOne() {
        Curves c = Curves.of(scores, data.labels());
        assertThat(c.falsePositiveRate()[0]).isZero();
        assertThat(c.truePositiveRate()[0]).isZero();
        assertThat(c.falsePositiveRate()[c.falsePositiveRate().length - 1]).isEqualTo(1.0);
        assertThat(c.truePositiveRate()[c.truePositiveRate().length - 1]).isEqualTo(1.0);
    }

    @Test
    void givenMnistDigits_whenGridded_thenThePngShowsTheirPixels() throws Exception {
        Table mnist;
        try (CsvReader r = CsvReader.open(SharedData.require("data/mnist/mnist_test.csv.gz"),
                CsvOptions.withLabel("digit", Set.of()))) {
            float[] v = new float[16 * 784];
            assertThat(r.read(v, new int[16], 16)).isEqualTo(16);
            mnist = new Table(r.featureColumns(), v, 16, null, "mnist");
        }
        Path p = dir.resolve("grid.png");
        ImageGrid.write(mnist.values(), 16, ImageGrid.side(784), 4, p);
        BufferedImage img = ImageIO.read(p.toFile());
        assertThat(img.getWidth()).isEqualTo(4 * (28 * 2 + 2) + 2);
        long bright = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFF) > 200) {
                    bright++;
                }
            }
        }
        assertThat(bright).as("white stroke pixels of the digits").isGreaterThan(1000);
    }
}
