package dev.vae.anomaly.eval;

import java.util.Arrays;
import java.util.List;

/**
 * VUS-PR and VUS-ROC, the volume under the range-based precision-recall and ROC surfaces of Paparrizos, Boniol,
 * Palpanas, Tsay, Elmore and Franklin, "Volume Under the Surface: A New Accuracy Evaluation Measure for Time-Series
 * Anomaly Detection", PVLDB 15(11), 2022, for a score per point of a series (higher = more anomalous) against
 * labels (anomaly = label != 0). They forgive a detector that fires a little before or after a labelled range, and
 * they need no threshold and no buffer length chosen by hand: both are averaged out.
 *
 * <p><b>Buffer.</b> For a buffer length l, the {@code h = floor(l / 2)} normal points on each side of every anomaly
 * range get the soft label {@code sqrt(1 - d / l)}, d = 1..h their distance to the range (so l = 0 and l = 1 have no
 * buffer, and every soft label is at least {@code sqrt(1/2)}). Ramps of neighbouring ranges that reach the same point
 * add up and are capped at 1, so such a point weighs 1.
 *
 * <p><b>Curves.</b> At a threshold t a point is flagged when its score is {@code >= t}. With A the flagged anomaly
 * points, B the sum of the soft labels of the flagged buffer points, N the flagged points, P the anomaly points and
 * n the series' length: {@code TP = A + B}, {@code P_l = P + B / 2}, recall {@code min(TP / P_l, 1)},
 * {@code TPR = recall * existence}, {@code FPR = (N - TP) / (n - P_l)}, {@code precision = TP / N}. The existence
 * reward is the share of buffered ranges holding at least one flagged point (buffer included); ranges whose buffers
 * meet or overlap ({@code last + h >= next first - h}) count as one. The range AUC-ROC is the trapezoidal area of
 * (FPR, TPR) from (0, 0) through every threshold, highest first, to (1, 1); the range AUC-PR is
 * {@code sum_k (TPR_k - TPR_(k-1)) precision_k} from {@code TPR_0 = 0}, a step sum like average precision, without
 * interpolation. <b>VUS</b> is the mean of these areas over l = 0..L, L the window (TSB-AD uses the series' period,
 * {@link dev.vae.core.series.Periodicity}).
 *
 * <p>These are the definitions of the reference implementation the paper's authors maintain (TSB-AD,
 * {@code basic_metrics.py}, {@code RangeAUC_volume_opt}), whose numbers benchmarks report, down to its details:
 * symmetric {@code floor(l / 2)} ramps, overlapping ramps added, merged buffered ranges counted once in the
 * existence reward (TimeEval's reimplementation changes the last two; this class keeps the reference's).
 *
 * <p><b>Thresholds.</b> {@link Thresholds#EVERY_SCORE} uses every distinct score, the exact curves.
 * {@link Thresholds#TSB_AD} samples 250 thresholds as the reference does: the scores at ranks
 * {@code floor(q (n - 1) / 249)}, q = 0..249, of the scores sorted from the highest. Sampling coarsens the step sum
 * of the PR area in particular: on the three NAB series of {@code nab-reference} the exact VUS-PR lies 0.0008 to
 * 0.0017 above the sampled one, VUS-ROC within 0.00024; the sampled values agree with TSB-AD's to 1e-6.
 *
 * <p>Cost: one sort, then O(n) per buffer length, O(n log n + L n) in all, whatever the number of ranges (measured:
 * the three NAB series, 4,032 to 10,320 points with L up to 289, about 0.1 s together once the JIT has warmed up,
 * 0.3 s cold; 22,000 points with L = 300 about 0.3 s).
 */
public final class VolumeUnderSurface {

    private VolumeUnderSurface() {
    }

    /**
     * Which score thresholds trace the curves.
     *
     * @param samples 0 for every distinct score (exact), otherwise the number of thresholds sampled at evenly spaced
     *                ranks as TSB-AD does (at least 2)
     */
    public record Thresholds(int samples) {

        /** Every distinct score is a threshold: the exact curves. */
        public static final Thresholds EVERY_SCORE = new Thresholds(0);

        /** TSB-AD's 250 thresholds at evenly spaced ranks, to reproduce its numbers. */
        public static final Thresholds TSB_AD = new Thresholds(250);

        /** Validates the count. */
        public Thresholds {
            if (samples < 0 || samples == 1) {
                throw new IllegalArgumentException("Invalid number of sampled thresholds: " + samples
                        + " (expected 0 for every distinct score, or at least 2)");
            }
        }

        /** Whether every distinct score is a threshold. */
        public boolean everyScore() {
            return samples == 0;
        }
    }

    /**
     * The range-based areas at one buffer length; NaN when the labels hold no anomaly (both) or no normal point
     * (ROC).
     *
     * @param bufferLength the buffer length l
     * @param pr           range AUC-PR
     * @param roc          range AUC-ROC
     */
    public record RangeAuc(int bufferLength, double pr, double roc) {
    }

