package dev.vae.anomaly.score;

import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Scores a CSV file of any size in constant memory: reads it in chunks of rows (the model's feature columns by
 * header name, other columns ignored), scores each chunk and hands it to a {@link Sink}.
 */
public final class CsvScoring {

    /** Rows per chunk. */
    public static final int CHUNK = 4096;

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
     * Streams {@code csv} through {@code scorer}.
     *
     * @param labelColumn a label column to read alongside, or null
     * @param breakdown   whether to compute reconstruction, KL and per-feature terms for each chunk
     * @return the number of rows scored
     * @throws IOException on a read error or bad data (naming file, line and column)
     */
    public static long score(Path csv, Scorer scorer, @Nullable String labelColumn, boolean breakdown, Sink sink)
            throws IOException {
        int d = scorer.model().inputDim();
        try (CsvReader reader = CsvReader.open(csv, CsvOptions.forColumns(scorer.model().featureNames(), labelColumn))) {
            float[] values = new float[CHUNK * d];
            int[] labels = labelColumn == null ? null : new int[CHUNK];
            double[] scores = new double[CHUNK];
            long row = 0;
            int n;
            while ((n = reader.read(values, labels, CHUNK)) > 0) {
                ScoreBreakdown parts = null;
                if (breakdown) {
                    parts = scorer.explain(n == CHUNK ? values : Arrays.copyOf(values, n * d), n);
                    System.arraycopy(parts.scores(), 0, scores, 0, n);
                } else {
                    scorer.score(values, 0, n, scores, 0);
                }
                sink.accept(row, n, scores, labels, parts);
                row += n;
            }
            return row;
        }
    }
}
