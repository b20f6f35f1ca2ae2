package dev.vae.cli;

import dev.vae.anomaly.eval.Evaluation;
import dev.vae.anomaly.score.CsvScoring;
import dev.vae.anomaly.score.ScoreBreakdown;
import dev.vae.anomaly.score.Scorer;
import dev.vae.cli.SharedOptions.ModelDataAndColumnsOptions;
import dev.vae.cli.SharedOptions.NoThresholdOption;
import dev.vae.cli.report.ContributionMeans;
import dev.vae.cli.report.ImageGrid;
import dev.vae.cli.report.Report;
import dev.vae.core.Threshold;
import dev.vae.anomaly.series.SeriesEvaluation;
import dev.vae.anomaly.series.SeriesScoring;
import dev.vae.core.series.SeriesLayout;
import dev.vae.core.series.TimeSeries;
import dev.vae.core.VaeModel;
import dev.vae.train.EpochStats;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vae report}: pictures of a model on a CSV file, and an index.html showing them. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write pictures of a model on a CSV file into a folder, with an index.html that shows them: the "
                + "score histogram with the threshold line and the mean per-feature contributions; with a label column "
                + "also the ROC and precision-recall curves; with --history the training curve; for image data (a "
                + "square number of columns, e.g. 784 = 28x28) a grid of generated samples and a grid of inputs "
                + "beside their reconstructions.",
                "Of an ensemble (vae train --ensemble N), the scores are the ensemble's, the samples come from the "
                + "mixture of its members, and the reconstructions are member 1's, each member having its own latent "
                + "space.",
                "The CSV is streamed: only the scores (and labels) are held, 12 bytes a row."})
final class ReportCommand implements Callable<Integer> {

    private static final int GRID_ROWS = 32;

    @Mixin
    CommonOptions common;

    // Shared options (SharedOptions); report words all four its own way in OptionWording.properties. The data must
    // be a file (not standard input): the image grids read its first rows again.
    @Mixin
    ModelDataAndColumnsOptions input;

    @Option(names = "--history", paramLabel = "FILE.json", description = "The history written by 'vae train --history', for the training curve (default: none, no curve).")
    Path history;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the PNG files and index.html (created when missing).")
    Path outDir;

    @Override
    public Integer call() throws Exception {
        VaeModel model = input.read();
        List<EpochStats> epochs = history == null ? null : HistoryFile.read(history);
        Scorer scorer = new Scorer(model);
        Threshold threshold = NoThresholdOption.modelThreshold(model, scorer.settings());
        if (SeriesLayout.of(model).isPresent()) {
            return reportSeries(model, scorer, threshold, epochs);
        }
        int d = model.inputDim();
        int side = ImageGrid.side(d);
        KeptScores kept = new KeptScores(false);
        ContributionMeans means = new ContributionMeans(d, threshold);
        CsvScoring.score(input.dataPath(), scorer, input.labelColumn(), true, (first, n, s, l, parts) -> {
            kept.accept(first, n, s, l, parts);
            means.add(parts, l == null ? null : Arrays.copyOf(l, n));
        });
        int n = kept.rows();
        if (n == 0) {
            throw new IllegalArgumentException(input.dataPath() + ": no data rows to report on");
        }
        double[] sc = kept.scores();
        int[] lab = kept.labels();
        Report report = newReport();
        Evaluation e = Evaluation.of(sc, sc, new double[n], lab, threshold);
        report.summary(String.format(Locale.ROOT, "%s, %d features; %d rows of %s%s", model.architecture().describe(), d,
                n, input.dataPath(), lab == null ? " (no labels)" : String.format(Locale.ROOT, ", %d labelled anomalies", e.anomalies())));
        report.summary(thresholdSummary(threshold));
        ensembleSummary(report, model);
        if (lab != null && e.counts() != null) {
            report.summary(String.format(Locale.ROOT, "AUROC %.4f, AUPRC %.4f; at the threshold: precision %.3f, recall %.3f, "
                            + "F1 %.3f (TP %d, FP %d, TN %d, FN %d)", e.auroc(), e.auprc(), e.counts().precision(),
                    e.counts().recall(), e.counts().f1(), e.counts().truePositives(), e.counts().falsePositives(),
                    e.counts().trueNegatives(), e.counts().falseNegatives()));
        } else if (lab != null) {
            report.summary(String.format(Locale.ROOT, "AUROC %.4f, AUPRC %.4f", e.auroc(), e.auprc()));
        }
        report.trainingCurve(epochs);
        report.scoreHistogram(sc, lab, threshold);
        if (lab != null && e.anomalies() > 0 && e.anomalies() < n) {
            report.curves(sc, lab, e.auroc(), e.auprc());
        }
        means.writeTo(report, model.featureNames());
        if (side > 0) {
            imageGrids(report, model, side);
        }
        return writeIndex(report);
    }

