package dev.vae.spark;

import dev.vae.core.VaeModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.jspecify.annotations.Nullable;

/**
 * Where a model's inputs are in a schema: one numeric column per model feature (by the model's feature names),
 * or one ML {@code Vector} column. Resolved on the driver, so a missing column or a wrong type fails before any
 * Spark job runs.
 *
 * @param featureIndex schema index of each model feature, in model order; null in vector mode
 * @param vectorIndex  schema index of the vector column, or -1
 * @param names        the model's feature names, or the vector column's name alone in vector mode (for messages)
 */
record InputColumns(int @Nullable [] featureIndex, int vectorIndex, List<String> names) {

    /** Resolves {@code model}'s inputs in {@code schema}; {@code vectorColumn} null means by feature names. */
    static InputColumns resolve(StructType schema, VaeModel model, @Nullable String vectorColumn) {
        List<String> available = List.of(schema.fieldNames());
        if (vectorColumn != null) {
            int idx = available.indexOf(vectorColumn);
            if (idx < 0) {
                throw new IllegalArgumentException("Missing input column '" + vectorColumn + "' (the features vector); "
                        + "the data has columns " + available);
            }
            DataType t = schema.fields()[idx].dataType();
            if (!t.equals(SQLDataTypes.VectorType())) {
                throw new IllegalArgumentException("Column '" + vectorColumn + "' has type " + t.simpleString()
                        + ", expected an ML vector (org.apache.spark.ml.linalg.Vector) of " + model.inputDim() + " features");
            }
            return new InputColumns(null, idx, List.of(vectorColumn));
        }
        List<String> features = model.featureNames();
        int[] index = new int[features.size()];
        List<String> missing = new ArrayList<>();
        for (int j = 0; j < index.length; j++) {
            String name = features.get(j);
            index[j] = available.indexOf(name);
            if (index[j] < 0) {
                missing.add(name);
                continue;
            }
            StructField f = schema.fields()[index[j]];
            if (!(f.dataType() instanceof NumericType)) {
                throw new IllegalArgumentException("Column '" + name + "' has type " + f.dataType().simpleString()
                        + ", expected a numeric type (double, float, int, long, short, byte or decimal); "
                        + "cast it, or read CSV with a schema that declares it double");
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("Missing input column" + (missing.size() > 1 ? "s " : " ")
                    + quoted(missing) + " of the model" + hint(missing, available) + "; the data has columns " + available);
        }
        return new InputColumns(index, -1, features);
    }

    private static String quoted(List<String> names) {
        List<String> q = new ArrayList<>();
        for (String n : names) {
            q.add("'" + n + "'");
        }
        return String.join(", ", q);
    }

    private static String hint(List<String> missing, List<String> available) {
        for (String m : missing) {
            for (String a : available) {
                if (a.toLowerCase(Locale.ROOT).equals(m.toLowerCase(Locale.ROOT))) {
                    return " (names are case-sensitive: the data has '" + a + "')";
                }
            }
        }
        return "";
    }
}
