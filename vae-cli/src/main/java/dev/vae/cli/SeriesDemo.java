package dev.vae.cli;

import dev.vae.anomaly.Detector;
import dev.vae.anomaly.TrainedDetector;
import dev.vae.anomaly.eval.ConfusionCounts;
import dev.vae.anomaly.score.Scorer;
import dev.vae.anomaly.series.SeriesEvaluation;
import dev.vae.anomaly.series.SeriesScoring;
import dev.vae.anomaly.series.StreamingDetector;
import dev.vae.anomaly.series.StreamingDetector.ScoredPoint;
import dev.vae.anomaly.threshold.ThresholdSpec;
import dev.vae.cli.report.Report;
import dev.vae.core.Threshold;
import dev.vae.core.VaeModel;
import dev.vae.core.series.SeriesLayout;
import dev.vae.core.series.TimeSeries;
import dev.vae.train.TrainingConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * {@code vae demo --series}: the time-series job on NAB's New York taxi series embedded in the jar: train a windowed
 * VAE on the whole series without labels, score every point, replay the series as a stream with a DSPOT threshold,
 * report the measures and draw the series with its scores and flags.
 */
final class SeriesDemo {

    static final String DATASET = "/datasets/nyc_taxi.csv.gz";

    /** The stream's threshold: DSPOT at risk 1e-3, calibrated on the first two weeks (672 half-hours). */
    static final String STREAM_THRESHOLD = "dspot:0.001";
    static final int CALIBRATION = 672;

    private SeriesDemo() {
    }

