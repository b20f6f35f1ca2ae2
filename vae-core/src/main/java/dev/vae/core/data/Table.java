package dev.vae.core.data;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Rows of numeric features in memory, row-major float32, with their column names and optional labels.
 *
 * @param columns names of the feature columns
 * @param values  {@code rows x columns.size()} feature values, row-major
 * @param rows    number of rows
 * @param labels  one label per row (0 = normal, anything else = anomaly), or null when the data has none
 * @param source  where the rows came from, for messages and provenance
 */
public record Table(List<String> columns, float[] values, int rows, int @Nullable [] labels, String source) {

    /** Validates the shape. */
    public Table {
        columns = List.copyOf(columns);
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(source, "source");
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("A table needs at least one column, got none");
        }
        if (rows < 0 || (long) rows * columns.size() != values.length) {
            throw new IllegalArgumentException("Table shape mismatch: " + rows + " rows x " + columns.size()
                    + " columns but " + values.length + " values");
        }
        if (labels != null && labels.length != rows) {
            throw new IllegalArgumentException("Expected " + rows + " labels, got " + labels.length);
        }
    }

    /**
     * A table built from {@code double[][]} rows: each row must be non-null with {@code columns.size()} finite values
     * that fit in float32.
     *
     * @throws IllegalArgumentException naming the row and column of the first bad value
     */
    public static Table of(List<String> columns, double[][] data, int @Nullable [] labels) {
        int d = checkShape(columns, data.length, labels);
        float[] v = new float[data.length * d];
        for (int i = 0; i < data.length; i++) {
            double[] row = data[i];
            checkRow(row == null ? -1 : row.length, i, d);
            for (int j = 0; j < d; j++) {
                float f = (float) row[j];
                if (!Float.isFinite(f)) {
                    throw new IllegalArgumentException(badValue(columns, i, j, Double.toString(row[j])));
                }
                v[i * d + j] = f;
            }
        }
        return new Table(columns, v, data.length, labels == null ? null : labels.clone(), "double[][]");
    }

    /**
     * A table built from {@code float[][]} rows: each row must be non-null with {@code columns.size()} finite values.
     *
     * @throws IllegalArgumentException naming the row and column of the first bad value
     */
    public static Table of(List<String> columns, float[][] data, int @Nullable [] labels) {
        int d = checkShape(columns, data.length, labels);
        float[] v = new float[data.length * d];
        for (int i = 0; i < data.length; i++) {
            float[] row = data[i];
            checkRow(row == null ? -1 : row.length, i, d);
            for (int j = 0; j < d; j++) {
                if (!Float.isFinite(row[j])) {
                    throw new IllegalArgumentException(badValue(columns, i, j, Float.toString(row[j])));
                }
                v[i * d + j] = row[j];
            }
        }
        return new Table(columns, v, data.length, labels == null ? null : labels.clone(), "float[][]");
    }

    private static int checkShape(List<String> columns, int rows, int @Nullable [] labels) {
        int d = columns.size();
        if (d == 0) {
            throw new IllegalArgumentException("A table needs at least one column, got none");
        }
        if ((long) rows * d > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("Too many values for one table: " + rows + " rows x " + d + " columns");
        }
        if (labels != null && labels.length != rows) {
            throw new IllegalArgumentException("Expected " + rows + " labels, got " + labels.length);
        }
        return d;
    }

    private static void checkRow(int length, int row, int d) {
        if (length < 0) {
            throw new IllegalArgumentException("Row " + row + " is null");
        }
        if (length != d) {
            throw new IllegalArgumentException("Row " + row + " has " + length + " values, expected " + d);
        }
    }

    private static String badValue(List<String> columns, int row, int column, String value) {
        return "Row " + row + ", column " + column + " '" + columns.get(column) + "': value " + value
                + " is not a finite float32 number (NaN and infinity are not allowed)";
    }

    /** The number of feature columns. */
    public int width() {
        return columns.size();
    }

    /** Whether the table has labels. */
    public boolean hasLabels() {
        return labels != null;
    }

    /** The rows at the given indices, in that order, as a new table. */
    public Table select(int[] indices) {
        int d = width();
        float[] v = new float[indices.length * d];
        int[] l = labels == null ? null : new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(values, indices[i] * d, v, i * d, d);
            if (l != null) {
                l[i] = labels[indices[i]];
            }
        }
        return new Table(columns, v, indices.length, l, source);
    }

    /** The rows whose label is 0 (normal). */
    public Table normalOnly() {
        if (labels == null) {
            throw new IllegalStateException("No labels to select normal rows by in " + source);
        }
        int count = 0;
        for (int l : labels) {
            if (l == 0) {
                count++;
            }
        }
        int[] idx = new int[count];
        int k = 0;
        for (int i = 0; i < rows; i++) {
            if (labels[i] == 0) {
                idx[k++] = i;
            }
        }
        return select(idx);
    }

    /**
     * The columns in which one value holds at least {@code share} of the rows (share at least 1/2) but not every row,
     * in column order. Standardised, such a column's other values lie at least sqrt(share / (1 - share)) standard
     * deviations from its mean (about 10 at 99%): under a Gaussian likelihood one of them costs as much as ordinary
     * residuals in a hundred other columns.
     *
     * @throws IllegalArgumentException when share is not in [1/2, 1)
     */
    public int[] nearConstantColumns(double share) {
        if (!(share >= 0.5 && share < 1)) {
            throw new IllegalArgumentException("Invalid near-constant share: " + share + " (expected 0.5 <= share < 1)");
        }
        int d = width();
        // A value held by at least half of a column's rows is its majority: Boyer-Moore's vote finds it in one pass,
        // and a second pass counts it. Both go row by row, all columns at once, reading the values in memory order
        // (column by column, a 60,000 x 784 table took 1.2 s; trainers and vae train ask more than once).
        float[] candidate = new float[d];
        int[] votes = new int[d];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < d; j++) {
                float v = values[i * d + j];
                if (votes[j] == 0) {
                    candidate[j] = v;
                    votes[j] = 1;
                } else {
                    votes[j] += Float.compare(v, candidate[j]) == 0 ? 1 : -1;
                }
            }
        }
        int[] held = new int[d];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < d; j++) {
                held[j] += Float.compare(values[i * d + j], candidate[j]) == 0 ? 1 : 0;
            }
        }
        int[] found = new int[d];
        int count = 0;
        for (int j = 0; j < d; j++) {
            if (held[j] < rows && held[j] >= share * rows) {
                found[count++] = j;
            }
        }
        return java.util.Arrays.copyOf(found, count);
    }
}
