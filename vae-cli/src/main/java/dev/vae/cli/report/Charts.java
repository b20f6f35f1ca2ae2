package dev.vae.cli.report;

import dev.vae.train.EpochStats;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Renders the report's charts to PNG files with XChart. Headless: no display is needed. */
public final class Charts {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;

    private Charts() {
    }

    /** Name of the training curve's line of the loss the gradient minimised (with trimming, the kept rows'). */
    public static final String TRAINING_LOSS = "training loss (minimised)";
    /** Name of the training curve's line of the rows trimming leaves out of the gradient (drawn only when some are). */
    public static final String LEFT_OUT_LOSS = "rows left out by trimming (right axis)";
    /** Name of the training curve's validation line. */
    public static final String VALIDATION_LOSS = "validation loss";
    /** Name of the training curve's KL line (the KL part of the training loss). */
    public static final String KL = "KL";

    /**
     * Per epoch: the training loss that the gradient minimised (with trimmed-loss training, the mean over the kept
     * rows), the mean loss of the rows trimming left out as a line of its own (epochs that left rows out only), the
     * validation loss and the KL part of the training loss. See {@link EpochStats} for the definitions.
     */
    public static void trainingCurve(List<EpochStats> history, Path png) throws IOException {
        BitmapEncoder.saveBitmap(trainingCurveChart(history), png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** The chart {@link #trainingCurve} draws. */
    static XYChart trainingCurveChart(List<EpochStats> history) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Training curve")
                .xAxisTitle("epoch").yAxisTitle("nats per row").build();
        style(chart);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        double[] epoch = history.stream().mapToDouble(EpochStats::epoch).toArray();
        chart.addSeries(TRAINING_LOSS, epoch, history.stream().mapToDouble(EpochStats::loss).toArray())
                .setMarker(SeriesMarkers.NONE).setLineColor(MODEL_COLOR);
        // Only the epochs that left rows out: before trimming starts there is no such group (and no NaN to plot).
        List<EpochStats> trimmed = history.stream().filter(s -> s.leftOutRows() > 0).toList();
        if (!trimmed.isEmpty()) {
            XYSeries left = chart.addSeries(LEFT_OUT_LOSS, trimmed.stream().mapToDouble(EpochStats::epoch).toArray(),
                    trimmed.stream().mapToDouble(EpochStats::leftOutLoss).toArray());
            left.setMarker(SeriesMarkers.NONE).setLineColor(LEFT_OUT_COLOR);
            left.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {6f, 4f}, 0f));
            // Its own axis on the right: the left-out rows (anomalies, mostly) can sit hundreds of nats above the
            // kept ones, and on a shared axis the minimised loss would be a flat line at the bottom.
            left.setYAxisGroup(1);
            chart.setYAxisGroupTitle(1, "left-out rows, nats per row");
            chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
            chart.getStyler().setYAxisGroupTitleColor(1, LEFT_OUT_COLOR);
        }
        double[] validation = history.stream().mapToDouble(EpochStats::validationLoss).toArray();
        if (java.util.Arrays.stream(validation).allMatch(Double::isFinite)) {
            chart.addSeries(VALIDATION_LOSS, epoch, validation).setMarker(SeriesMarkers.NONE)
                    .setLineColor(new Color(230, 150, 30));
        }
        chart.addSeries(KL, epoch, history.stream().mapToDouble(EpochStats::kl).toArray()).setMarker(SeriesMarkers.NONE)
                .setLineColor(new Color(60, 160, 90));
        return chart;
    }