    static void run(PrintWriter out, Path outDir, long seed, int epochs) throws IOException {
        long t0 = System.nanoTime();
        TimeSeries raw;
        try (InputStream in = SeriesDemo.class.getResourceAsStream(DATASET)) {
            if (in == null) {
                throw new IllegalStateException("The embedded data set " + DATASET + " is missing from the jar");
            }
            raw = TimeSeries.read(in, "nyc_taxi.csv.gz (embedded)", "timestamp", null, "label", Set.of(), Double.NaN, 1);
        }
        SeriesLayout layout = SeriesLayout.choose(raw, "timestamp", 0, SeriesLayout.DEFAULT_POINT_RULE);
        TimeSeries series = raw.regrid(layout.interval(), layout.keepPerGap());
        int[] labels = series.observedLabels();
        int anomalies = 0;
        for (int l : labels) {
            anomalies += l;
        }
        out.printf(Locale.ROOT, "Data      NAB realKnownCause/nyc_taxi (MIT, embedded): %d points, taxi passengers every %.0f"
                + " minutes; %d points inside NAB's labelled anomaly windows (%.1f%%)%n", series.observedPoints(),
                layout.interval() / 60, anomalies, 100.0 * anomalies / labels.length);
        out.printf(Locale.ROOT, "Windows   %d points (auto: the series' period from its autocorrelation), a window ending at"
                + " every point; a point's score is the window it is the middle of (%s rule)%n", layout.window(),
                layout.pointRule().id());
        out.flush();

        long tTrain = System.nanoTime();
        TrainedDetector trained = Detector.builder().windows(layout)
                .training(TrainingConfig.defaults().withSeed(seed).withEpochs(epochs)).fit(series, 1);
        VaeModel model = trained.model();
        Threshold threshold = trained.threshold();
        out.printf(Locale.ROOT, "Model     %s; %d epochs in %.1f s on the whole series, labels unused (%s)%n",
                model.architecture().describe(), trained.training().history().size(), (System.nanoTime() - tTrain) / 1e9,
                trained.training().stopReason());
        out.printf(Locale.ROOT, "Threshold %.4g nats (%s)%n", threshold.value(), threshold.method());

        Scorer scorer = new Scorer(model);
        double[] scores = new SeriesScoring(scorer).score(series);
        SeriesEvaluation e = SeriesEvaluation.of(scores, labels, layout.window(), threshold, false);
        out.printf(Locale.ROOT, "%nEvery point scored, against NAB's labels:%n");
        out.printf(Locale.ROOT, "  VUS-PR %.4f   AUPRC %.4f   AUROC %.4f   (chance AUPRC %.3f; NAB-BASELINES.md: Sub-PCA"
                + " VUS-PR 0.228 on this series)%n", e.vus().vusPr(), e.auprc(), e.auroc(), (double) anomalies / labels.length);
        ConfusionCounts c = e.counts();
        out.printf(Locale.ROOT, "  at the model's threshold: precision %.3f  recall %.3f  F1 %.3f (%d points flagged)%n",
                c.precision(), c.recall(), c.f1(), c.truePositives() + c.falsePositives());

        // The same series as a stream, point by point, with a threshold that follows it.
        StreamingDetector stream = StreamingDetector.calibrating(scorer, ThresholdSpec.parse(STREAM_THRESHOLD), CALIBRATION,
                threshold);
        double[] streamScores = new double[labels.length];
        double[] streamThreshold = new double[labels.length];
        boolean[] streamFlags = new boolean[labels.length];
        long tStream = System.nanoTime();
        int[] grid = series.observedGridIndex();
        for (int t : grid) {
            float[] v = java.util.Arrays.copyOfRange(series.values(), t * series.width(), (t + 1) * series.width());
            for (ScoredPoint s : stream.accept(series.times()[t], v)) {
                keep(s, streamScores, streamThreshold, streamFlags);
            }
        }
        int p = grid.length;
        for (ScoredPoint s : stream.finish()) {
            keep(s, streamScores, streamThreshold, streamFlags);
        }
        double streamSeconds = (System.nanoTime() - tStream) / 1e9;
        boolean same = java.util.Arrays.equals(scores, streamScores);
        int streamFlagged = 0;
        int streamHits = 0;
        for (int i = 0; i < labels.length; i++) {
            streamFlagged += streamFlags[i] ? 1 : 0;
            streamHits += streamFlags[i] && labels[i] != 0 ? 1 : 0;
        }
        out.printf(Locale.ROOT, "%nAs a stream (%d points, %.0f points/s on one thread): scores %s the batch's; %s"
                + " calibrated on the first %d points flags %d points, %d of them in labelled windows%n", p,
                p / streamSeconds, same ? "equal, bit for bit," : "DIFFER from", STREAM_THRESHOLD, CALIBRATION,
                streamFlagged, streamHits);
        out.flush();

        Report report = new Report(outDir, "vae demo --series: NAB nyc_taxi");
        report.summary(String.format(Locale.ROOT, "%d points, windows of %d, %s", series.observedPoints(), layout.window(),
                model.architecture().describe()));
        report.summary(String.format(Locale.ROOT, "VUS-PR %.4f, AUPRC %.4f, AUROC %.4f; threshold %.4g nats (%s): precision"
                + " %.3f, recall %.3f", e.vus().vusPr(), e.auprc(), e.auroc(), threshold.value(), threshold.method(),
                c.precision(), c.recall()));
        report.trainingCurve(trained.training().history());
        SeriesPictures.write(report, series, scores, threshold, streamThreshold, STREAM_THRESHOLD + " (stream)",
                streamFlags);
        Path index = report.writeIndex();
        out.printf(Locale.ROOT, "%nPictures  %s (open it in a browser): %s%n", index,
                String.join(", ", report.pictures().stream().map(Report.Picture::file).toList()));
        out.printf(Locale.ROOT, "Done in %.1f s.%n", (System.nanoTime() - t0) / 1e9);
        out.flush();
    }

    private static void keep(ScoredPoint s, double[] scores, double[] thresholds, boolean[] flags) {
        int i = (int) s.row();
        scores[i] = s.score();
        thresholds[i] = s.threshold();
        flags[i] = s.anomaly();
    }
}
