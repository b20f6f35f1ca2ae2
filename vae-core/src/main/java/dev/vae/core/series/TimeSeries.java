package dev.vae.core.series;

import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.DataFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A time-ordered series of one or more value columns on a regular time grid, in memory.
 *
 * <p>Points are either <em>observed</em> (a row of the input, {@code inputRow[i] >= 0}) or <em>filled</em>
 * ({@code inputRow[i] == -1}): a point the grid needs where the input had a gap in its timestamps. A cell that was
 * empty or {@code NaN} in the input, and every cell of a filled point, holds the linear interpolation between the
 * nearest observed values of its column before and after it (the nearest one at either end) and is marked in
 * {@code missing}. Filling keeps windows honest: a window always spans {@code window} grid steps of time, and a gap
 * is never closed up by shifting later points into it. Filled points produce no score line.
 *
 * @param columns  the value columns
 * @param times    each point's time, in seconds (see {@link Timestamps}), strictly increasing
 * @param values   {@code points x columns.size()} values, row-major, all finite
 * @param missing  {@code points x columns.size()}: whether the cell was filled rather than read
 * @param inputRow for each point the index of its input row (0-based, in input order), or -1 for a filled point
 * @param labels   one label per point (filled points 0), or null without a label column
 * @param source   where the series came from, for messages
 */
