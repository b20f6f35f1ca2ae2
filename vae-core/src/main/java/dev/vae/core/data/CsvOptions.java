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
 *                       all others are ignored. When null, every column but the label and dropped ones is a feature.
 */
public record CsvOptions(@Nullable String labelColumn, Set<String> dropColumns, @Nullable List<String> featureColumns) {

    /** Copies the collections. */
    public CsvOptions {
        dropColumns = Set.copyOf(dropColumns);
        featureColumns = featureColumns == null ? null : List.copyOf(featureColumns);
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
