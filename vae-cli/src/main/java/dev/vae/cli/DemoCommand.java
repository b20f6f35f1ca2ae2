package dev.vae.cli;

import dev.vae.anomaly.Detector;
import dev.vae.anomaly.TrainedDetector;
import dev.vae.anomaly.eval.ConfusionCounts;
import dev.vae.anomaly.eval.Evaluation;
import dev.vae.anomaly.score.ScoreBreakdown;
import dev.vae.anomaly.score.Scorer;
import dev.vae.cli.report.Report;
import dev.vae.core.Threshold;
import dev.vae.core.VaeModel;
import dev.vae.train.TrainingConfig;
import dev.vae.train.TrainingResult;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.StratifiedSplit;
import dev.vae.core.data.Table;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vae demo}: the main job on the Statlog Shuttle data set embedded in the jar. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the main job on the Statlog Shuttle data (UCI; embedded in the jar, see NOTICE-datasets.txt): "
                + "train a VAE on a stratified 70%% of the rows (labels unused), fit the anomaly threshold on the "
                + "held-out validation rows with the default strategy, evaluate on the other 30%%, print a short "
                + "report and write pictures with an index.html into --out.",
                "Takes about half a minute on 2 cores."})
final class DemoCommand implements Callable<Integer> {

    static final String DATASET = "/datasets/shuttle.csv.gz";

    @Mixin
    CommonOptions common;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Seed of the split and the training (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "demo-output", paramLabel = "DIR", description = "Folder for the pictures and index.html (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Option(names = "--series", description = "Run the time-series job instead: NAB's NYC taxi series (MIT; embedded), a windowed "
            + "VAE fitted on the whole series without labels, every point scored, the series replayed as a stream with a "
            + "DSPOT threshold, and pictures of the series with its scores and flags (default: off).")
    boolean series;

    /** Fewer epochs for tests; hidden from --help. */
    @Option(names = "--epochs", defaultValue = "100", hidden = true)
    int epochs;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = common.out();
        if (series) {
            SeriesDemo.run(out, outDir, seed, epochs);
            return 0;
        }
        long t0 = System.nanoTime();
        Table all;
        try (InputStream in = DemoCommand.class.getResourceAsStream(DATASET)) {
            if (in == null) {
                throw new IllegalStateException("The embedded data set " + DATASET + " is missing from the jar");
            }
            all = CsvReader.open(in, "shuttle.csv.gz (embedded)", CsvOptions.withLabel("label", Set.of())).readAll();
        }
        StratifiedSplit split = StratifiedSplit.of(all, 0.7, seed);
        int anomalies = count(all.labels());
        out.printf(Locale.ROOT, "Data      Statlog Shuttle (UCI, embedded): %d rows x %d numeric features (%s..%s), %d labelled "
                        + "anomalies (%.1f%%)%n", all.rows(), all.width(), all.columns().get(0),
                all.columns().get(all.width() - 1), anomalies, 100.0 * anomalies / all.rows());
        out.printf(Locale.ROOT, "Split     %d rows to train on (labels unused), %d rows to test on; same share of anomalies "
                + "in both (seed %d)%n", split.train().rows(), split.test().rows(), seed);
        out.flush();

        long tTrain = System.nanoTime();
        TrainedDetector trained = Detector.builder()
                .training(TrainingConfig.defaults().withSeed(seed).withEpochs(epochs)).fit(split.train());
        double trainSeconds = (System.nanoTime() - tTrain) / 1e9;
        TrainingResult result = trained.training();
        Table validation = trained.thresholdRows();
        VaeModel model = trained.model();
        Threshold threshold = trained.threshold();
        out.printf(Locale.ROOT, "Model     %s; %d epochs in %.1f s (%s), kept the weights of epoch %d%n",
                model.architecture().describe(), result.history().size(), trainSeconds, result.stopReason(),
                result.bestEpoch());
        String trimmed = TrainingProgress.trimSummary(model);
        if (trimmed != null) {
            out.printf(Locale.ROOT, "Trimming  the last epoch %s%n", trimmed);
        }
        out.printf(Locale.ROOT, "Score     negative ELBO of each row, in nats: higher = more anomalous%n");
        Scorer scorer = new Scorer(model);
        double[] validationScores = scorer.score(validation.values(), validation.rows());
        long exceed = java.util.Arrays.stream(validationScores).filter(threshold::isAnomalous).count();
        out.printf(Locale.ROOT, "Threshold %.4g nats (%s): %d of the %d validation rows (%s) exceed it "
                        + "(rows held out from training; labels unused)%n",
                threshold.value(), threshold.method(), exceed, validation.rows(), pct((double) exceed / validation.rows()));