    /**
     * A windowed model on a series: the training curve, the score histogram, ROC and precision-recall with labels,
     * and the series and its point scores ({@link SeriesPictures}).
     */
    private int reportSeries(VaeModel model, Scorer scorer, @Nullable Threshold threshold,
                             @Nullable List<EpochStats> epochs) throws java.io.IOException {
        SeriesScoring scoring = new SeriesScoring(scorer);
        TimeSeries series = input.data().readSeries(scoring, input.labelColumn());
        double[] sc = scoring.score(series);
        int[] lab = series.observedLabels();
        SeriesLayout layout = scoring.layout();
        Report report = newReport();
        report.summary(String.format(Locale.ROOT, "%s; %d points of %s, windows of %d, %s rule%s",
                model.architecture().describe(), sc.length, input.dataPath(), layout.window(), layout.pointRule().id(),
                lab == null ? " (no labels)" : ""));
        report.summary(thresholdSummary(threshold));
        ensembleSummary(report, model);
        if (lab != null) {
            SeriesEvaluation e = SeriesEvaluation.of(sc, lab, layout.window(), threshold, false);
            report.summary(String.format(Locale.ROOT, "VUS-PR %.4f, VUS-ROC %.4f, AUPRC %.4f, AUROC %.4f (%d labelled points)",
                    e.vus().vusPr(), e.vus().vusRoc(), e.auprc(), e.auroc(), e.anomalies()));
            if (e.anomalies() > 0 && e.anomalies() < sc.length) {
                report.curves(sc, lab, e.auroc(), e.auprc());
            }
        }
        report.trainingCurve(epochs);
        report.scoreHistogram(sc, lab, threshold);
        SeriesPictures.write(report, series, sc, threshold, null, "", null);
        return writeIndex(report);
    }

    /** A report in {@code --out} titled with the model's and the data's file names. */
    private Report newReport() throws java.io.IOException {
        return new Report(outDir, "vae report: " + input.modelPath().getFileName() + " on "
                + input.dataPath().getFileName());
    }

    /** The summary line of the model's threshold. */
    private static String thresholdSummary(@Nullable Threshold threshold) {
        return threshold == null ? "No threshold in the model." : String.format(Locale.ROOT,
                "Threshold %.6g nats (%s, fitted on %s)", threshold.value(), threshold.method(), threshold.fittedOn());
    }

    /** Of an ensemble, a summary line saying that its scores are the mean of its members'; nothing for one network. */
    private static void ensembleSummary(Report report, VaeModel model) {
        if (model.memberCount() > 1) {
            report.summary(String.format(Locale.ROOT, "Ensemble of %d networks: every score here is the mean of their"
                    + " scores, in nats.", model.memberCount()));
        }
    }

    /** Writes the report's index.html and says so on standard output; returns the exit status, 0. */
    private int writeIndex(Report report) throws java.io.IOException {
        Path index = report.writeIndex();
        PrintWriter out = common.out();
        out.printf(Locale.ROOT, "wrote %s with %s%n", index,
                String.join(", ", report.pictures().stream().map(Report.Picture::file).toList()));
        out.flush();
        return 0;
    }

    /** The pictures both {@code demo} and {@code report} draw from a fully scored set. */
    static void writePictures(Report report, @Nullable List<EpochStats> history, VaeModel model, ScoreBreakdown parts,
                              int @Nullable [] labels, @Nullable Threshold threshold, Evaluation e) throws java.io.IOException {
        report.trainingCurve(history);
        report.scoreHistogram(parts.scores(), labels, threshold);
        if (labels != null && e.anomalies() > 0 && e.anomalies() < parts.rows()) {
            report.curves(parts.scores(), labels, e.auroc(), e.auprc());
        }
        ContributionMeans means = new ContributionMeans(model.inputDim(), threshold);
        means.add(parts, labels);
        means.writeTo(report, model.featureNames());
    }

    private void imageGrids(Report report, VaeModel model, int side) throws java.io.IOException {
        int count = 64;
        ImageGrid.write(model.generate(count, 1, false), count, side, 8, report.dir().resolve("samples.png"));
        int members = model.memberCount();
        report.picture("samples.png", "Generated samples",
                "64 rows decoded from z ~ N(0, I) (the likelihood's mean)" + (members == 1 ? "" : String.format(
                        Locale.ROOT, ", from the mixture of the ensemble's %d members (row i from member i mod %d)",
                        members, members)) + ": what the model thinks the data look like.");
        float[] inputs = new float[GRID_ROWS * d(model)];
        int n;
        try (CsvReader reader = CsvReader.open(input.dataPath(), CsvOptions.forColumns(model.featureNames(), input.labelColumn()))) {
            n = reader.read(inputs, input.labelColumn() == null ? null : new int[GRID_ROWS], GRID_ROWS);
        }
        if (n == 0) {
            return;
        }
        float[] x = Arrays.copyOf(inputs, n * d(model));
        // Each member of an ensemble has its own latent space: the reconstructions are member 1's, and say so.
        float[] rec = reconstruct(model.member(0), x, n);
        int d = d(model);
        float[] pairs = new float[2 * n * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, i * d, pairs, 2 * i * d, d);
            System.arraycopy(rec, i * d, pairs, (2 * i + 1) * d, d);
        }
        ImageGrid.write(pairs, 2 * n, side, 8, report.dir().resolve("reconstructions.png"));
        report.picture("reconstructions.png", "Inputs and their reconstructions",
                "The first " + n + " rows of the data, each followed by its reconstruction (decoder mean at z = mu), "
                        + "4 pairs per line." + (members == 1 ? "" : String.format(Locale.ROOT, " Member 1 of the"
                        + " ensemble's %d reconstructs them: each member has its own latent space, and the scores"
                        + " above are the ensemble's.", members)));
    }

    private static int d(VaeModel model) {
        return model.inputDim();
    }

    /** The decoder's mean at z = mu for each raw row, in raw units, of a model of one network (an ensemble's member). */
    static float[] reconstruct(VaeModel model, float[] raw, int rows) {
        float[] mu = model.encode(raw, rows);
        dev.vae.core.nn.Architecture a = model.architecture();
        int d = a.inputDim();
        int rw = a.decoderOutputDim();
        float[] params = new float[rows * rw];
        model.network().newEvaluator().decode(mu, 0, rows, params);
        float[] x = new float[rows * d];
        for (int i = 0; i < rows; i++) {
            a.likelihood().mean(params, i * rw, d, x, i * d);
        }
        model.scaler().invert(x, 0, x, 0, rows);
        return x;
    }
}
