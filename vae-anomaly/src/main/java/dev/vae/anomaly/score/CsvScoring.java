package dev.vae.anomaly.score;

import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Scores a CSV file of any size in constant memory: reads it in chunks of {@link #CHUNK} rows (the model's feature
 * columns by header name, other columns ignored), scores each chunk and hands it to a {@link Sink}. The one chunked
 * reading loop of the scoring front ends ({@code vae score}, {@code evaluate}, {@code encode}, {@code report}):
 * {@link #forEachChunk} reads, {@link #score(CsvReader, Scorer, boolean, ScoringMeters, Sink)} reads and scores.
 * A row's score does not depend on the chunk it falls in, so streamed scores equal in-memory scores bit for bit.
 */
public final class CsvScoring {

    /** Rows per chunk. */
    public static final int CHUNK = 4096;

    /** Receives each chunk of raw rows as read. */
    @FunctionalInterface
    public interface RowSink {
        /**
         * One chunk of {@code n} rows starting at row {@code firstRow} (0-based, header excluded).
         *
         * @param rows   exactly {@code n} raw rows, row-major; the array is reused for the next chunk
         * @param labels the rows' labels in {@code labels[0, n)} when the reader reads a label column, else null;
         *               reused for the next chunk
         */
        void accept(long firstRow, int n, float[] rows, int @Nullable [] labels) throws IOException;
    }

    /** Receives each scored chunk; the arrays are reused for the next chunk. */
    @FunctionalInterface
    public interface Sink {
        /**
         * One chunk of {@code n} rows starting at row {@code firstRow} (0-based, header excluded).
         *
         * @param scores scores in nats (higher = more anomalous), {@code scores[0, n)}
         * @param labels labels of the rows when a label column is read, else null
         * @param parts  the breakdown of the chunk when asked for, else null
         */
        void accept(long firstRow, int n, double[] scores, int @Nullable [] labels, @Nullable ScoreBreakdown parts)
                throws IOException;
    }

    private CsvScoring() {
    }

    /**
     * Reads every remaining row of {@code reader} in chunks of {@link #CHUNK} rows, in order.
     *
     * @return the number of rows read
     * @throws IOException on a read error or bad data (naming file, line and column)
     */
    public static long forEachChunk(CsvReader reader, RowSink sink) throws IOException {
        int d = reader.featureColumns().size();
        float[] values = new float[CHUNK * d];
        int[] labels = reader.hasLabels() ? new int[CHUNK] : null;
        long row = 0;
        int n;
        while ((n = reader.read(values, labels, CHUNK)) > 0) {
            // Only a last, short chunk is copied: the scorer takes exactly n rows.
            sink.accept(row, n, n == CHUNK ? values : Arrays.copyOf(values, n * d), labels);
            row += n;
        }
        return row;
    }

    /**
     * Streams {@code csv} through {@code scorer}.
     *
     * @param labelColumn a label column to read alongside, or null
     * @param breakdown   whether to compute reconstruction, KL and per-feature terms for each chunk
     * @return the number of rows scored
     * @throws IOException on a read error or bad data (naming file, line and column)
     */
    public static long score(Path csv, Scorer scorer, @Nullable String labelColumn, boolean breakdown, Sink sink)
            throws IOException {
        CsvOptions options = CsvOptions.forColumns(scorer.model().featureNames(), labelColumn);
        try (CsvReader reader = CsvReader.open(csv, options)) {
            return score(reader, scorer, breakdown, null, sink);
        }
    }

    /**
     * Streams the remaining rows of {@code reader} through {@code scorer}, one scoring call a chunk.
     *
     * @param reader    a reader of the model's feature columns, opened with
     *                  {@code CsvOptions.forColumns(model.featureNames(), labelColumn)}
     * @param breakdown whether to compute reconstruction, KL and per-feature terms for each chunk (the scores are
     *                  the same bit for bit)
     * @param meters    meters to time each scoring call and count its rows once, or null
     * @return the number of rows scored
     * @throws IllegalArgumentException when the reader's feature columns are not the model's
     * @throws IOException              on a read error or bad data (naming file, line and column)
     */
    public static long score(CsvReader reader, Scorer scorer, boolean breakdown, @Nullable ScoringMeters meters,
                             Sink sink) throws IOException {
        if (!reader.featureColumns().equals(scorer.model().featureNames())) {
            throw new IllegalArgumentException(reader.source() + ": the reader's feature columns "
                    + reader.featureColumns() + " are not the model's " + scorer.model().featureNames()
                    + " (open it with CsvOptions.forColumns(model.featureNames(), labelColumn))");
        }
        double[] buffer = new double[breakdown ? 0 : CHUNK];
        return forEachChunk(reader, (first, n, rows, labels) -> {
            long t0 = System.nanoTime();
            ScoreBreakdown parts = null;
            double[] scores = buffer;
            if (breakdown) {
                parts = scorer.explain(rows, n);
                scores = parts.scores();
            } else {
                scorer.score(rows, 0, n, scores, 0);
            }
            if (meters != null) {
                meters.record(System.nanoTime() - t0, scores, 0, n);
            }
            sink.accept(first, n, scores, labels, parts);
        });
    }
}
