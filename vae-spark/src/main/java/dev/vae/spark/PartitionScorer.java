package dev.vae.spark;

import dev.vae.anomaly.score.ScoreBreakdown;
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
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.jspecify.annotations.Nullable;

/**
 * The function each Spark task runs over its partition: it gathers up to {@code batch} rows into one row-major
 * float32 array, scores them with one call of the executor's shared {@link Scorer}, and emits each input row
 * with the output columns appended. Holds only small values and the broadcast handle, never the model itself.
 */
final class PartitionScorer implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    private final Broadcast<byte[]> modelBytes;
    private final String sha256;
    private final String scoreKind;
    private final int samples;
    private final int @Nullable [] featureIndex;
    private final int vectorIndex;
    private final List<String> featureNames;
    private final int inputWidth;
    private final boolean withAnomaly;
    private final double threshold;
    private final boolean withLatent;
    private final boolean withFeatures;
    private final NullPolicy nullPolicy;
    private final int batch;

    PartitionScorer(Broadcast<byte[]> modelBytes, String sha256, ScoreSettings settings, InputColumns input,
                    int inputWidth, @Nullable Double threshold, boolean withLatent, boolean withFeatures,
                    NullPolicy nullPolicy, int batch) {
        this.modelBytes = modelBytes;
        this.sha256 = sha256;
        this.scoreKind = settings.kind().id();
        this.samples = settings.samples();
        this.featureIndex = input.featureIndex();
        this.vectorIndex = input.vectorIndex();
        this.featureNames = List.copyOf(input.names());
        this.inputWidth = inputWidth;
        this.withAnomaly = threshold != null;
        this.threshold = threshold == null ? Double.NaN : threshold;
        this.withLatent = withLatent;
        this.withFeatures = withFeatures;
        this.nullPolicy = nullPolicy;
        this.batch = batch;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) throws Exception {
        Scorer scorer = ExecutorModels.scorer(sha256, modelBytes::value,
                new ScoreSettings(ScoreKind.parse(scoreKind), samples));
        return new Batches(rows, scorer);
    }

    /** A lazy iterator that scores one batch of input rows whenever the previous batch is used up. */
    private final class Batches implements Iterator<Row> {
        private final Iterator<Row> in;
        private final Scorer scorer;
        private final VaeModel model;
        private final int d;
        private final int k;
        private final Row[] rows;
        private final float[] x;
        private final double[] scores;
        private final boolean[] missing;
        private float @Nullable [] latent;
        private @Nullable ScoreBreakdown parts;
        private final int partition;
        private long rowsBefore;
        private int n;
        private int pos;

        Batches(Iterator<Row> in, Scorer scorer) {
            this.in = in;
            this.scorer = scorer;
            this.model = scorer.model();
            this.d = model.inputDim();
            this.k = model.latentDim();
            this.rows = new Row[batch];
            this.x = new float[batch * d];
            this.scores = new double[batch];
            this.missing = new boolean[batch];
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
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int i = pos++;
            Row r = rows[i];
            rows[i] = null;
            int extra = 1 + (withAnomaly ? 1 : 0) + (withLatent ? 1 : 0) + (withFeatures ? 1 : 0);
            Object[] out = new Object[inputWidth + extra];
            for (int c = 0; c < inputWidth; c++) {
                out[c] = r.get(c);
            }
            int c = inputWidth;
            boolean skip = missing[i];
            out[c++] = skip ? null : scores[i];
            if (withAnomaly) {
                out[c++] = skip ? null : scores[i] > threshold;
            }
            if (withLatent) {
                if (skip) {
                    out[c] = null;
                } else {
                    double[] z = new double[k];
                    for (int j = 0; j < k; j++) {
                        z[j] = latent[i * k + j];
                    }
                    out[c] = new DenseVector(z);
                }
                c++;
            }
            if (withFeatures) {
                if (skip) {
                    out[c] = null;
                } else {
                    double[] f = new double[d];
                    for (int j = 0; j < d; j++) {
                        f[j] = parts.contribution(i, j);
                    }
                    out[c] = new DenseVector(f);
                }
            }
            return RowFactory.create(out);
        }

        private void fill() {
            rowsBefore += n;
            n = 0;
            pos = 0;
            while (n < batch && in.hasNext()) {
                Row r = in.next();
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
            if (withFeatures) {
                // Same latent draws as the score column (the Scorer guarantees explain() == score() bit for bit).
                parts = scorer.explain(n == batch ? x : Arrays.copyOf(x, n * d), n);
            }
        }

        /** Copies row {@code r}'s features into slot {@code i}; false when a cell is missing (under the null policy). */
        private boolean extract(Row r, int i) {
            int off = i * d;
            if (featureIndex != null) {
                for (int j = 0; j < d; j++) {
                    Object v = r.get(featureIndex[j]);
                    // double first, then float: the same rounding as the command line's Double.parseDouble + cast.
                    float f = v == null ? Float.NaN : (float) ((Number) v).doubleValue();
                    if (!Float.isFinite(f)) {
                        return missing(i, featureNames.get(j), v);
                    }
                    x[off + j] = f;
                }
                return true;
            }
            Object v = r.get(vectorIndex);
            if (v == null) {
                return missing(i, featureNames.get(0), null);
            }
            Vector vec = (Vector) v;
            if (vec.size() != d) {
                throw new IllegalArgumentException("Invalid input dimension in column '" + featureNames.get(0) + "' at "
                        + where(i) + ": expected a vector of " + d + " features, actual " + vec.size());
            }
            for (int j = 0; j < d; j++) {
                float f = (float) vec.apply(j);
                if (!Float.isFinite(f)) {
                    return missing(i, featureNames.get(0) + "[" + j + "]", vec.apply(j));
                }
                x[off + j] = f;
            }
            return true;
        }

        private boolean missing(int i, String column, @Nullable Object value) {
            if (nullPolicy == NullPolicy.ERROR) {
                throw new IllegalArgumentException("Column '" + column + "' at " + where(i) + " is "
                        + (value == null ? "null" : value + " (not a finite float32)")
                        + "; clean the data or set nullPolicy to 'null' to give such rows a null score");
            }
            Arrays.fill(x, i * d, (i + 1) * d, 0f); // a finite placeholder: rows are scored independently
            return false;
        }

        private String where(int i) {
            return "row " + (rowsBefore + i) + " of partition " + partition;
        }
    }
}
