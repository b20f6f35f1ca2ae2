package dev.vae.anomaly.series;

import dev.vae.anomaly.eval.ConfusionCounts;
import dev.vae.anomaly.eval.PointAdjustedF1;
import dev.vae.anomaly.eval.RankingMetrics;
import dev.vae.anomaly.eval.VolumeUnderSurface;
import dev.vae.core.Threshold;
import org.jspecify.annotations.Nullable;

/**
 * How well a series' point scores find its labelled anomalies, by measures that do not flatter: point-wise AUROC and
 * AUPRC, VUS-PR and VUS-ROC (Paparrizos et al., VLDB 2022: range-aware, averaged over buffer lengths up to the
 * window, every distinct score a threshold), the counts at the model's threshold, and, only when asked, the
 * point-adjusted F1, which inflates (Kim et al., AAAI 2022: a random score reaches a high one).
 *
 * @param points           scored points
 * @param anomalies        points labelled anomalous
 * @param auroc            point-wise AUROC (NaN without both classes)
 * @param auprc            point-wise average precision
 * @param vus              VUS-PR and VUS-ROC with the window below
 * @param counts           counts at the threshold, or null without one
 * @param pointAdjustedF1  F1 after point adjustment at the threshold, or NaN when not asked or without threshold
 */
public record SeriesEvaluation(int points, int anomalies, double auroc, double auprc, VolumeUnderSurface.Result vus,
                               @Nullable ConfusionCounts counts, double pointAdjustedF1) {

    /**
     * Evaluates point scores against point labels.
     *
     * @param window        the VUS window: the series' period (a windowed model's window when it was chosen auto)
     * @param threshold     the model's threshold, or null
     * @param pointAdjusted whether to compute the (inflating) point-adjusted F1
     */
    public static SeriesEvaluation of(double[] scores, int[] labels, int window, @Nullable Threshold threshold,
                                      boolean pointAdjusted) {
        int anomalies = 0;
        for (int l : labels) {
            anomalies += l != 0 ? 1 : 0;
        }
        ConfusionCounts counts = threshold == null ? null : ConfusionCounts.at(scores, labels, threshold.value());
        double pa = pointAdjusted && threshold != null ? PointAdjustedF1.f1(scores, labels, threshold.value()) : Double.NaN;
        return new SeriesEvaluation(scores.length, anomalies, RankingMetrics.auroc(scores, labels),
                RankingMetrics.averagePrecision(scores, labels), VolumeUnderSurface.of(scores, labels, window), counts, pa);
    }
}