    /**
     * Histogram of scores for normal and anomalous rows (or all rows without labels), with the threshold marked.
     * Scores are clipped to the 0.5%-99.5% range of all scores so a few extreme rows do not flatten the plot.
     */
    public static void scoreHistogram(double[] scores, int[] labels, Double threshold, Path png) throws IOException {
        double[] sorted = scores.clone();
        java.util.Arrays.sort(sorted);
        double lo = sorted[(int) Math.floor(0.005 * (sorted.length - 1))];
        double hi = sorted[(int) Math.ceil(0.995 * (sorted.length - 1))];
        if (threshold != null) {
            lo = Math.min(lo, threshold);
            hi = Math.max(hi, threshold);
        }
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        int bins = 50;
        double width = (hi - lo) / bins;
        double[] centers = new double[bins];
        for (int b = 0; b < bins; b++) {
            centers[b] = lo + (b + 0.5) * width;
        }
        double[] normal = new double[bins];
        double[] anomalous = new double[bins];
        for (int i = 0; i < scores.length; i++) {
            int b = (int) Math.floor((Math.min(Math.max(scores[i], lo), hi) - lo) / width);
            b = Math.min(bins - 1, Math.max(0, b));
            if (labels != null && labels[i] != 0) {
                anomalous[b]++;
            } else {
                normal[b]++;
            }
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Scores (negative ELBO, nats; higher = more anomalous)")
                .xAxisTitle("score").yAxisTitle("share of rows in the class").build();
        style(chart);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
        addShare(chart, labels == null ? "all rows" : "normal", centers, normal, new Color(60, 120, 200, 160));
        if (labels != null) {
            addShare(chart, "anomalous", centers, anomalous, new Color(220, 80, 60, 160));
        }
        if (threshold != null) {
            double top = 0;
            for (XYSeries s : chart.getSeriesCollection()) {
                top = Math.max(top, s.getYMax());
            }
            XYSeries t = chart.addSeries(String.format(Locale.ROOT, "threshold %.4g", threshold),
                    new double[] {threshold, threshold}, new double[] {0, top});
            t.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            t.setLineColor(Color.BLACK);
            t.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            t.setMarker(SeriesMarkers.NONE);
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void addShare(XYChart chart, String name, double[] x, double[] counts, Color color) {
        double total = 0;
        for (double c : counts) {
            total += c;
        }
        double[] share = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            share[i] = total > 0 ? counts[i] / total : 0;
        }
        XYSeries s = chart.addSeries(name + " (" + (long) total + " rows)", x, share);
        s.setMarker(SeriesMarkers.NONE);
        s.setFillColor(color);
        s.setLineColor(color.darker());
    }

    /** The ROC curve, with its area in the title. */
    public static void roc(Curves curves, double auroc, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(HEIGHT).height(HEIGHT)
                .title(String.format(Locale.ROOT, "ROC curve (AUROC %.4f)", auroc))
                .xAxisTitle("false positive rate").yAxisTitle("true positive rate").build();
        style(chart);
        tickAnchor(chart);
        chart.addSeries("model", curves.falsePositiveRate(), curves.truePositiveRate()).setMarker(SeriesMarkers.NONE)
                .setLineColor(MODEL_COLOR);
        chart.addSeries("chance", new double[] {0, 1}, new double[] {0, 1}).setMarker(SeriesMarkers.NONE)
                .setLineColor(Color.GRAY);
        unitAxes(chart);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** The precision-recall curve, with the average precision in the title. */
    public static void precisionRecall(Curves curves, double averagePrecision, double baseRate, Path png)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(HEIGHT).height(HEIGHT)
                .title(String.format(Locale.ROOT, "Precision-recall (AUPRC %.4f)", averagePrecision))
                .xAxisTitle("recall").yAxisTitle("precision").build();
        style(chart);
        tickAnchor(chart);
        chart.addSeries("model", curves.truePositiveRate(), curves.precision()).setMarker(SeriesMarkers.NONE)
                .setLineColor(MODEL_COLOR);
        chart.addSeries(String.format(Locale.ROOT, "chance (%.3f)", baseRate), new double[] {0, 1},
                new double[] {baseRate, baseRate}).setMarker(SeriesMarkers.NONE).setLineColor(Color.GRAY);
        unitAxes(chart);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** Mean contribution of each feature to the score of the given rows, largest first. */
    public static void featureBars(List<String> names, double[] meanContribution, String title, Path png)
            throws IOException {
        featureBars(names, meanContribution, "contribution", null, null, title, png);
    }

    /**
     * Mean contribution (nats) of each feature for one group of rows, optionally beside a second group, as bars; the
     * 20 features with the largest first-group contribution, largest first.
     */
    public static void featureBars(List<String> names, double[] focus, String focusName,
                                   double @org.jspecify.annotations.Nullable [] other,
                                   @org.jspecify.annotations.Nullable String otherName, String title, Path png)
            throws IOException {
        List<Integer> idx = new ArrayList<>();
        for (int j = 0; j < names.size(); j++) {
            idx.add(j);
        }
        idx.sort((a, b) -> Double.compare(focus[b], focus[a]));
        List<Integer> top = idx.subList(0, Math.min(20, idx.size()));
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("feature").yAxisTitle("mean contribution, nats per row").build();
        chart.getStyler().setLegendVisible(other != null);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        int longest = top.stream().mapToInt(j -> names.get(j).length()).max().orElse(0);
        chart.getStyler().setXAxisLabelRotation(top.size() * Math.max(longest, 3) > 60 ? 45 : 0);
        chart.getStyler().setXAxisTickMarkSpacingHint(8); // else XChart labels only every other bar
        chart.getStyler().setYAxisDecimalPattern("#,##0.##");
        chart.getStyler().setOverlapped(false);
        List<String> cats = top.stream().map(names::get).toList();
        chart.addSeries(focusName, cats, top.stream().map(j -> focus[j]).toList())
                .setFillColor(new Color(220, 80, 60));
        if (other != null) {
            chart.addSeries(otherName == null ? "other rows" : otherName, cats, top.stream().map(j -> other[j]).toList())
                    .setFillColor(new Color(60, 120, 200));
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * A time series (top, {@code values.png}-style: its values, labelled stretches in orange, flagged points in red)
     * drawn over the point index.
     *
     * @param values   one value per point (the first value column)
     * @param labels   per point 0/1, or null
     * @param flagged  per point, whether the detector flagged it
     */
    public static void series(String title, double[] values, int @org.jspecify.annotations.Nullable [] labels,
                              boolean[] flagged, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(2 * WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("point").yAxisTitle("value").build();
        style(chart);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        double[] x = new double[values.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        chart.addSeries("value", x, values).setMarker(SeriesMarkers.NONE).setLineColor(MODEL_COLOR)
                .setLineStyle(new BasicStroke(1f));
        if (labels != null) {
            addPoints(chart, "labelled anomaly", x, values, i -> labels[i] != 0, new Color(255, 160, 0), 5);
        }
        addPoints(chart, "flagged", x, values, i -> flagged[i], LEFT_OUT_COLOR, 4);
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * A series' point scores with the model's fixed threshold (none when NaN) and, when given, the threshold a stream
     * moved (SPOT/DSPOT), flagged points in red.
     */
    public static void seriesScores(double[] scores, double threshold,
                                    double @org.jspecify.annotations.Nullable [] streamThreshold, String streamName,
                                    boolean[] flagged, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(2 * WIDTH).height(HEIGHT).title("Point scores")
                .xAxisTitle("point").yAxisTitle("score (nats)").build();
        style(chart);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        double[] x = new double[scores.length];
        double[] t = new double[scores.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
            t[i] = threshold;
        }
        chart.addSeries("score", x, scores).setMarker(SeriesMarkers.NONE).setLineColor(MODEL_COLOR)
                .setLineStyle(new BasicStroke(1f));
        if (Double.isFinite(threshold)) {
            chart.addSeries("model threshold", x, t).setMarker(SeriesMarkers.NONE).setLineColor(Color.DARK_GRAY)
                    .setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                            new float[] {6f, 4f}, 0f));
        }
        if (streamThreshold != null) {
            chart.addSeries(streamName, x, streamThreshold).setMarker(SeriesMarkers.NONE)
                    .setLineColor(new Color(0, 150, 80)).setLineStyle(new BasicStroke(1.5f));
        }
        addPoints(chart, "flagged", x, scores, i -> flagged[i], LEFT_OUT_COLOR, 4);
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void addPoints(XYChart chart, String name, double[] x, double[] y,
                                  java.util.function.IntPredicate keep, Color color, int size) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (keep.test(i) && Double.isFinite(y[i])) {
                xs.add(x[i]);
                ys.add(y[i]);
            }
        }
        if (xs.isEmpty()) {
            return;
        }
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(color);
        chart.getStyler().setMarkerSize(size);
    }

    private static final Color MODEL_COLOR = new Color(40, 80, 200);
    private static final Color LEFT_OUT_COLOR = new Color(200, 70, 50);

    /**
     * An invisible first series of three points. XChart 4.0.3 crowds the x axis with a tick every ~0.08 when the
     * first series has many points (a ROC curve has one per distinct score); a short first series gives it round ticks.
     */
    private static void tickAnchor(XYChart chart) {
        XYSeries anchor = chart.addSeries(" ", new double[] {0, 0.5, 1}, new double[] {0, 0.5, 1});
        anchor.setMarker(SeriesMarkers.NONE);
        anchor.setLineColor(new Color(0, 0, 0, 0));
        anchor.setShowInLegend(false);
    }

    /** Both axes 0..1 with ticks every 0.1 (XChart's automatic ticks crowd a unit axis). */
    private static void unitAxes(XYChart chart) {
        org.knowm.xchart.style.XYStyler s = chart.getStyler();
        s.setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        s.setXAxisDecimalPattern("#0.##").setYAxisDecimalPattern("#0.##"); // "0.0" misplaces XChart's tick labels
    }

    private static void style(XYChart chart) {
        org.knowm.xchart.style.XYStyler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setPlotGridLinesVisible(true);
        s.setAntiAlias(true);
        s.setXAxisDecimalPattern("#,##0.##");
        s.setYAxisDecimalPattern("#,##0.##");
    }
}
