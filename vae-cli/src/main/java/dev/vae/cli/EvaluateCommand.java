package dev.vae.cli;

import dev.vae.anomaly.eval.ConfusionCounts;
import dev.vae.anomaly.eval.Evaluation;
import dev.vae.anomaly.score.CsvScoring;
import dev.vae.anomaly.score.Scorer;
import dev.vae.anomaly.score.ScoringMeters;
import dev.vae.cli.SharedOptions.DropColumnsOption;
import dev.vae.cli.SharedOptions.LabelColumnOption;
import dev.vae.cli.SharedOptions.MetricsOption;
import dev.vae.cli.SharedOptions.ModelAndDataOptions;
import dev.vae.cli.SharedOptions.NoThresholdOption;
import dev.vae.cli.SharedOptions.ScoreOptions;
import dev.vae.core.Threshold;
import dev.vae.anomaly.series.SeriesEvaluation;
import dev.vae.anomaly.series.SeriesScoring;
import dev.vae.core.series.SeriesLayout;
import dev.vae.core.series.TimeSeries;
import dev.vae.core.VaeModel;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vae evaluate}: a model's mean score terms on a CSV file and, with labels, how well it detects anomalies. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a model on a CSV file: mean negative ELBO, reconstruction NLL and KL (nats); with a label "
                + "column (0 = normal), AUROC, AUPRC, and precision, recall, F1 and confusion counts at the model's threshold. "
                + "For a time-series model: point-wise AUROC and AUPRC, VUS-PR and VUS-ROC with the model's window, and the "
                + "counts at its threshold.")
