package dev.vae.spark;

import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.jspecify.annotations.Nullable;

/**
 * The function each Spark task runs over its partition of {@code Row}s (features by column name or in one ML
 * vector column): {@link ScoringBatches} scores the rows in batches, and each input row is emitted with the output
 * columns appended. Holds only small values and the broadcast handle, never the model itself.
 */
final class PartitionScorer implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    private final ScoringBatches.Setup setup;
    private final int @Nullable [] featureIndex;
    private final int vectorIndex;
    private final int inputWidth;

    PartitionScorer(ScoringBatches.Setup setup, InputColumns input, int inputWidth) {
        this.setup = setup;
        this.featureIndex = input.featureIndex();
        this.vectorIndex = input.vectorIndex();
        this.inputWidth = inputWidth;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) throws Exception {
        return new Batches(rows);
    }

    private final class Batches extends ScoringBatches<Row, Row> {

        Batches(Iterator<Row> in) throws Exception {
            super(in, setup);
        }

        @Override
        Row retain(Row row) {
            return row; // a Row is immutable
        }

        @Override
        Row emit(Row r, int i) {
            Object[] out = new Object[inputWidth + setup.outputColumns()];
            for (int c = 0; c < inputWidth; c++) {
                out[c] = r.get(c);
            }
            int c = inputWidth;
            boolean skip = isMissing(i);
            out[c++] = skip ? null : score(i);
            if (withAnomaly()) {
                out[c++] = skip ? null : isAnomalous(i);
            }
            if (withLatent()) {
                out[c++] = skip ? null : new DenseVector(latent(i));
            }
            if (withFeatures()) {
                out[c] = skip ? null : new DenseVector(contributions(i));
            }
            return RowFactory.create(out);
        }

        @Override
        boolean extract(Row r, float[] x, int i) {
            int off = i * d;
            if (featureIndex != null) {
                for (int j = 0; j < d; j++) {
                    Object v = r.get(featureIndex[j]);
                    // double first, then float: the same rounding as the command line's Double.parseDouble + cast.
                    float f = v == null ? Float.NaN : (float) ((Number) v).doubleValue();
                    if (!Float.isFinite(f)) {
                        return missing(i, setup.featureNames().get(j), v);
                    }
                    x[off + j] = f;
                }
                return true;
            }
            Object v = r.get(vectorIndex);
            if (v == null) {
                return missing(i, setup.featureNames().get(0), null);
            }
            Vector vec = (Vector) v;
            if (vec.size() != d) {
                throw new IllegalArgumentException("Invalid input dimension in column '" + setup.featureNames().get(0)
                        + "' at " + where(i) + ": expected a vector of " + d + " features, actual " + vec.size());
            }
            for (int j = 0; j < d; j++) {
                float f = (float) vec.apply(j);
                if (!Float.isFinite(f)) {
                    return missing(i, setup.featureNames().get(0) + "[" + j + "]", vec.apply(j));
                }
                x[off + j] = f;
            }
            return true;
        }
    }
}
