package dev.vae.spark;

import dev.vae.anomaly.score.Scorer;
import dev.vae.core.ScoreKind;
import dev.vae.core.ScoreSettings;
import dev.vae.core.VaeModel;
import dev.vae.core.kernel.RowParallel;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
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
import org.jspecify.annotations.Nullable;

/**
 * The fast twin of {@link PartitionScorer} for inputs by column name: it works on Spark's internal binary rows,
 * so no row is converted to a {@code Row} of boxed values and back. Each task gathers up to {@code batch} rows
 * (copied, since Spark reuses its row buffers), scores them with one call of the executor's shared
 * {@link Scorer}, and emits each input row joined with its outputs (Spark's scan projects them to binary rows).
 */
final class InternalRowScorer implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {

    private static final long serialVersionUID = 1L;

    private final Broadcast<byte[]> modelBytes;
    private final String sha256;
    private final String scoreKind;
    private final int samples;
    private final int[] featureIndex;
    private final DataType[] featureTypes;
    private final List<String> featureNames;
    private final boolean withAnomaly;
    private final double threshold;
    private final boolean withLatent;
    private final NullPolicy nullPolicy;
    private final int batch;

    InternalRowScorer(Broadcast<byte[]> modelBytes, String sha256, ScoreSettings settings, InputColumns input,
                      StructType inSchema, @Nullable Double threshold, boolean withLatent,
                      NullPolicy nullPolicy, int batch) {
        this.modelBytes = modelBytes;
        this.sha256 = sha256;
        this.scoreKind = settings.kind().id();
        this.samples = settings.samples();
        this.featureIndex = input.featureIndex().clone();
        this.featureTypes = new DataType[featureIndex.length];
        for (int j = 0; j < featureIndex.length; j++) {
            featureTypes[j] = inSchema.fields()[featureIndex[j]].dataType();
        }
        this.featureNames = List.copyOf(input.names());
        this.withAnomaly = threshold != null;
        this.threshold = threshold == null ? Double.NaN : threshold;
        this.withLatent = withLatent;
        this.nullPolicy = nullPolicy;
        this.batch = batch;
    }

    @Override
    public Iterator<InternalRow> call(Iterator<InternalRow> rows) throws Exception {
        Scorer scorer = ExecutorModels.scorer(sha256, modelBytes::value,
                new ScoreSettings(ScoreKind.parse(scoreKind), samples));
        return new Batches(rows, scorer);
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
        throw new IllegalStateException("Unsupported numeric type " + t + " of column '" + featureNames.get(j) + "'");
    }

    private final class Batches implements Iterator<InternalRow> {
        private final Iterator<InternalRow> in;
        private final Scorer scorer;
        private final VaeModel model;
        private final int d;
        private final int k;
        private final InternalRow[] rows;
        private final float[] x;
        private final double[] scores;
        private final boolean[] missing;
        private float @Nullable [] latent;
        private final JoinedRow joined = new JoinedRow();
        private final GenericInternalRow outputs;
        private final VectorUDT vectors = new VectorUDT();
        private final int partition;
        private long rowsBefore;
        private int n;
        private int pos;

        Batches(Iterator<InternalRow> in, Scorer scorer) {
            this.in = in;
            this.scorer = scorer;
            this.model = scorer.model();
            this.d = model.inputDim();
            this.k = model.latentDim();
            this.rows = new InternalRow[batch];
            this.x = new float[batch * d];
            this.scores = new double[batch];
            this.missing = new boolean[batch];
            this.outputs = new GenericInternalRow(1 + (withAnomaly ? 1 : 0) + (withLatent ? 1 : 0));
            TaskContext tc = TaskContext.get();
            this.partition = tc == null ? -1 : tc.partitionId();
        }

        @Override
        public boolean hasNext() {
            if (pos < n) {
                return true;
            }
            fill();
            return n > 0;
        }

        @Override
        public InternalRow next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int i = pos++;
            boolean skip = missing[i];
            int c = 0;
            if (skip) {
                outputs.setNullAt(c++);
            } else {
                outputs.setDouble(c++, scores[i]);
            }
            if (withAnomaly) {
                if (skip) {
                    outputs.setNullAt(c++);
                } else {
                    outputs.setBoolean(c++, scores[i] > threshold);
                }
            }
            if (withLatent) {
                if (skip) {
                    outputs.setNullAt(c);
                } else {
                    double[] z = new double[k];
                    for (int j = 0; j < k; j++) {
                        z[j] = latent[i * k + j];
                    }
                    outputs.update(c, vectors.serialize(new DenseVector(z)));
                }
            }
            // Reused objects are safe here: the scan over this RDD projects each row to a binary row at once.
            return joined.apply(rows[i], outputs);
        }

        private void fill() {
            rowsBefore += n;
            n = 0;
            pos = 0;
            while (n < batch && in.hasNext()) {
                InternalRow r = in.next().copy(); // Spark reuses the buffer behind the row it hands out
                rows[n] = r;
                missing[n] = !extract(r, n);
                n++;
            }
            if (n == 0) {
                return;
            }
            // Spark already runs one task per core: keep this task's scoring on its own thread.
            int rowsInBatch = n;
            RowParallel.onCallingThread(() -> scorer.score(x, 0, rowsInBatch, scores, 0));
            if (withLatent) {
                latent = model.encode(n == batch ? x : Arrays.copyOf(x, n * d), n);
            }
        }

        private boolean extract(InternalRow r, int i) {
            int off = i * d;
            for (int j = 0; j < d; j++) {
                boolean isNull = r.isNullAt(featureIndex[j]);
                double v = isNull ? Double.NaN : read(r, j);
                // double first, then float: the same rounding as the command line's Double.parseDouble + cast.
                float f = (float) v;
                if (!Float.isFinite(f)) {
                    if (nullPolicy == NullPolicy.ERROR) {
                        throw new IllegalArgumentException("Column '" + featureNames.get(j) + "' at row "
                                + (rowsBefore + i) + " of partition " + partition + " is "
                                + (isNull ? "null" : v + " (not a finite float32)")
                                + "; clean the data or set nullPolicy to 'null' to give such rows a null score");
                    }
                    Arrays.fill(x, off, off + d, 0f); // a finite placeholder: rows are scored independently
                    return false;
                }
                x[off + j] = f;
            }
            return true;
        }
    }
}