final class EvaluateCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    // Shared options (SharedOptions); evaluate words --label-column, --samples and --no-threshold its own way in
    // OptionWording.properties.
    @Mixin
    ModelAndDataOptions input;

    @Mixin
    LabelColumnOption labelColumn;

    @Mixin
    ScoreOptions scoring;

    @Mixin
    DropColumnsOption dropColumns;

    @Option(names = "--json", description = "Print one JSON object instead of text (default: text, one name and value a line).")
    boolean json;

    @Mixin
    NoThresholdOption noThreshold;

    @Option(names = "--point-adjusted", description = "With a time-series model, also report the point-adjusted F1 at the"
            + " threshold (a labelled stretch counts as found when any of its points is flagged). It inflates: a random"
            + " score reaches a high one (Kim et al., AAAI 2022); prefer vus_pr (default: off).")
    boolean pointAdjusted;

    @Mixin
    MetricsOption metrics;

    @Override
    public Integer call() throws Exception {
        ScoringSetup run = ScoringSetup.of(input, labelColumn, dropColumns, scoring, noThreshold, metrics);
        print(run.series() ? evaluateSeries(run.scorer(), run.threshold(), run.meters())
                : evaluateRows(run.model(), run.scorer(), run.threshold(), run.meters()));
        metrics.write();
        return 0;
    }

    /** A model of independent rows: the mean score terms and, with labels, the ranking and threshold figures. */
    private Map<String, Object> evaluateRows(VaeModel model, Scorer scorer, @Nullable Threshold threshold,
                                             @Nullable ScoringMeters meters) throws IOException {
        // Scores and labels must be held for AUROC, with the terms for their means: ~28 bytes a row.
        KeptScores kept = new KeptScores(true);
        try (CsvReader reader = input.data.open(CsvOptions.forColumns(model.featureNames(), labelColumn.name))) {
            CsvScoring.score(reader, scorer, true, meters, kept);
        }
        if (kept.rows() == 0) {
            throw new IllegalArgumentException(input.dataPath() + ": no data rows to evaluate");
        }
        return report(kept.evaluation(threshold), scorer);
    }

    private void print(Map<String, Object> report) {
        PrintWriter out = common.out();
        if (json) {
            out.println(Json.write(report));
        } else {
            for (Map.Entry<String, Object> entry : report.entrySet()) {
                Object v = entry.getValue();
                out.printf(Locale.ROOT, "%-24s %s%n", entry.getKey(),
                        v instanceof Double x ? String.format(Locale.ROOT, "%.6g", x) : String.valueOf(v));
            }
        }
        out.flush();
    }

    /** A windowed model on a labelled series: point-wise and range-aware measures (SeriesEvaluation). */
    private Map<String, Object> evaluateSeries(Scorer scorer, @Nullable Threshold threshold,
                                               @Nullable ScoringMeters meters) throws IOException {
        if (labelColumn.name == null) {
            throw new IllegalArgumentException("Evaluating a time-series model needs --label-column (0 = normal point)");
        }
        SeriesScoring scoring = new SeriesScoring(scorer);
        TimeSeries series = input.data.readSeries(scoring, labelColumn.name);
        long t0 = System.nanoTime();
        double[] scores = scoring.score(series);
        if (meters != null) {
            meters.record(System.nanoTime() - t0, scores, 0, scores.length);
        }
        SeriesLayout layout = scoring.layout();
        SeriesEvaluation e = SeriesEvaluation.of(scores, series.observedLabels(), layout.window(), threshold, pointAdjusted);
        Map<String, Object> r = Json.object();
        r.put("n", e.points());
        r.put("score", scorer.settings().kind().id());
        r.put("window", layout.window());
        r.put("point_rule", layout.pointRule().id());
        double mean = 0;
        for (double x : scores) {
            mean += x / scores.length;
        }
        r.put("mean_score", mean);
        r.put("threshold", threshold == null ? null : threshold.value());
        r.put("threshold_method", threshold == null ? null : threshold.method());
        r.put("anomalies", e.anomalies());
        r.put("auroc", e.auroc());
        r.put("auprc", e.auprc());
        r.put("vus_pr", e.vus().vusPr());
        r.put("vus_roc", e.vus().vusRoc());
        ConfusionCounts c = e.counts();
        r.put("precision", c == null ? null : c.precision());
        r.put("recall", c == null ? null : c.recall());
        r.put("f1", c == null ? null : c.f1());
        if (c != null) {
            r.put("true_positives", c.truePositives());
            r.put("false_positives", c.falsePositives());
            r.put("true_negatives", c.trueNegatives());
            r.put("false_negatives", c.falseNegatives());
        }
        if (pointAdjusted) {
            r.put("point_adjusted_f1_inflated", Double.isNaN(e.pointAdjustedF1()) ? null : e.pointAdjustedF1());
        }
        return r;
    }

    static Map<String, Object> report(Evaluation e, Scorer scorer) {
        Map<String, Object> r = Json.object();
        r.put("n", e.rows());
        r.put("score", scorer.settings().kind().id());
        r.put("samples", scorer.settings().samples());
        r.put("mean_score", e.meanScore());
        r.put("mean_negative_elbo", e.meanNegativeElbo());
        r.put("mean_reconstruction_nll", e.meanReconstructionNll());
        r.put("mean_kl", e.meanKl());
        Threshold t = e.threshold();
        r.put("threshold", t == null ? null : t.value());
        r.put("threshold_method", t == null ? null : t.method());
        if (e.anomalies() >= 0) {
            r.put("anomalies", e.anomalies());
            r.put("auroc", e.auroc());
            r.put("auprc", e.auprc());
            ConfusionCounts c = e.counts();
            if (c != null) {
                r.put("precision", c.precision());
                r.put("recall", c.recall());
                r.put("f1", c.f1());
                r.put("true_positives", c.truePositives());
                r.put("false_positives", c.falsePositives());
                r.put("true_negatives", c.trueNegatives());
                r.put("false_negatives", c.falseNegatives());
            } else {
                r.put("precision", null);
                r.put("recall", null);
                r.put("f1", null);
            }
        }
        return r;
    }
}
