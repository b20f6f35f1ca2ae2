package dev.vae.spark;

import dev.vae.anomaly.score.ScoreBreakdown;
import dev.vae.anomaly.score.Scorer;
import dev.vae.core.ScoreKind;
import dev.vae.core.ScoreSettings;
import dev.vae.core.VaeModel;
import dev.vae.core.io.ModelFormatException;
import dev.vae.core.kernel.RowParallel;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.jspecify.annotations.Nullable;

/**
 * The batching core of both Spark scoring paths ({@link PartitionScorer} on {@code Row}s, {@link InternalRowScorer}
 * on Spark's internal rows): a lazy iterator over one partition that gathers up to {@code batch} input rows into one
 * row-major float32 array, scores them with one call of the executor's shared {@link Scorer} on the task's own
 * thread, and emits one output row per input row, in order, whenever the previous batch is used up. A row's score
 * does not depend on its batch, so Spark's scores equal the single-machine scorer's bit for bit.
 *
 * <p>A subclass says how a row's features are read ({@link #extract}) and how an output row is made ({@link #emit})
 * from the outputs this class holds for each slot of the batch.
 *
 * @param <I> input rows
 * @param <O> output rows
 */
abstract class ScoringBatches<I, O> implements Iterator<O> {

    /**
     * What every scoring task needs, shipped to the executors with the function: never the model itself, only the
     * broadcast handle to its bytes and their hash (the key of {@link ExecutorModels}).
     *
     * @param modelBytes   the model file's bytes, broadcast
     * @param sha256       their hash
     * @param scoreKind    the score's id ({@link ScoreKind#id()})
     * @param samples      latent samples per row
     * @param featureNames the model's feature names, or the vector column's name alone (for messages)
     * @param threshold    the threshold of the anomaly column, or null for no such column
     * @param withLatent   whether to output the latent means
     * @param withFeatures whether to output the per-feature contributions
     * @param nullPolicy   what a missing cell does
     * @param batch        rows per scoring call
     */
    record Setup(Broadcast<byte[]> modelBytes, String sha256, String scoreKind, int samples, List<String> featureNames,
                 @Nullable Double threshold, boolean withLatent, boolean withFeatures, NullPolicy nullPolicy, int batch)
            implements Serializable {

        /** A setup for {@code settings} (kept as plain values: they travel by Java serialization). */
        Setup(Broadcast<byte[]> modelBytes, String sha256, ScoreSettings settings, List<String> featureNames,
              @Nullable Double threshold, boolean withLatent, boolean withFeatures, NullPolicy nullPolicy, int batch) {
            this(modelBytes, sha256, settings.kind().id(), settings.samples(), List.copyOf(featureNames), threshold,
                    withLatent, withFeatures, nullPolicy, batch);
        }

        /** The executor's shared scorer for this model and score, parsed once per executor. */
        Scorer scorer() throws ModelFormatException {
            ScoreSettings settings = new ScoreSettings(ScoreKind.parse(scoreKind), samples);
            return ExecutorModels.scorer(sha256, modelBytes::value, settings);
        }

        /** How many output columns follow the input's: the score, then the optional ones. */
        int outputColumns() {
            return 1 + (threshold != null ? 1 : 0) + (withLatent ? 1 : 0) + (withFeatures ? 1 : 0);
        }
    }

    private final Setup setup;
    private final Iterator<I> in;
    private final Scorer scorer;
    private final VaeModel model;
    /** Features per row. */
    final int d;
    private final int k;
    private final int batch;
    private final boolean withAnomaly;
    private final double threshold;
    private final Object[] rows;
    private final float[] x;
    private final double[] scores;
    private final boolean[] missing;
    private float @Nullable [] latent;
    private @Nullable ScoreBreakdown parts;
    private final int partition;
    private long rowsBefore;
    private int n;
    private int pos;

    ScoringBatches(Iterator<I> in, Setup setup) throws ModelFormatException {
        this.setup = setup;
        this.in = in;
        this.scorer = setup.scorer();
        this.model = scorer.model();
        this.d = model.inputDim();
        this.k = model.latentDim();
        this.batch = setup.batch();
        this.withAnomaly = setup.threshold() != null;
        this.threshold = withAnomaly ? setup.threshold() : Double.NaN;
        this.rows = new Object[batch];
        this.x = new float[batch * d];
        this.scores = new double[batch];
        this.missing = new boolean[batch];
        TaskContext tc = TaskContext.get();
        this.partition = tc == null ? -1 : tc.partitionId();
    }

