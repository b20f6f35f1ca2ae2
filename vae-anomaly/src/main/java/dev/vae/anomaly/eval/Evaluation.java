package dev.vae.anomaly.eval;

import dev.vae.anomaly.score.ScoreBreakdown;
import dev.vae.core.Threshold;
import org.jspecify.annotations.Nullable;

/**
 * A model's report on a data set (SPEC section 6, {@code vae evaluate}): mean score terms always; ranking
 * metrics and the confusion counts at the threshold when labels are known.
 *
 * @param rows                  number of rows n
 * @param meanNegativeElbo      mean of reconstruction + KL, nats
 * @param meanReconstructionNll mean reconstruction term, nats
 * @param meanKl                mean KL term, nats
 * @param meanScore             mean of the model's configured score, nats
 * @param anomalies             number of rows labelled anomalous, or -1 without labels
 * @param auroc                 area under the ROC curve, NaN without labels or with one class
 * @param auprc                 average precision, NaN without labels or anomalies
 * @param threshold             the threshold applied, or null when the model has none
 * @param counts                confusion counts at the threshold, or null without labels or threshold
 */
public record Evaluation(long rows, double meanNegativeElbo, double meanReconstructionNll, double meanKl, double meanScore,
                         long anomalies, double auroc, double auprc, @Nullable Threshold threshold,
                         @Nullable ConfusionCounts counts) {

    /** Validates the counts. */
    public Evaluation {
        if (rows < 0) {
            throw new IllegalArgumentException("Invalid row count: " + rows);
        }
        if (anomalies < -1 || anomalies > rows) {
            throw new IllegalArgumentException("Invalid anomaly count: " + anomalies + " of " + rows + " rows");
        }
    }

    /**
     * Evaluates a breakdown of scores, with optional labels and threshold.
     *
     * @param scored    the scores and their terms
     * @param labels    labels (0 = normal) or null
     * @param threshold the threshold or null
     */
    public static Evaluation of(ScoreBreakdown scored, int @Nullable [] labels, @Nullable Threshold threshold) {
        return of(scored.scores(), scored.reconstruction(), scored.kl(), labels, threshold);
    }

    /**
     * Evaluates per-row scores and their terms (nats), with optional labels and threshold.
     *
     * @param scores         the model's score per row
     * @param reconstruction the reconstruction term per row
     * @param kl             the KL term per row
     * @param labels         labels (0 = normal) or null
     * @param threshold      the threshold or null
     */
    public static Evaluation of(double[] scores, double[] reconstruction, double[] kl, int @Nullable [] labels,
                                @Nullable Threshold threshold) {
        int n = scores.length;
        if (reconstruction.length != n || kl.length != n || (labels != null && labels.length != n)) {
            throw new IllegalArgumentException("Evaluation arrays differ in length: " + n + " scores, "
                    + reconstruction.length + " reconstruction terms, " + kl.length + " KL terms"
                    + (labels == null ? "" : ", " + labels.length + " labels"));
        }
        double elbo = 0;
        double recon = 0;
        double klSum = 0;
        double score = 0;
        for (int i = 0; i < n; i++) {
            recon += reconstruction[i];
            klSum += kl[i];
            elbo += reconstruction[i] + kl[i];
            score += scores[i];
        }
        double div = Math.max(1, n);
        if (labels == null) {
            return new Evaluation(n, elbo / div, recon / div, klSum / div, score / div, -1, Double.NaN, Double.NaN,
                    threshold, null);
        }
        long anomalies = RankingMetrics.positives(labels);
        double auroc = RankingMetrics.auroc(scores, labels);
        double auprc = RankingMetrics.averagePrecision(scores, labels);
        ConfusionCounts counts = threshold == null ? null : ConfusionCounts.at(scores, labels, threshold.value());
        return new Evaluation(n, elbo / div, recon / div, klSum / div, score / div, anomalies, auroc, auprc, threshold,
                counts);
    }
}