public record TimeSeries(List<String> columns, double[] times, float[] values, boolean[] missing, int[] inputRow,
                         int @Nullable [] labels, String source) {

    /** The share of filled points above which a grid is refused as the wrong interval rather than filled. */
    public static final double MAX_FILLED_SHARE = 0.5;

    /** Validates the shape. */
    public TimeSeries {
        columns = List.copyOf(columns);
        int n = times.length;
        int c = columns.size();
        if (c == 0 || values.length != (long) n * c || missing.length != values.length || inputRow.length != n
                || (labels != null && labels.length != n)) {
            throw new IllegalArgumentException("Time series shape mismatch: " + n + " times, " + c + " columns, "
                    + values.length + " values, " + missing.length + " masks, " + inputRow.length + " rows");
        }
        Objects.requireNonNull(source, "source");
    }

    /** Number of points on the grid (observed and filled). */
    public int points() {
        return times.length;
    }

    /** Number of value columns. */
    public int width() {
        return columns.size();
    }

    /** Number of observed points (input rows). */
    public int observedPoints() {
        int n = 0;
        for (int r : inputRow) {
            if (r >= 0) {
                n++;
            }
        }
        return n;
    }

    /** The labels of the observed points in input order, or null without labels. */
    public int @Nullable [] observedLabels() {
        if (labels == null) {
            return null;
        }
        int[] out = new int[observedPoints()];
        for (int i = 0; i < inputRow.length; i++) {
            if (inputRow[i] >= 0) {
                out[inputRow[i]] = labels[i];
            }
        }
        return out;
    }

    /**
     * Reads a CSV file with a time column and value columns and puts it on its regular grid.
     *
     * @param timeColumn   the column of timestamps (see {@link Timestamps}), strictly increasing
     * @param valueColumns the value columns in order, or null for every column but the time, label and dropped ones
     * @param labelColumn  0/1 labels per point, or null
     * @param drop         columns to ignore
     * @param interval     the grid step in seconds, or NaN to take the median step of the file (a model's own
     *                     interval when scoring)
     * @throws DataFormatException naming the file and line of a bad timestamp or value, time that does not increase,
     *                             or gaps so large that the grid would be mostly filled points
     */
    public static TimeSeries read(Path path, String timeColumn, @Nullable List<String> valueColumns,
                                  @Nullable String labelColumn, Set<String> drop, double interval) throws IOException {
        CsvOptions options = new CsvOptions(labelColumn, drop, valueColumns).withTextColumn(timeColumn).allowingMissing();
        try (CsvReader reader = CsvReader.open(path, options)) {
            int c = reader.featureColumns().size();
            int capacity = 1024;
            float[] values = new float[capacity * c];
            double[] times = new double[capacity];
            int[] labels = reader.hasLabels() ? new int[capacity] : null;
            String[] texts = new String[1];
            float[] row = new float[c];
            int[] label = new int[1];
            int n = 0;
            while (reader.read(row, label, texts, 1) == 1) {
                if (n == capacity) {
                    capacity *= 2;
                    values = Arrays.copyOf(values, capacity * c);
                    times = Arrays.copyOf(times, capacity);
                    labels = labels == null ? null : Arrays.copyOf(labels, capacity);
                }
                try {
                    times[n] = Timestamps.parse(texts[0]);
                } catch (IllegalArgumentException e) {
                    throw new DataFormatException(path + ":" + reader.line() + ": column '" + timeColumn + "': " + e.getMessage());
                }
                if (n > 0 && !(times[n] > times[n - 1])) {
                    throw new DataFormatException(path + ":" + reader.line() + ": column '" + timeColumn + "': time "
                            + texts[0] + (times[n] == times[n - 1] ? " repeats the previous row's" : " is before the previous row's")
                            + "; a series must be sorted by time with one row per timestamp");
                }
                System.arraycopy(row, 0, values, n * c, c);
                if (labels != null) {
                    labels[n] = label[0];
                }
                n++;
            }
            if (n == 0) {
                throw new DataFormatException(path + ": no data rows after the header");
            }
            return onGrid(reader.featureColumns(), Arrays.copyOf(times, n), Arrays.copyOf(values, n * c),
                    labels == null ? null : Arrays.copyOf(labels, n), interval, path.toString());
        }
    }

    /**
     * Puts observed points on a regular grid: a step of about k intervals (rounded, k >= 2) between two rows gets
     * k - 1 filled points; NaN cells and filled points take the linear interpolation of their column.
     *
     * @param times    strictly increasing
     * @param values   {@code times.length x columns.size()}, NaN for a missing cell
     * @param interval the grid step, or NaN for the median step
     * @throws IllegalArgumentException when a column has no value at all, or the grid would be more than
     *                                  {@link #MAX_FILLED_SHARE} filled points
     */
    public static TimeSeries onGrid(List<String> columns, double[] times, float[] values, int @Nullable [] labels,
                                    double interval, String source) {
        int n = times.length;
        int c = columns.size();
        double step = Double.isNaN(interval) ? medianStep(times) : interval;
        if (!(step > 0) || !Double.isFinite(step)) {
            throw new IllegalArgumentException(source + ": invalid time step " + step);
        }
        int[] gapBefore = new int[n];
        long total = n;
        int largest = 0;
        for (int i = 1; i < n; i++) {
            long k = Math.round((times[i] - times[i - 1]) / step);
            gapBefore[i] = (int) Math.min(Integer.MAX_VALUE, Math.max(0, k - 1));
            total += gapBefore[i];
            largest = Math.max(largest, gapBefore[i]);
        }
        if (total - n > MAX_FILLED_SHARE * total) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: on a grid of %s the series would have %d filled points against %d observed (largest gap %d "
                            + "steps); the rows are too sparse for this time step", source, formatStep(step), total - n, n, largest));
        }
        int points = (int) total;
        double[] t = new double[points];
        float[] v = new float[points * c];
        boolean[] miss = new boolean[points * c];
        int[] rows = new int[points];
        int[] l = labels == null ? null : new int[points];
        int p = 0;
        for (int i = 0; i < n; i++) {
            for (int g = 1; g <= gapBefore[i]; g++) {
                t[p] = times[i - 1] + g * (times[i] - times[i - 1]) / (gapBefore[i] + 1);
                Arrays.fill(v, p * c, p * c + c, Float.NaN);
                rows[p] = -1;
                p++;
            }
            t[p] = times[i];
            System.arraycopy(values, i * c, v, p * c, c);
            rows[p] = i;
            if (l != null) {
                l[p] = labels[i];
            }
            p++;
        }
        for (int j = 0; j < c; j++) {
            interpolate(v, miss, points, c, j, columns.get(j), source);
        }
        return new TimeSeries(columns, t, v, miss, rows, l, source);
    }

    /** The median of the positive steps between consecutive times (1 for a single point). */
    public static double medianStep(double[] times) {
        if (times.length < 2) {
            return 1;
        }
        double[] d = new double[times.length - 1];
        for (int i = 1; i < times.length; i++) {
            d[i - 1] = times[i] - times[i - 1];
        }
        Arrays.sort(d);
        int m = d.length / 2;
        return d.length % 2 == 1 ? d[m] : 0.5 * (d[m - 1] + d[m]);
    }

    private static void interpolate(float[] v, boolean[] miss, int points, int c, int j, String column, String source) {
        int previous = -1;
        for (int i = 0; i <= points; i++) {
            if (i < points && Float.isNaN(v[i * c + j])) {
                miss[i * c + j] = true;
                continue;
            }
            // Points previous+1 .. i-1 are missing: fill them between the observed values at previous and i.
            if (i - previous > 1) {
                if (previous < 0 && i == points) {
                    throw new IllegalArgumentException(source + ": column '" + column + "' has no value at all");
                }
                float a = previous < 0 ? v[i * c + j] : v[previous * c + j];
                float b = i == points ? v[previous * c + j] : v[i * c + j];
                for (int k = previous + 1; k < i; k++) {
                    double w = previous < 0 || i == points ? 0 : (double) (k - previous) / (i - previous);
                    v[k * c + j] = (float) (a + w * ((double) b - a));
                }
            }
            previous = i;
        }
    }

    private static String formatStep(double step) {
        return String.format(Locale.ROOT, "%.6g", step) + " (time units of the column)";
    }
}
