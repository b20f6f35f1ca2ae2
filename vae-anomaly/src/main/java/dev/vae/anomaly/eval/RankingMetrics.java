package dev.vae.anomaly.eval;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Threshold-free metrics of a score that should rank anomalies (label != 0) above normal rows.
 *
 * <p>AUROC is the Mann-Whitney statistic with ties counted one half. Average precision (AUPRC) is
 * {@code sum_k (R_k - R_{k-1}) P_k} over the distinct score thresholds, highest first, as scikit-learn defines it
 * (tied scores enter together, no interpolation).
 */
public final class RankingMetrics {

    private RankingMetrics() {
    }

    /** Area under the ROC curve; NaN when either class is absent. */
    public static double auroc(double[] scores, int[] labels) {
        check(scores, labels);
        Integer[] order = order(scores);
        long positives = positives(labels);
        long negatives = labels.length - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        // Sum of the ranks of the positives, ascending order, ties given their average rank.
        double rankSum = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double avgRank = (i + j) / 2.0 + 1.0;
            for (int t = i; t <= j; t++) {
                if (labels[order[t]] != 0) {
                    rankSum += avgRank;
                }
            }
            i = j + 1;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /** Average precision (area under the precision-recall curve); NaN without positives. */
    public static double averagePrecision(double[] scores, int[] labels) {
        check(scores, labels);
        Integer[] order = order(scores);
        long positives = positives(labels);
        if (positives == 0) {
            return Double.NaN;
        }
        double ap = 0;
        long tp = 0;
        long seen = 0;
        int i = order.length - 1;
        while (i >= 0) {
            int j = i;
            while (j - 1 >= 0 && scores[order[j - 1]] == scores[order[i]]) {
                j--;
            }
            long newTp = 0;
            for (int t = j; t <= i; t++) {
                if (labels[order[t]] != 0) {
                    newTp++;
                }
            }
            tp += newTp;
            seen += i - j + 1;
            ap += (double) newTp / positives * ((double) tp / seen);
            i = j - 1;
        }
        return ap;
    }

    /** The number of rows labelled anomalous (label != 0). */
    static long positives(int[] labels) {
        long n = 0;
        for (int l : labels) {
            if (l != 0) {
                n++;
            }
        }
        return n;
    }

    private static Integer[] order(double[] scores) {
        Integer[] idx = new Integer[scores.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, Comparator.comparingDouble(i -> scores[i]));
        return idx;
    }

    private static void check(double[] scores, int[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException("Scores and labels differ in length: " + scores.length + " vs " + labels.length);
        }
        for (int i = 0; i < scores.length; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("Score " + i + " is NaN");
            }
        }
    }
}