    /**
     * VUS and the range areas at the full window; NaN when the labels hold no anomaly (all) or no normal point
     * (the ROC ones).
     *
     * @param window      the largest buffer length L
     * @param vusPr       mean range AUC-PR over l = 0..L
     * @param vusRoc      mean range AUC-ROC over l = 0..L
     * @param rangeAucPr  range AUC-PR at l = L
     * @param rangeAucRoc range AUC-ROC at l = L
     */
    public record Result(int window, double vusPr, double vusRoc, double rangeAucPr, double rangeAucRoc) {
    }

    /**
     * VUS-PR and VUS-ROC over buffer lengths 0..window with every distinct score as threshold.
     *
     * @param scores one score per point, higher = more anomalous (finite or infinite, not NaN)
     * @param labels one label per point, anomaly = label != 0
     * @param window the largest buffer length L, usually the series' period
     * @throws IllegalArgumentException when the lengths differ or are 0, a score is NaN, or the window is negative
     */
    public static Result of(double[] scores, int[] labels, int window) {
        return of(scores, labels, window, Thresholds.EVERY_SCORE);
    }

    /**
     * VUS-PR and VUS-ROC over buffer lengths 0..window with the given thresholds.
     *
     * @see #of(double[], int[], int)
     */
    public static Result of(double[] scores, int[] labels, int window, Thresholds thresholds) {
        checkLength(window, "window");
        Surface surface = new Surface(scores, labels, thresholds);
        double pr = 0;
        double roc = 0;
        for (int l = 0; l < window; l++) {
            RangeAuc slice = surface.slice(l);
            pr += slice.pr();
            roc += slice.roc();
        }
        RangeAuc atWindow = surface.slice(window);
        pr += atWindow.pr();
        roc += atWindow.roc();
        return new Result(window, pr / (window + 1), roc / (window + 1), atWindow.pr(), atWindow.roc());
    }

    /**
     * The range AUC-PR and AUC-ROC at one buffer length with every distinct score as threshold.
     *
     * @see #of(double[], int[], int)
     */
    public static RangeAuc rangeAuc(double[] scores, int[] labels, int bufferLength) {
        return rangeAuc(scores, labels, bufferLength, Thresholds.EVERY_SCORE);
    }

    /**
     * The range AUC-PR and AUC-ROC at one buffer length with the given thresholds.
     *
     * @see #of(double[], int[], int)
     */
    public static RangeAuc rangeAuc(double[] scores, int[] labels, int bufferLength, Thresholds thresholds) {
        checkLength(bufferLength, "buffer length");
        return new Surface(scores, labels, thresholds).slice(bufferLength);
    }

    private static void checkLength(int length, String what) {
        if (length < 0) {
            throw new IllegalArgumentException("Invalid " + what + ": " + length + " (expected >= 0)");
        }
    }

    /** The sorted scores and the label ranges of one series, and the work arrays of one slice at a time. */
    private static final class Surface {

        private final int n;
        private final boolean[] anomaly;
        private final List<AnomalyRange> ranges;
        private final int positives;
        /** Point indices by descending score. */
        private final int[] order;
        /** The number of flagged points at each threshold, non-decreasing; the last is n. */
        private final int[] cuts;
        private final double[] softLabel;
        private final int[] segmentOf;
        private final boolean[] detected;

        Surface(double[] scores, int[] labels, Thresholds thresholds) {
            if (scores.length != labels.length) {
                throw new IllegalArgumentException("Scores and labels differ in length: " + scores.length + " vs "
                        + labels.length);
            }
            n = scores.length;
            if (n == 0) {
                throw new IllegalArgumentException("No scores to evaluate");
            }
            anomaly = new boolean[n];
            int p = 0;
            for (int i = 0; i < n; i++) {
                if (Double.isNaN(scores[i])) {
                    throw new IllegalArgumentException("Score " + i + " is NaN");
                }
                anomaly[i] = labels[i] != 0;
                p += anomaly[i] ? 1 : 0;
            }
            positives = p;
            ranges = AnomalyRange.of(labels);
            order = descending(scores);
            cuts = cuts(scores, order, thresholds);
            softLabel = new double[n];
            segmentOf = new int[n];
            detected = new boolean[ranges.size()];
        }

        private static int[] descending(double[] scores) {
            Integer[] boxed = new Integer[scores.length];
            for (int i = 0; i < boxed.length; i++) {
                boxed[i] = i;
            }
            Arrays.sort(boxed, (a, b) -> Double.compare(scores[b], scores[a]));
            int[] order = new int[boxed.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = boxed[i];
            }
            return order;
        }

