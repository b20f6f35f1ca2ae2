package dev.vae.spark;

import java.util.Iterator;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructType;

/**
 * The fast twin of {@link PartitionScorer} for inputs by column name: it works on Spark's internal binary rows,
 * so no row is converted to a {@code Row} of boxed values and back. {@link ScoringBatches} scores the rows in
 * batches (copied, since Spark reuses its row buffers), and each input row is emitted joined with its outputs
 * (Spark's scan projects them to binary rows). No per-feature contributions column on this path.
 */
final class InternalRowScorer implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {

    private static final long serialVersionUID = 1L;

    private final ScoringBatches.Setup setup;
    private final int[] featureIndex;
    private final DataType[] featureTypes;

    InternalRowScorer(ScoringBatches.Setup setup, InputColumns input, StructType inSchema) {
        if (setup.withFeatures() || input.featureIndex() == null) {
            throw new IllegalArgumentException("The internal-row path scores features by column name, without "
                    + "per-feature contributions");
        }
        this.setup = setup;
        this.featureIndex = input.featureIndex().clone();
        this.featureTypes = new DataType[featureIndex.length];
        for (int j = 0; j < featureIndex.length; j++) {
            featureTypes[j] = inSchema.fields()[featureIndex[j]].dataType();
        }
    }

    @Override
    public Iterator<InternalRow> call(Iterator<InternalRow> rows) throws Exception {
        return new Batches(rows);
    }

    /** The value of cell {@code i} (not null) as a double, by the column's Spark type. */
    private double read(InternalRow r, int j) {
        int i = featureIndex[j];
        DataType t = featureTypes[j];
        if (t instanceof DoubleType) {
            return r.getDouble(i);
        } else if (t instanceof FloatType) {
            return r.getFloat(i);
        } else if (t instanceof IntegerType) {
            return r.getInt(i);
        } else if (t instanceof LongType) {
            return r.getLong(i);
        } else if (t instanceof ShortType) {
            return r.getShort(i);
        } else if (t instanceof ByteType) {
            return r.getByte(i);
        } else if (t instanceof DecimalType d) {
            return r.getDecimal(i, d.precision(), d.scale()).toJavaBigDecimal().doubleValue();
        }
        throw new IllegalStateException("Unsupported numeric type " + t + " of column '" + setup.featureNames().get(j)
                + "'");
    }

    private final class Batches extends ScoringBatches<InternalRow, InternalRow> {
        private final JoinedRow joined = new JoinedRow();
        private final GenericInternalRow outputs = new GenericInternalRow(setup.outputColumns());
        private final VectorUDT vectors = new VectorUDT();

        Batches(Iterator<InternalRow> in) throws Exception {
            super(in, setup);
        }

        @Override
        InternalRow retain(InternalRow row) {
            return row.copy(); // Spark reuses the buffer behind the row it hands out
        }

        @Override
        InternalRow emit(InternalRow r, int i) {
            boolean skip = isMissing(i);
            int c = 0;
            if (skip) {
                outputs.setNullAt(c++);
            } else {
                outputs.setDouble(c++, score(i));
            }
            if (withAnomaly()) {
                if (skip) {
                    outputs.setNullAt(c++);
                } else {
                    outputs.setBoolean(c++, isAnomalous(i));
                }
            }
            if (withLatent()) {
                if (skip) {
                    outputs.setNullAt(c);
                } else {
                    outputs.update(c, vectors.serialize(new DenseVector(latent(i))));
                }
            }
            // Reused objects are safe here: the scan over this RDD projects each row to a binary row at once.
            return joined.apply(r, outputs);
        }

        @Override
        boolean extract(InternalRow r, float[] x, int i) {
            int off = i * d;
            for (int j = 0; j < d; j++) {
                boolean isNull = r.isNullAt(featureIndex[j]);
                double v = isNull ? Double.NaN : read(r, j);
                // double first, then float: the same rounding as the command line's Double.parseDouble + cast.
                float f = (float) v;
                if (!Float.isFinite(f)) {
                    return missing(i, setup.featureNames().get(j), isNull ? null : v);
                }
                x[off + j] = f;
            }
            return true;
        }
    }
}
