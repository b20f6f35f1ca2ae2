package dev.vae.anomaly.eval;

/**
 * Point-adjusted precision, recall and F1 (Xu et al., "Unsupervised Anomaly Detection via Variational Auto-Encoder
 * for Seasonal KPIs in Web Applications", WWW 2018): points whose score is strictly above the threshold are
 * flagged, then every labelled anomaly range (a maximal run of label != 0) that holds at least one flagged point
 * counts as flagged in full.
 *
 * <p><b>Point adjustment inflates scores, and this metric is reported only on request.</b> One lucky point
 * credits a whole range, so long ranges are found by chance: Kim, Choi, Choi, Lee and Yoon ("Towards a Rigorous
 * Evaluation of Time-Series Anomaly Detection", AAAI 2022) show that a random score reaches a high point-adjusted
 * F1, often above published detectors. On NAB's machine_temperature_system_failure (four ranges of 567 points), a
 * uniform random score flagging 1% of the points gets a point-adjusted F1 of about 0.95 (the median of 200 draws;
 * the lowest 0.81) while its point-wise F1 stays below 0.03 ({@code PointAdjustedF1Test}). Prefer
 * {@link VolumeUnderSurface} and {@link RankingMetrics}.
 */
public final class PointAdjustedF1 {

    private PointAdjustedF1() {
    }

    /**
     * The confusion counts after point adjustment at {@code threshold}; their {@link ConfusionCounts#precision()},
     * {@link ConfusionCounts#recall()} and {@link ConfusionCounts#f1()} are the point-adjusted metrics.
     *
     * @param scores    one score per point, higher = more anomalous; flagged when strictly above the threshold, as
     *                  {@link ConfusionCounts#at} decides
     * @param labels    one label per point, anomaly = label != 0
     * @param threshold the threshold
     * @throws IllegalArgumentException when the lengths differ or a score is NaN
     */
    public static ConfusionCounts counts(double[] scores, int[] labels, double threshold) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException("Scores and labels differ in length: " + scores.length + " vs "
                    + labels.length);
        }
        boolean[] flagged = new boolean[scores.length];
        for (int i = 0; i < scores.length; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("Score " + i + " is NaN");
            }
            flagged[i] = scores[i] > threshold;
        }
        long truePositives = 0;
        long falseNegatives = 0;
        for (AnomalyRange range : AnomalyRange.of(labels)) {
            boolean hit = false;
            for (int i = range.first(); i <= range.last() && !hit; i++) {
                hit = flagged[i];
            }
            int length = range.last() - range.first() + 1;
            if (hit) {
                truePositives += length;
            } else {
                falseNegatives += length;
            }
        }
        // Normal points are not adjusted.
        long falsePositives = 0;
        long trueNegatives = 0;
        for (int i = 0; i < scores.length; i++) {
            if (labels[i] == 0) {
                if (flagged[i]) {
                    falsePositives++;
                } else {
                    trueNegatives++;
                }
            }
        }
        return new ConfusionCounts(truePositives, falsePositives, trueNegatives, falseNegatives);
    }

    /**
     * The point-adjusted F1 at {@code threshold}: {@code counts(scores, labels, threshold).f1()}, NaN when there is
     * neither an anomaly nor a flagged point.
     *
     * @see #counts(double[], int[], double)
     */
    public static double f1(double[] scores, int[] labels, double threshold) {
        return counts(scores, labels, threshold).f1();
    }
}
