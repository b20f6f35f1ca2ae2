package dev.vae.cli;

import dev.vae.cli.report.Charts;
import dev.vae.cli.report.Report;
import dev.vae.core.Threshold;
import dev.vae.core.series.TimeSeries;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/** The two pictures of a scored series, shared by {@code vae demo --series} and {@code vae report}. */
final class SeriesPictures {

    private SeriesPictures() {
    }

    /**
     * Draws {@code series.png} (the first value column, labelled points, points above the model's threshold) and
     * {@code series-scores.png} (point scores, the model's threshold and, when given, a stream's moving threshold
     * with the stream's flags) into the report.
     *
     * @param scores          one score per observed point, input order
     * @param streamThreshold per point, the threshold a stream judged it by; null for none
     * @param streamFlags     per point, whether the stream flagged it; used only with {@code streamThreshold}
     */
    static void write(Report report, TimeSeries series, double[] scores, @Nullable Threshold threshold,
                      double @Nullable [] streamThreshold, String streamName, boolean @Nullable [] streamFlags)
            throws IOException {
        double[] values = series.observedColumn(0);
        boolean[] flagged = new boolean[scores.length];
        for (int i = 0; i < scores.length; i++) {
            flagged[i] = threshold != null && threshold.isAnomalous(scores[i]);
        }
        String column = series.columns().get(0);
        Charts.series(column + (series.width() > 1 ? " (first of " + series.width() + " value columns)" : "")
                + ": labelled points and the points the model flags", values, series.observedLabels(), flagged,
                report.dir().resolve("series.png"));
        report.picture("series.png", "The series", "The first value column over the points; orange: labelled anomalies;"
                + " red: points whose score exceeds the model's threshold.");
        Charts.seriesScores(scores, threshold == null ? Double.NaN : threshold.value(), streamThreshold, streamName,
                streamThreshold == null || streamFlags == null ? flagged : streamFlags,
                report.dir().resolve("series-scores.png"));
        report.picture("series-scores.png", "Point scores and thresholds", "Negative ELBO of each point's window (nats);"
                + " dashed: the model's threshold" + (streamThreshold == null ? "; red: points above it."
                : "; green: " + streamName + " (the model's threshold during calibration); red: points the stream flags."));
    }
}