    /** The row to hold until its batch is emitted: a copy where Spark reuses the object it hands out. */
    abstract I retain(I row);

    /**
     * Copies {@code row}'s features into {@code x[slot * d, (slot + 1) * d)}.
     *
     * @return false when a cell is missing: the subclass then returns {@link #missing}'s answer
     */
    abstract boolean extract(I row, float[] x, int slot);

    /** The output row of input {@code row}, in batch slot {@code slot}. */
    abstract O emit(I row, int slot);

    @Override
    public final boolean hasNext() {
        if (pos < n) {
            return true;
        }
        fill();
        return n > 0;
    }

    @Override
    public final O next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int i = pos++;
        @SuppressWarnings("unchecked")
        I r = (I) rows[i];
        rows[i] = null;
        return emit(r, i);
    }

    private void fill() {
        rowsBefore += n;
        n = 0;
        pos = 0;
        while (n < batch && in.hasNext()) {
            I r = retain(in.next());
            rows[n] = r;
            missing[n] = !extract(r, x, n);
            n++;
        }
        if (n == 0) {
            return;
        }
        // Spark already runs one task per core: keep this task's scoring on its own thread.
        int rowsInBatch = n;
        RowParallel.onCallingThread(() -> scorer.score(x, 0, rowsInBatch, scores, 0));
        if (setup.withLatent()) {
            latent = model.encode(n == batch ? x : Arrays.copyOf(x, n * d), n);
        }
        if (setup.withFeatures()) {
            // Same latent draws as the score column (the Scorer guarantees explain() == score() bit for bit).
            parts = scorer.explain(n == batch ? x : Arrays.copyOf(x, n * d), n);
        }
    }

    /**
     * Handles a missing cell (null, NaN, or not a finite float32) of the row in {@code slot} by the null policy:
     * fails naming the column, row, partition and value, or marks the row for null outputs.
     *
     * @return false, for {@link #extract} to return
     */
    final boolean missing(int slot, String column, @Nullable Object value) {
        if (setup.nullPolicy() == NullPolicy.ERROR) {
            throw new IllegalArgumentException("Column '" + column + "' at " + where(slot) + " is "
                    + (value == null ? "null" : value + " (not a finite float32)")
                    + "; clean the data or set nullPolicy to 'null' to give such rows a null score");
        }
        Arrays.fill(x, slot * d, (slot + 1) * d, 0f); // a finite placeholder: rows are scored independently
        return false;
    }

    /** "row R of partition P" for the row in {@code slot}, for messages. */
    final String where(int slot) {
        return "row " + (rowsBefore + slot) + " of partition " + partition;
    }

    /** Whether the row in {@code slot} has a missing cell and so gets null outputs. */
    final boolean isMissing(int slot) {
        return missing[slot];
    }

    /** The score of the row in {@code slot}, in nats. */
    final double score(int slot) {
        return scores[slot];
    }

    /** Whether an anomaly column is output. */
    final boolean withAnomaly() {
        return withAnomaly;
    }

    /** Whether the row in {@code slot} scores strictly above the threshold. */
    final boolean isAnomalous(int slot) {
        return scores[slot] > threshold;
    }

    /** Whether a latent column is output. */
    final boolean withLatent() {
        return setup.withLatent();
    }

    /** The latent mean of the row in {@code slot}. */
    final double[] latent(int slot) {
        double[] z = new double[k];
        for (int j = 0; j < k; j++) {
            z[j] = latent[slot * k + j];
        }
        return z;
    }

    /** Whether a per-feature contributions column is output. */
    final boolean withFeatures() {
        return setup.withFeatures();
    }

    /** The per-feature contributions (nats) of the row in {@code slot}. */
    final double[] contributions(int slot) {
        double[] f = new double[d];
        for (int j = 0; j < d; j++) {
            f[j] = parts.contribution(slot, j);
        }
        return f;
    }
}
