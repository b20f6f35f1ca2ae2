package dev.vae.core.series;

import dev.vae.core.data.Table;

/**
 * Cuts a series into sliding windows (model rows, {@link SeriesLayout}) and maps window scores back to points.
 */
public final class Windows {

    private Windows() {
    }

    /** Number of windows of length {@code window} ending at {@code window - 1}, then every {@code stride} points. */
    public static int count(int points, int window, int stride) {
        return points < window ? 0 : (points - window) / stride + 1;
    }

    /**
     * The windows of a series as a table whose rows are windows (labels: each window's last point's, when the series
     * has labels).
     *
     * @throws IllegalArgumentException when the series is shorter than a window or its columns differ from the
     *                                  layout's
     */
    public static Table table(TimeSeries series, SeriesLayout layout, int stride) {
        if (!series.columns().equals(layout.valueColumns())) {
            throw new IllegalArgumentException(series.source() + ": columns " + series.columns()
                    + " differ from the model's value columns " + layout.valueColumns());
        }
        if (stride < 1) {
            throw new IllegalArgumentException("Invalid stride " + stride + ": at least 1");
        }
        int n = layout.window();
        if (series.points() < n) {
            throw new IllegalArgumentException(series.source() + ": the series has " + series.points()
                    + " points on its grid, fewer than the window of " + n);
        }
        int c = series.width();
        int rows = count(series.points(), n, stride);
        float[] values = new float[rows * n * c];
        int[] labels = series.labels() == null ? null : new int[rows];
        for (int r = 0; r < rows; r++) {
            int start = r * stride;
            System.arraycopy(series.values(), start * c, values, r * n * c, n * c);
            if (labels != null) {
                labels[r] = series.labels()[start + n - 1];
            }
        }
        return new Table(layout.featureNames(), values, rows, labels, series.source() + " (windows of " + n + ")");
    }

    /**
     * For each observed point, in input order, the index of the window (stride 1; window w ends at grid point
     * w + N - 1) whose score it receives by the layout's point rule.
     */
    public static int[] windowOfPoint(TimeSeries series, SeriesLayout layout) {
        int[] grid = series.observedGridIndex();
        int[] out = new int[grid.length];
        for (int i = 0; i < grid.length; i++) {
            out[i] = layout.pointRule().windowEnd(grid[i], series.points(), layout.window()) - (layout.window() - 1);
        }
        return out;
    }

    /**
     * Point scores from the scores of every window (stride 1) by the layout's rule, for the observed points only,
     * in input order.
     *
     * @param windowScores one score per window, window w ending at grid point w + N - 1
     */
    public static double[] pointScores(TimeSeries series, SeriesLayout layout, double[] windowScores) {
        int n = layout.window();
        if (windowScores.length != count(series.points(), n, 1)) {
            throw new IllegalArgumentException("Expected " + count(series.points(), n, 1) + " window scores, got "
                    + windowScores.length);
        }
        int[] window = windowOfPoint(series, layout);
        double[] out = new double[window.length];
        for (int i = 0; i < window.length; i++) {
            out[i] = windowScores[window[i]];
        }
        return out;
    }
}
