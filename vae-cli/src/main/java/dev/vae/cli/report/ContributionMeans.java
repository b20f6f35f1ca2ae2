package dev.vae.cli.report;

import dev.vae.anomaly.score.ScoreBreakdown;
import dev.vae.core.Threshold;
import org.jspecify.annotations.Nullable;

/**
 * Accumulates the mean per-feature contribution (nats) of two groups of rows, chunk by chunk: anomalous and normal
 * rows by label when labels are given, otherwise rows above and below the threshold, otherwise all rows.
 */
public final class ContributionMeans {

    private final int features;
    private final double[] focus;
    private final double[] other;
    private long focusRows;
    private long otherRows;
    private boolean byLabel;
    private final @Nullable Threshold threshold;

    /** Means over {@code features} features; {@code threshold} (may be null) splits unlabelled rows. */
    public ContributionMeans(int features, @Nullable Threshold threshold) {
        this.features = features;
        this.focus = new double[features];
        this.other = new double[features];
        this.threshold = threshold;
    }

    /** Adds a chunk's rows. */
    public void add(ScoreBreakdown parts, int @Nullable [] labels) {
        byLabel |= labels != null;
        for (int i = 0; i < parts.rows(); i++) {
            boolean inFocus = labels != null ? labels[i] != 0
                    : threshold == null || threshold.isAnomalous(parts.scores()[i]);
            double[] sum = inFocus ? focus : other;
            for (int j = 0; j < features; j++) {
                sum[j] += parts.contribution(i, j);
            }
            if (inFocus) {
                focusRows++;
            } else {
                otherRows++;
            }
        }
    }

    /** Writes the bar chart into the report (nothing when no row was added). */
    public void writeTo(Report report, java.util.List<String> names) throws java.io.IOException {
        if (focusRows + otherRows == 0) {
            return;
        }
        String focusName;
        String otherName;
        if (byLabel) {
            focusName = "anomalous rows (" + focusRows + ")";
            otherName = "normal rows (" + otherRows + ")";
        } else if (threshold != null) {
            focusName = "rows above the threshold (" + focusRows + ")";
            otherName = "rows below it (" + otherRows + ")";
        } else {
            focusName = "all rows (" + focusRows + ")";
            otherName = null;
        }
        if (focusRows == 0) {
            report.featureBars(names, mean(other, otherRows), otherName, null, null);
            return;
        }
        report.featureBars(names, mean(focus, focusRows), focusName, otherRows == 0 ? null : mean(other, otherRows),
                otherName);
    }

    private static double[] mean(double[] sum, long n) {
        double[] m = new double[sum.length];
        for (int j = 0; j < m.length; j++) {
            m[j] = sum[j] / n;
        }
        return m;
    }
}
