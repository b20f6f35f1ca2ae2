package dev.vae.anomaly.eval;

import dev.vae.core.Threshold;

/**
 * The confusion counts of anomaly flags against labels (positive = anomaly = label != 0), with the metrics
 * derived from them. A metric whose denominator is 0 is NaN (e.g. precision when nothing is flagged).
 *
 * @param truePositives  anomalies flagged
 * @param falsePositives normal rows flagged
 * @param trueNegatives  normal rows not flagged
 * @param falseNegatives anomalies not flagged
 */
public record ConfusionCounts(long truePositives, long falsePositives, long trueNegatives, long falseNegatives) {

    /** Rejects negative counts. */
    public ConfusionCounts {
        if (truePositives < 0 || falsePositives < 0 || trueNegatives < 0 || falseNegatives < 0) {
            throw new IllegalArgumentException("Negative confusion count: tp " + truePositives + ", fp " + falsePositives
                    + ", tn " + trueNegatives + ", fn " + falseNegatives);
        }
    }

    /**
     * Counts at a threshold: a row is flagged when its score (nats, higher = more anomalous) is strictly above
     * {@code threshold}, as {@link Threshold#isAnomalous} decides.
     */
    public static ConfusionCounts at(double[] scores, int[] labels, double threshold) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException("Scores and labels differ in length: " + scores.length + " vs " + labels.length);
        }
        long tp = 0;
        long fp = 0;
        long tn = 0;
        long fn = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean flagged = scores[i] > threshold;
            boolean anomaly = labels[i] != 0;
            if (flagged && anomaly) {
                tp++;
            } else if (flagged) {
                fp++;
            } else if (anomaly) {
                fn++;
            } else {
                tn++;
            }
        }
        return new ConfusionCounts(tp, fp, tn, fn);
    }

    /** The number of rows. */
    public long total() {
        return truePositives + falsePositives + trueNegatives + falseNegatives;
    }

    /** tp / (tp + fp). */
    public double precision() {
        return ratio(truePositives, truePositives + falsePositives);
    }

    /** tp / (tp + fn): the detection rate. */
    public double recall() {
        return ratio(truePositives, truePositives + falseNegatives);
    }

    /** fp / (fp + tn): the false alarm rate. */
    public double falsePositiveRate() {
        return ratio(falsePositives, falsePositives + trueNegatives);
    }

    /** 2 tp / (2 tp + fp + fn), the harmonic mean of precision and recall. */
    public double f1() {
        return ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives);
    }

    /** (tp + tn) / total. */
    public double accuracy() {
        return ratio(truePositives + trueNegatives, total());
    }

    private static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }
}