        /** Flagged counts: the ends of the groups of tied scores, all of them or those at the sampled ranks. */
        private static int[] cuts(double[] scores, int[] order, Thresholds thresholds) {
            int n = order.length;
            // groupEnd[k]: how many scores are >= the k-th highest.
            int[] groupEnd = new int[n];
            int distinct = 0;
            for (int k = n - 1; k >= 0; k--) {
                boolean last = k == n - 1 || scores[order[k + 1]] != scores[order[k]];
                groupEnd[k] = last ? k + 1 : groupEnd[k + 1];
                distinct += last ? 1 : 0;
            }
            if (thresholds.everyScore()) {
                int[] cuts = new int[distinct];
                int c = 0;
                for (int k = 0; k < n; k++) {
                    if (groupEnd[k] == k + 1) {
                        cuts[c++] = k + 1;
                    }
                }
                return cuts;
            }
            int samples = thresholds.samples();
            // As numpy.linspace(0, n - 1, samples).astype(int): q * step rounded down, the last exactly n - 1.
            double step = (double) (n - 1) / (samples - 1);
            int[] cuts = new int[samples];
            for (int q = 0; q < samples; q++) {
                int rank = q == samples - 1 ? n - 1 : (int) (q * step);
                cuts[q] = groupEnd[rank];
            }
            return cuts;
        }

        RangeAuc slice(int bufferLength) {
            if (positives == 0) {
                return new RangeAuc(bufferLength, Double.NaN, Double.NaN);
            }
            int half = bufferLength / 2;
            fillSoftLabels(half, bufferLength);
            int segments = fillSegments(half);
            Arrays.fill(detected, false);
            int flagged = 0;
            int flaggedAnomalies = 0;
            double flaggedBuffer = 0;
            int detectedSegments = 0;
            double tprBefore = 0;
            double fprBefore = 0;
            double roc = 0;
            double pr = 0;
            for (int cut : cuts) {
                for (; flagged < cut; flagged++) {
                    int i = order[flagged];
                    if (anomaly[i]) {
                        flaggedAnomalies++;
                    } else {
                        flaggedBuffer += softLabel[i];
                    }
                    int s = segmentOf[i];
                    if (s >= 0 && !detected[s]) {
                        detected[s] = true;
                        detectedSegments++;
                    }
                }
                double truePositives = flaggedAnomalies + flaggedBuffer;
                double softPositives = positives + flaggedBuffer / 2;
                double tpr = Math.min(truePositives / softPositives, 1) * ((double) detectedSegments / segments);
                double fpr = (flagged - truePositives) / (n - softPositives);
                double precision = truePositives / flagged;
                roc += (fpr - fprBefore) * (tpr + tprBefore) / 2;
                pr += (tpr - tprBefore) * precision;
                tprBefore = tpr;
                fprBefore = fpr;
            }
            roc += (1 - fprBefore) * (1 + tprBefore) / 2;
            return new RangeAuc(bufferLength, pr, positives == n ? Double.NaN : roc);
        }

        /**
         * The soft label of every normal point. Point i in the gap before range g hears the right ramps of ranges
         * g-1, g-2, ... and the left ramps of ranges g, g+1, ...; the nearest two on each side decide whether one
         * ramp reaches it (its value) or two (capped at 1, since each is at least sqrt(1/2)).
         */
        private void fillSoftLabels(int half, int bufferLength) {
            int count = ranges.size();
            for (int g = 0; g <= count; g++) {
                int from = g == 0 ? 0 : ranges.get(g - 1).last() + 1;
                int to = g == count ? n - 1 : ranges.get(g).first() - 1;
                for (int i = from; i <= to; i++) {
                    int reaching = 0;
                    int distance = 0;
                    if (g >= 1 && i - ranges.get(g - 1).last() <= half) {
                        reaching++;
                        distance = i - ranges.get(g - 1).last();
                        if (g >= 2 && i - ranges.get(g - 2).last() <= half) {
                            reaching++;
                        }
                    }
                    if (g < count && ranges.get(g).first() - i <= half) {
                        reaching++;
                        distance = ranges.get(g).first() - i;
                        if (g + 1 < count && ranges.get(g + 1).first() - i <= half) {
                            reaching++;
                        }
                    }
                    softLabel[i] = reaching == 0 ? 0 : reaching == 1 ? Math.sqrt(1 - (double) distance / bufferLength) : 1;
                }
            }
        }

        /** Numbers the merged buffered ranges, marks their points, and returns how many there are. */
        private int fillSegments(int half) {
            Arrays.fill(segmentOf, -1);
            int segments = 0;
            int k = 0;
            while (k < ranges.size()) {
                int j = k;
                while (j + 1 < ranges.size() && ranges.get(j).last() + half >= ranges.get(j + 1).first() - half) {
                    j++;
                }
                int from = Math.max(ranges.get(k).first() - half, 0);
                int to = Math.min(ranges.get(j).last() + half, n - 1);
                Arrays.fill(segmentOf, from, to + 1, segments);
                segments++;
                k = j + 1;
            }
            return segments;
        }
    }
}
