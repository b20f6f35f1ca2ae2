package dev.vae.train.data;

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
        if (rows < 0 || (long) rows * columns.size() != values.length) {
            throw new IllegalArgumentException("Table shape mismatch: " + rows + " rows x " + columns.size()
                    + " columns but " + values.length + " values");
        }
        if (labels != null && labels.length != rows) {
            throw new IllegalArgumentException("Expected " + rows + " labels, got " + labels.length);
        }
    }

    /** A table built from {@code double[][]} rows (each must have {@code columns.size()} finite values). */
    public static Table of(List<String> columns, double[][] data, int @Nullable [] labels) {
        int d = columns.size();
        float[] v = new float[data.length * d];
        for (int i = 0; i < data.length; i++) {
            if (data[i].length != d) {
                throw new IllegalArgumentException("Row " + i + " has " + data[i].length + " values, expected " + d);
            }
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(data[i][j])) {
                    throw new IllegalArgumentException("Row " + i + ", column '" + columns.get(j) + "': value "
                            + data[i][j] + " is not finite");
                }
                v[i * d + j] = (float) data[i][j];
            }
        }
        return new Table(columns, v, data.length, labels, "double[][]");
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
}
