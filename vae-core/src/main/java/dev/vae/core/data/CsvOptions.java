package dev.vae.core.data;

import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How to read a CSV file's columns.
 *
 * @param labelColumn    the column holding labels (0 = normal, other integers = anomaly), never a feature; null for none
 * @param dropColumns    columns to ignore (ids, timestamps, text)
 * @param featureColumns when not null, exactly these columns in this order are the features (a model's columns);
 *                       all others are ignored. When null, every column but the label, the text column and dropped
 *                       ones is a feature.
 * @param textColumn     a column returned as text, row by row, never a feature (a time series' timestamps); null for
 *                       none
 * @param missingAsNaN   whether an empty or {@code NaN} feature cell is read as NaN (a missing point of a time
 *                       series, filled by a stated rule later) instead of being refused
 */
public record CsvOptions(@Nullable String labelColumn, Set<String> dropColumns, @Nullable List<String> featureColumns,
                         @Nullable String textColumn, boolean missingAsNaN) {

    /** Copies the collections. */
    public CsvOptions {
        dropColumns = Set.copyOf(dropColumns);
        featureColumns = featureColumns == null ? null : List.copyOf(featureColumns);
    }

    /** Options without a text column that refuse missing cells. */
    public CsvOptions(@Nullable String labelColumn, Set<String> dropColumns, @Nullable List<String> featureColumns) {
        this(labelColumn, dropColumns, featureColumns, null, false);
    }

    /** These options with {@code column} read as text (see {@link CsvReader#read(float[], int[], String[], int)}). */
    public CsvOptions withTextColumn(String column) {
        return new CsvOptions(labelColumn, dropColumns, featureColumns, column, missingAsNaN);
    }

    /** These options with empty and {@code NaN} feature cells read as NaN. */
    public CsvOptions allowingMissing() {
        return new CsvOptions(labelColumn, dropColumns, featureColumns, textColumn, true);
    }

    /** Every column is a feature. */
    public static CsvOptions allColumns() {
        return new CsvOptions(null, Set.of(), null);
    }

    /** Every column but {@code label} (and the dropped ones) is a feature. */
    public static CsvOptions withLabel(@Nullable String label, Set<String> drop) {
        return new CsvOptions(label, drop, null);
    }

    /** The given columns are the features (other columns ignored); {@code label} read when not null. */
    public static CsvOptions forColumns(List<String> columns, @Nullable String label) {
        return new CsvOptions(label, Set.of(), columns);
    }
}
