package dev.vae.cli.report;

import java.util.Arrays;
import java.util.Comparator;

/**
 * ROC and precision-recall curve points of a score against labels (label != 0 = anomaly), one point per
 * distinct score, highest score first.
 *
 * @param falsePositiveRate x of the ROC curve
 * @param truePositiveRate  y of the ROC curve, also the recall
 * @param precision         y of the precision-recall curve
 */
public record Curves(double[] falsePositiveRate, double[] truePositiveRate, double[] precision) {

    /** Computes the curves; needs at least one anomaly and one normal row. */
    public static Curves of(double[] scores, int[] labels) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        long positives = Arrays.stream(labels).filter(l -> l != 0).count();
        long negatives = labels.length - positives;
        if (positives == 0 || negatives == 0) {
            throw new IllegalArgumentException("ROC and precision-recall curves need both normal and anomalous rows");
        }
        double[] fpr = new double[scores.length + 1];
        double[] tpr = new double[scores.length + 1];
        double[] prec = new double[scores.length + 1];
        prec[0] = 1.0;
        int points = 1;
        long tp = 0;
        long fp = 0;
        for (int i = 0; i < order.length; i++) {
            if (labels[order[i]] != 0) {
                tp++;
            } else {
                fp++;
            }
            boolean lastOfTie = i + 1 == order.length || scores[order[i + 1]] != scores[order[i]];
            if (lastOfTie) {
                fpr[points] = (double) fp / negatives;
                tpr[points] = (double) tp / positives;
                prec[points] = (double) tp / (tp + fp);
                points++;
            }
        }
        return new Curves(Arrays.copyOf(fpr, points), Arrays.copyOf(tpr, points), Arrays.copyOf(prec, points));
    }
}