        ScoreBreakdown parts = scorer.explain(split.test().values(), split.test().rows());
        int[] labels = split.test().labels();
        Evaluation e = Evaluation.of(parts, labels, threshold);
        ConfusionCounts c = e.counts();
        out.printf(Locale.ROOT, "%nOn the %d test rows (%d anomalies):%n", split.test().rows(), e.anomalies());
        out.printf(Locale.ROOT, "  AUROC %.4f   AUPRC %.4f   (ranking quality, no threshold; chance: 0.5 and %.3f)%n",
                e.auroc(), e.auprc(), (double) e.anomalies() / split.test().rows());
        out.printf(Locale.ROOT, "  at the threshold: precision %.3f  recall %.3f  F1 %.3f%n", c.precision(), c.recall(), c.f1());
        out.printf(Locale.ROOT, "                    flagged   not flagged%n");
        out.printf(Locale.ROOT, "    anomalous rows  %7d   %11d%n", c.truePositives(), c.falseNegatives());
        out.printf(Locale.ROOT, "    normal rows     %7d   %11d%n", c.falsePositives(), c.trueNegatives());

        out.printf(Locale.ROOT, "%nThe 5 most anomalous test rows (row: 0-based data row of shuttle.csv; label: as the data set gives it) and the 3 features "
                + "contributing most to their reconstruction term, with the training rows' median for comparison:%n");
        for (String line : topRows(parts, split.test(), split.testRows(), medians(split.train()), 5, 3)) {
            out.println("  " + line);
        }
        out.flush();

        Report report = new Report(outDir, "vae demo: Statlog Shuttle");
        report.summary(String.format(Locale.ROOT, "%d training rows, %d test rows (%d anomalies); %s",
                split.train().rows(), split.test().rows(), e.anomalies(), model.architecture().describe()));
        report.summary(String.format(Locale.ROOT, "AUROC %.4f, AUPRC %.4f; threshold %.4g nats (%s on %d validation rows): "
                        + "precision %.3f, recall %.3f, F1 %.3f", e.auroc(), e.auprc(), threshold.value(), threshold.method(),
                validation.rows(), c.precision(), c.recall(), c.f1()));
        ReportCommand.writePictures(report, result.history(), model, parts, labels, threshold, e);
        Path index = report.writeIndex();
        out.printf(Locale.ROOT, "%nPictures  %s (open it in a browser): %s%n", index,
                String.join(", ", report.pictures().stream().map(Report.Picture::file).toList()));
        out.printf(Locale.ROOT, "Done in %.1f s.%n", (System.nanoTime() - t0) / 1e9);
        out.flush();
        return 0;
    }

    private static String pct(double f) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * f);
    }

    /** One line per row of the {@code n} highest scores: row, label, score and the top {@code k} features. */
    static List<String> topRows(ScoreBreakdown parts, Table table, int[] rowIds, float[] typical, int n, int k) {
        Integer[] order = new Integer[parts.rows()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(parts.scores()[b], parts.scores()[a]));
        List<String> lines = new ArrayList<>();
        int d = parts.features();
        for (int r = 0; r < Math.min(n, order.length); r++) {
            int i = order[r];
            Integer[] f = new Integer[d];
            for (int j = 0; j < d; j++) {
                f[j] = j;
            }
            java.util.Arrays.sort(f, (a, b) -> Double.compare(parts.contribution(i, b), parts.contribution(i, a)));
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "row %6d  %-9s score %9.4g:", rowIds[i],
                    table.labels() == null ? "" : table.labels()[i] != 0 ? "anomaly" : "normal", parts.scores()[i]));
            for (int t = 0; t < Math.min(k, d); t++) {
                int j = f[t];
                b.append(String.format(Locale.ROOT, "  %s=%s (median %s; %.3g nats)", table.columns().get(j),
                        num(table.values()[i * d + j]), num(typical[j]), parts.contribution(i, j)));
            }
            lines.add(b.toString());
        }
        return lines;
    }

    /** Each column's median over the table's rows. */
    static float[] medians(Table t) {
        int d = t.width();
        float[] m = new float[d];
        float[] col = new float[t.rows()];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < t.rows(); i++) {
                col[i] = t.values()[i * d + j];
            }
            java.util.Arrays.sort(col);
            m[j] = col[col.length / 2];
        }
        return m;
    }

    private static String num(float v) {
        return v == Math.rint(v) && Math.abs(v) < 1e7 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4g", v);
    }

    private static int count(int[] labels) {
        int c = 0;
        for (int l : labels) {
            if (l != 0) {
                c++;
            }
        }
        return c;
    }
}
