package dev.vae.cli;

import dev.vae.anomaly.eval.Evaluation;
import dev.vae.anomaly.score.CsvScoring;
import dev.vae.anomaly.score.ScoreBreakdown;
import dev.vae.core.Threshold;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Keeps what a metric over a whole streamed file needs (AUROC ranks every row): each row's score and label and,
 * when asked, its reconstruction and KL terms, in arrays that double as chunks arrive. Per-feature parts are never
 * kept, so a row costs 12 bytes, or 28 with the terms.
 */
final class KeptScores implements CsvScoring.Sink {

    private final boolean terms;
    private double[] scores = new double[CsvScoring.CHUNK];
    private double[] reconstruction;
    private double[] kl;
    private int @Nullable [] labels;
    private int rows;

    /**
     * Keeps scores and labels and, when {@code terms} is set, the reconstruction and KL terms (which needs chunks
     * scored with their breakdown).
     */
    KeptScores(boolean terms) {
        this.terms = terms;
        this.reconstruction = new double[terms ? scores.length : 0];
        this.kl = new double[terms ? scores.length : 0];
    }

    @Override
    public void accept(long firstRow, int n, double[] chunkScores, int @Nullable [] chunkLabels,
                       @Nullable ScoreBreakdown parts) {
        int first = Math.toIntExact(firstRow);
        int need = Math.toIntExact(firstRow + n);
        if (need > scores.length) {
            int capacity = Math.max(need, 2 * scores.length);
            scores = Arrays.copyOf(scores, capacity);
            reconstruction = terms ? Arrays.copyOf(reconstruction, capacity) : reconstruction;
            kl = terms ? Arrays.copyOf(kl, capacity) : kl;
            labels = labels == null ? null : Arrays.copyOf(labels, capacity);
        }
        System.arraycopy(chunkScores, 0, scores, first, n);
        if (terms) {
            if (parts == null) {
                throw new IllegalStateException("Keeping the score terms needs chunks scored with their breakdown");
            }
            System.arraycopy(parts.reconstruction(), 0, reconstruction, first, n);
            System.arraycopy(parts.kl(), 0, kl, first, n);
        }
        if (chunkLabels != null) {
            if (labels == null) {
                labels = new int[scores.length];
            }
            System.arraycopy(chunkLabels, 0, labels, first, n);
        }
        rows = Math.max(rows, need);
    }

    /** The number of rows kept. */
    int rows() {
        return rows;
    }

    /** The scores (nats) of the rows, in order. */
    double[] scores() {
        return Arrays.copyOf(scores, rows);
    }

    /** The labels of the rows, in order, or null when the chunks came without labels. */
    int @Nullable [] labels() {
        return labels == null ? null : Arrays.copyOf(labels, rows);
    }

    /**
     * The evaluation of the kept rows at {@code threshold} (null for none).
     *
     * @throws IllegalStateException when the terms were not kept
     */
    Evaluation evaluation(@Nullable Threshold threshold) {
        if (!terms) {
            throw new IllegalStateException("An evaluation needs the score terms: keep them (new KeptScores(true))");
        }
        return Evaluation.of(scores(), Arrays.copyOf(reconstruction, rows), Arrays.copyOf(kl, rows), labels(),
                threshold);
    }
}
