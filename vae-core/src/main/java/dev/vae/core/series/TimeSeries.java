package dev.vae.core.series;

import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.DataFormatException;
import java.io.IOException;
import java.io.InputStream;
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
 * ({@code inputRow[i] == -1}): a point the grid needs where the input had a gap in its timestamps. Both rules are
 * causal, so a stream fills exactly as a file is filled: a cell that was empty or {@code NaN} in the input takes the
 * last value of its column (before any value, the column's first), and a filled point takes the linear interpolation
 * between the points either side of the gap, column by column ({@link #between}). Both are marked in
 * {@code missing}. Filling keeps windows honest: a window always spans {@code window} grid steps of time, and a gap
 * is never closed up by shifting later points into it. Filled points produce no score line.
 *
 * <p>Real logs repeat timestamps (a clock set back at a daylight-saving change, a collector that stamps a batch
 * with one time): a row whose time is not after the previous row's is kept, in input order, as the next grid step,
 * and counted in {@code unorderedRows} so that a caller can say so. A gap longer than a window needs only the filled
 * points a window next to a real point can see: {@code keepPerGap} bounds them (the first and the last
 * {@code keepPerGap} of the gap, each at its true position on the line).
 *
 * @param columns  the value columns
 * @param times    each point's time, in seconds (see {@link Timestamps}), strictly increasing
 * @param values   {@code points x columns.size()} values, row-major, all finite
 * @param missing  {@code points x columns.size()}: whether the cell was filled rather than read
 * @param inputRow for each point the index of its input row (0-based, in input order), or -1 for a filled point
 * @param labels   one label per point (filled points 0), or null without a label column
 * @param source   where the series came from, for messages
 * @param unorderedRows input rows whose time was not after the previous row's (taken as the next grid step)
 */
public record TimeSeries(List<String> columns, double[] times, float[] values, boolean[] missing, int[] inputRow,
                         int @Nullable [] labels, String source, int unorderedRows) {

    /** Filled points per observed point above which a grid is refused as the wrong time step rather than filled. */
    public static final int MAX_FILLED_PER_ROW = 10;

    /** Fill every point of every gap ({@link #onGrid}'s {@code keepPerGap}). */
    public static final int WHOLE_GAPS = Integer.MAX_VALUE;

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
        if (unorderedRows < 0) {
            throw new IllegalArgumentException("Invalid count of unordered rows: " + unorderedRows);
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

    /** The grid index of each observed point, in input order. */
    public int[] observedGridIndex() {
        int[] out = new int[observedPoints()];
        for (int t = 0; t < inputRow.length; t++) {
            if (inputRow[t] >= 0) {
                out[inputRow[t]] = t;
            }
        }
        return out;
    }

    /** The labels of the observed points in input order, or null without labels. */
    public int @Nullable [] observedLabels() {
        if (labels == null) {
            return null;
        }
        int[] grid = observedGridIndex();
        int[] out = new int[grid.length];
        for (int i = 0; i < grid.length; i++) {
            out[i] = labels[grid[i]];
        }
        return out;
    }

    /** The times of the observed points, in input order. */
    public double[] observedTimes() {
        int[] grid = observedGridIndex();
        double[] out = new double[grid.length];
        for (int i = 0; i < grid.length; i++) {
            out[i] = times[grid[i]];
        }
        return out;
    }

    /** Column {@code j}'s values at the observed points, in input order (missing cells as they were filled). */
    public double[] observedColumn(int j) {
        int c = width();
        int[] grid = observedGridIndex();
        double[] out = new double[grid.length];
        for (int i = 0; i < grid.length; i++) {
            out[i] = values[grid[i] * c + j];
        }
        return out;
    }

    /**
     * The same input rows on another grid: another step, or another bound on the filled points of a gap (a series
     * read once to choose its layout, then put on that layout's grid without reading the file again). Cells that
     * were missing in the input are missing again, so they are filled by the same rule.
     */
    public TimeSeries regrid(double interval, int keepPerGap) {
        int c = width();
        int[] grid = observedGridIndex();
        float[] raw = new float[grid.length * c];
        for (int i = 0; i < grid.length; i++) {
            for (int j = 0; j < c; j++) {
                raw[i * c + j] = missing[grid[i] * c + j] ? Float.NaN : values[grid[i] * c + j];
            }
        }
        return onGrid(columns, observedTimes(), raw, observedLabels(), interval, keepPerGap, source);
    }

    /**
     * Reads a CSV file with a time column and value columns and puts it on its regular grid.
     *
     * @param timeColumn   the column of timestamps (see {@link Timestamps}), in time order
     * @param valueColumns the value columns in order, or null for every column but the time, label and dropped ones
     * @param labelColumn  0/1 labels per point, or null
     * @param drop         columns to ignore
     * @param interval     the grid step in seconds, or NaN to take the median step of the file (a model's own
     *                     interval when scoring)
     * @param keepPerGap   filled points kept at each end of a gap ({@link #WHOLE_GAPS} for all; a model's window
     *                     plus its point rule's delay is enough for scoring)
     * @throws DataFormatException naming the file and line of a bad timestamp or value, or when the grid would
     *                             be mostly filled points
     */
    public static TimeSeries read(Path path, String timeColumn, @Nullable List<String> valueColumns,
                                  @Nullable String labelColumn, Set<String> drop, double interval, int keepPerGap)
            throws IOException {
        try (CsvReader reader = CsvReader.open(path, options(timeColumn, valueColumns, labelColumn, drop))) {
            return read(reader, timeColumn, interval, keepPerGap);
        }
    }

    /** As {@link #read(Path, String, List, String, Set, double, int)}, from a stream ({@code source} names it). */
    public static TimeSeries read(InputStream in, String source, String timeColumn, @Nullable List<String> valueColumns,
                                  @Nullable String labelColumn, Set<String> drop, double interval, int keepPerGap)
            throws IOException {
        try (CsvReader reader = CsvReader.open(in, source, options(timeColumn, valueColumns, labelColumn, drop))) {
            return read(reader, timeColumn, interval, keepPerGap);
        }
    }

    private static CsvOptions options(String timeColumn, @Nullable List<String> valueColumns,
                                      @Nullable String labelColumn, Set<String> drop) {
        return new CsvOptions(labelColumn, drop, valueColumns).withTextColumn(timeColumn).allowingMissing();
    }

    private static TimeSeries read(CsvReader reader, String timeColumn, double interval, int keepPerGap)
            throws IOException {
        String path = reader.source();
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
            System.arraycopy(row, 0, values, n * c, c);
            if (labels != null) {
                labels[n] = label[0];
            }
            n++;
        }
        if (n == 0) {
            throw new DataFormatException(path + ": no data rows after the header");
        }
        try {
            return onGrid(reader.featureColumns(), Arrays.copyOf(times, n), Arrays.copyOf(values, n * c),
                    labels == null ? null : Arrays.copyOf(labels, n), interval, keepPerGap, path);
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(e.getMessage());
        }
    }

    /**
     * Puts observed points on a regular grid: a step of about k intervals (rounded, k >= 2) between two rows gets
     * k - 1 filled points (at most {@code keepPerGap} at each end of the gap); NaN cells take their column's last
     * value, filled points the linear interpolation across the gap; a step that is not forward is one grid step.
     *
     * @param times    in time order (a time not after the previous one is counted in {@code unorderedRows})
     * @param values   {@code times.length x columns.size()}, NaN for a missing cell
     * @param interval the grid step, or NaN for the median step
     * @throws IllegalArgumentException when a column has no value at all, or the grid would hold more than
     *                                  {@link #MAX_FILLED_PER_ROW} filled points per observed one
     */
    public static TimeSeries onGrid(List<String> columns, double[] times, float[] values, int @Nullable [] labels,
                                    double interval, int keepPerGap, String source) {
        int n = times.length;
        int c = columns.size();
        double step = Double.isNaN(interval) ? medianStep(times) : interval;
        if (!(step > 0) || !Double.isFinite(step)) {
            throw new IllegalArgumentException(source + ": invalid time step " + step);
        }
        if (keepPerGap < 1) {
            throw new IllegalArgumentException("Invalid filled points per gap end: " + keepPerGap);
        }
        long[] stepsBefore = new long[n];
        long filled = 0;
        long largest = 0;
        int unordered = 0;
        for (int i = 1; i < n; i++) {
            double dt = times[i] - times[i - 1];
            unordered += dt > 0 ? 0 : 1;
            stepsBefore[i] = stepsBetween(dt, step);
            filled += fillCount(stepsBefore[i], keepPerGap);
            largest = Math.max(largest, stepsBefore[i] - 1);
        }
        if (filled > (long) MAX_FILLED_PER_ROW * n) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: on a grid of %s the series would have %d filled points against %d observed (largest gap %d "
                            + "steps); the rows are too sparse for this time step", source, formatStep(step), filled, n, largest));
        }
        float[] resolved = values.clone();
        boolean[] nanCell = new boolean[values.length];
        for (int j = 0; j < c; j++) {
            carryForward(resolved, nanCell, n, c, j, columns.get(j), source);
        }
        int points = (int) (n + filled);
        double[] t = new double[points];
        float[] v = new float[points * c];
        boolean[] miss = new boolean[points * c];
        int[] rows = new int[points];
        int[] l = labels == null ? null : new int[points];
        int p = 0;
        for (int i = 0; i < n; i++) {
            long k = stepsBefore[i];
            for (long g = 1; g < k; g = nextFilled(g, k, keepPerGap)) {
                t[p] = times[i - 1] + g * (times[i] - times[i - 1]) / k;
                for (int j = 0; j < c; j++) {
                    v[p * c + j] = between(resolved[(i - 1) * c + j], resolved[i * c + j], g, k);
                    miss[p * c + j] = true;
                }
                rows[p] = -1;
                p++;
            }
            t[p] = times[i];
            System.arraycopy(resolved, i * c, v, p * c, c);
            System.arraycopy(nanCell, i * c, miss, p * c, c);
            rows[p] = i;
            if (l != null) {
                l[p] = labels[i];
            }
            p++;
        }
        return new TimeSeries(columns, t, v, miss, rows, l, source, unordered);
    }

    /** Grid steps between two points {@code dt} apart: dt / step rounded, at least 1 (a step that is not forward is one). */
    public static long stepsBetween(double dt, double step) {
        double k = Math.rint(dt / step);
        return !(k > 1) ? 1 : k >= 1e15 ? (long) 1e15 : (long) k;
    }

    /** How many of the k - 1 points of a gap of k steps are filled when {@code keep} are kept at each end. */
    public static long fillCount(long k, int keep) {
        return Math.min(k - 1, 2L * keep);
    }

    /** The filled point after g in a gap of k steps: g + 1, or the first of the last {@code keep} after the first. */
    public static long nextFilled(long g, long k, int keep) {
        long next = g + 1;
        return next > keep && next < k - keep ? k - keep : next;
    }

    /**
     * The value of a filled point g of a gap of {@code steps} grid steps between values a and b: the linear
     * interpolation, in double, rounded once to float (the stream computes the same).
     */
    public static float between(float a, float b, long g, long steps) {
        return (float) (a + (double) g / steps * ((double) b - a));
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

    /** NaN cells take the column's last value (the first value, for NaNs before any). */
    private static void carryForward(float[] v, boolean[] nan, int n, int c, int j, String column, String source) {
        float last = Float.NaN;
        for (int i = 0; i < n; i++) {
            if (!Float.isNaN(v[i * c + j])) {
                last = v[i * c + j];
                break;
            }
        }
        if (Float.isNaN(last)) {
            throw new IllegalArgumentException(source + ": column '" + column + "' has no value at all");
        }
        for (int i = 0; i < n; i++) {
            if (Float.isNaN(v[i * c + j])) {
                v[i * c + j] = last;
                nan[i * c + j] = true;
            } else {
                last = v[i * c + j];
            }
        }
    }

    private static String formatStep(double step) {
        return String.format(Locale.ROOT, "%.6g", step) + " (time units of the column)";
    }
}
