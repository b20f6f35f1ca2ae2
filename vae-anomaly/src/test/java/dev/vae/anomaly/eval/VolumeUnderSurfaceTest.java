package dev.vae.anomaly.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vae.anomaly.eval.VolumeUnderSurface.RangeAuc;
import dev.vae.anomaly.eval.VolumeUnderSurface.Result;
import dev.vae.anomaly.eval.VolumeUnderSurface.Thresholds;
import dev.vae.core.series.Periodicity;
import dev.vae.core.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class VolumeUnderSurfaceTest {

    private static final double R = Math.sqrt(0.5);

    /*
     * Case A: n = 10, one anomaly range [3, 4]. Descending scores: 2 (beside the range), 3 (anomaly), 9, 4 (anomaly),
     * 8, 7, 5 (beside), 1, 0, 6.
     */
    private static final double[] A_SCORES = {0.1, 0.2, 0.9, 0.8, 0.6, 0.3, 0.0, 0.4, 0.5, 0.7};
    private static final int[] A_LABELS = {0, 0, 0, 1, 1, 0, 0, 0, 0, 0};

    /*
     * Case B: n = 12, ranges [2, 2] and [4, 5]; point 3 lies between them. Descending: 3, 4 (anomaly), 10,
     * 2 (anomaly), 6, 8, 5 (anomaly), 1, 7, 9, 0, 11.
     */
    private static final double[] B_SCORES = {0.05, 0.3, 0.7, 0.95, 0.9, 0.5, 0.6, 0.2, 0.55, 0.1, 0.8, 0.0};
    private static final int[] B_LABELS = {0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0};

    @Test
    void givenOneRange_whenNoBuffer_thenThePointWiseAreas() {
        // l = 0 and l = 1 have no buffer (h = 0); P = 2, n - P = 8, one range, so existence is 0 until it is hit.
        // Flagged 1 {2}: (FPR, TPR) = (1/8, 0), precision 0. 2 {3}: (1/8, 1/2), 1/2. 3 {9}: (2/8, 1/2), 1/3.
        // 4 {4}: (2/8, 1), 2/4; then TPR stays 1 up to FPR 1.
        // ROC = 1/8 * 1/2 + 6/8 = 13/16 (also Mann-Whitney: anomalies beat 7 and 6 of the 8 normal points).
        // PR = 1/2 * 1/2 + 1/2 * 2/4 = 1/2.
        for (int l = 0; l <= 1; l++) {
            RangeAuc area = VolumeUnderSurface.rangeAuc(A_SCORES, A_LABELS, l);
            assertThat(area.roc()).isCloseTo(13.0 / 16, within(1e-15));
            assertThat(area.pr()).isCloseTo(0.5, within(1e-15));
        }
        assertThat(VolumeUnderSurface.rangeAuc(A_SCORES, A_LABELS, 0).roc())
                .isCloseTo(RankingMetrics.auroc(A_SCORES, A_LABELS), within(1e-15));
    }

    @Test
    void givenOneRange_whenBufferTwo_thenTheSoftLabelsCountAsHandComputed() {
        // l = 2: h = 1, points 2 and 5 get sqrt(1 - 1/2) = r; the buffered range [2, 5] is one segment.
        // Flagged {2}: TP = r, P_l = 2 + r/2, TPR1 = r / (2 + r/2), FPR1 = (1 - r) / (8 - r/2), precision r.
        // {3}: TPR2 = (1 + r) / (2 + r/2), FPR unchanged, precision (1 + r)/2.
        // {9}: FPR3 = (2 - r) / (8 - r/2), precision (1 + r)/3.
        // {4}: TP = 2 + r > P_l, so TPR = 1 (capped); FPR stays FPR3; precision (2 + r)/4. TPR stays 1 after.
        double t1 = R / (2 + R / 2);
        double f1 = (1 - R) / (8 - R / 2);
        double t2 = (1 + R) / (2 + R / 2);
        double f3 = (2 - R) / (8 - R / 2);
        double roc = f1 * t1 / 2 + (f3 - f1) * t2 + (1 - f3);
        double pr = t1 * R + (t2 - t1) * (1 + R) / 2 + (1 - t2) * (2 + R) / 4;
        RangeAuc area = VolumeUnderSurface.rangeAuc(A_SCORES, A_LABELS, 2);
        assertThat(area.roc()).isCloseTo(roc, within(1e-15)); // 0.93153
        assertThat(area.pr()).isCloseTo(pr, within(1e-15)); // 0.76100
        Result vus = VolumeUnderSurface.of(A_SCORES, A_LABELS, 2);
        assertThat(vus.vusRoc()).isCloseTo((2 * 13.0 / 16 + roc) / 3, within(1e-15));
        assertThat(vus.vusPr()).isCloseTo((2 * 0.5 + pr) / 3, within(1e-15));
        assertThat(vus.rangeAucRoc()).isEqualTo(area.roc());
        assertThat(vus.rangeAucPr()).isEqualTo(area.pr());
        assertThat(vus.window()).isEqualTo(2);
    }

    @Test
    void givenTwoRanges_whenBuffered_thenExistenceAndMergedRangesAsHandComputed() {
        // l = 0 (and 1): P = 3, n - P = 9, two ranges for the existence reward.
        // {3}: TPR 0, FPR 1/9. {4}: recall 1/3, one range of two hit: TPR 1/6, precision 1/2. {10}: FPR 2/9.
        // {2}: TPR 2/3 * 2/2, precision 2/4. {6}: FPR 3/9. {8}: FPR 4/9. {5}: TPR 1, precision 3/7.
        // ROC = 1/9 * 1/6 + 2/9 * 2/3 + 5/9 = 13/18 (point-wise AUROC is 20/27: the existence reward halves TPR
        // while one range is unseen). PR = 1/6 * 1/2 + 1/2 * 2/4 + 1/3 * 3/7 = 10/21.
        RangeAuc none = VolumeUnderSurface.rangeAuc(B_SCORES, B_LABELS, 0);
        assertThat(none.roc()).isCloseTo(13.0 / 18, within(1e-15));
        assertThat(none.pr()).isCloseTo(10.0 / 21, within(1e-15));
        assertThat(RankingMetrics.auroc(B_SCORES, B_LABELS)).isCloseTo(20.0 / 27, within(1e-15));

        // l = 2: h = 1. Point 3 is reached by both ranges' ramps: r + r capped at 1. Points 1 and 6 get r.
        // The buffered ranges [1, 3] and [3, 6] meet, so they are one segment: existence is 1 once point 3 flags.
        // {3}: TP = 1, P_l = 3.5, TPR 2/7, FPR 0, precision 1. {4}: TP 2, TPR 4/7, precision 1.
        // {10}: FPR 1 / 8.5 = 2/17, precision 2/3. {2}: TPR 6/7, precision 3/4.
        // {6}: B = 1 + r, TP = 3 + r, P_l = 3.5 + r/2: TPR5 = (3 + r) / (3.5 + r/2), FPR5 = (2 - r) / (8.5 - r/2),
        //      precision (3 + r)/5.
        // {8}: FPR6 = (3 - r) / (8.5 - r/2). {5}: TP = 4 + r > P_l, TPR 1, precision (4 + r)/7; TPR stays 1.
        double t5 = (3 + R) / (3.5 + R / 2);
        double f5 = (2 - R) / (8.5 - R / 2);
        double f6 = (3 - R) / (8.5 - R / 2);
        double roc = 2.0 / 17 * 4 / 7 + (f5 - 2.0 / 17) * (6.0 / 7 + t5) / 2 + (f6 - f5) * t5 + (1 - f6);
        double pr = 4.0 / 7 + 2.0 / 7 * 3 / 4 + (t5 - 6.0 / 7) * (3 + R) / 5 + (1 - t5) * (4 + R) / 7;
        RangeAuc buffered = VolumeUnderSurface.rangeAuc(B_SCORES, B_LABELS, 2);
        assertThat(buffered.roc()).isCloseTo(roc, within(1e-15)); // 0.94120
        assertThat(buffered.pr()).isCloseTo(pr, within(1e-15)); // 0.88901
        Result vus = VolumeUnderSurface.of(B_SCORES, B_LABELS, 2);
        assertThat(vus.vusRoc()).isCloseTo((2 * 13.0 / 18 + roc) / 3, within(1e-15));
        assertThat(vus.vusPr()).isCloseTo((2 * 10.0 / 21 + pr) / 3, within(1e-15));
    }

    @Test
    void givenTwoRangesOnOneSide_whenBothRampsReachAPoint_thenItWeighsOne() {
        // Ranges [2, 2] and [4, 4], n = 10, l = 6: h = 3. Point 5 is 1 from [4, 4] and 3 from [2, 2]: both right
        // ramps reach it, sqrt(5/6) + sqrt(1/2) capped at 1. One buffered segment [0, 7].
        // Descending: 5, 9 (normal, no buffer), 2 (anomaly), 4 (anomaly), then the rest tied.
        // {5}: TP = 1, P_l = 2.5, TPR 0.4, FPR 0, precision 1. {9}: FPR 1 / 7.5 = 2/15, precision 1/2.
        // {2}: TPR 0.8, precision 2/3. {4}: TP 3 > P_l, TPR 1, precision 3/4. The rest: TPR 1 up to (1, 1).
        // ROC = 2/15 * 0.4 + (1 - 2/15) = 0.92; PR = 0.4 + 0.4 * 2/3 + 0.2 * 3/4 = 49/60.
        // (Were only the nearer ramp counted, point 5 would weigh sqrt(5/6) and PR would drop.)
        double[] scores = {0, 0, 0.7, 0, 0.6, 0.9, 0, 0, 0, 0.8};
        int[] labels = {0, 0, 1, 0, 1, 0, 0, 0, 0, 0};
        RangeAuc area = VolumeUnderSurface.rangeAuc(scores, labels, 6);
        assertThat(area.roc()).isCloseTo(0.92, within(1e-15));
        assertThat(area.pr()).isCloseTo(49.0 / 60, within(1e-15));
    }

    @Test
    void givenSampledThresholds_whenTraced_thenOnlyTheScoresAtTheSampledRanks() {
        // 3 samples of 10 points: ranks floor(q * 9/2) = 0, 4, 9, so 1, 5 and 10 points flagged.
        // l = 0 on case A: (FPR, TPR) = (1/8, 0), then (3/8, 1) with precision 2/5, then (1, 1).
        // ROC = 2/8 * 1/2 + 5/8 = 3/4 (exact 13/16); PR = 1 * 2/5 (exact 1/2).
        RangeAuc sampled = VolumeUnderSurface.rangeAuc(A_SCORES, A_LABELS, 0, new Thresholds(3));
        assertThat(sampled.roc()).isCloseTo(0.75, within(1e-15));
        assertThat(sampled.pr()).isCloseTo(0.4, within(1e-15));
    }

    @Test
    void givenAtLeastAsManySamplesAsPoints_whenTraced_thenTheExactValues() {
        double[] scores = roundedRandomScores(300, 11);
        int[] labels = ranges(300, new int[][] {{40, 59}, {62, 70}, {200, 240}});
        Result exact = VolumeUnderSurface.of(scores, labels, 12);
        // Every rank is sampled: repeated thresholds add nothing, so the values are the same to the bit.
        assertThat(VolumeUnderSurface.of(scores, labels, 12, new Thresholds(300))).isEqualTo(exact);
        assertThat(VolumeUnderSurface.of(scores, labels, 12, new Thresholds(1000))).isEqualTo(exact);
    }

    @Test
    void givenMonotoneTransformOfTheScore_whenEvaluated_thenTheSameValues() {
        double[] scores = roundedRandomScores(500, 3);
        int[] labels = ranges(500, new int[][] {{0, 9}, {100, 130}, {133, 140}, {480, 499}});
        double[] transformed = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            transformed[i] = Math.exp(4 * scores[i]) - 7;
        }
        for (Thresholds t : List.of(Thresholds.EVERY_SCORE, Thresholds.TSB_AD)) {
            assertThat(VolumeUnderSurface.of(transformed, labels, 25, t))
                    .isEqualTo(VolumeUnderSurface.of(scores, labels, 25, t));
        }
    }

    @Test
    void givenPerfectScore_whenEvaluated_thenOneAndAReversedScoreFarBelow() {
        Random random = new Random(5);
        int[] labels = ranges(400, new int[][] {{30, 60}, {65, 66}, {300, 350}});
        double[] perfect = new double[labels.length];
        double[] reversed = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            perfect[i] = labels[i] + 0.5 * random.nextDouble();
            reversed[i] = -perfect[i];
        }
        Result best = VolumeUnderSurface.of(perfect, labels, 30);
        assertThat(best.vusRoc()).isCloseTo(1.0, within(1e-12));
        assertThat(best.vusPr()).isCloseTo(1.0, within(1e-12));
        Result worst = VolumeUnderSurface.of(reversed, labels, 30);
        assertThat(worst.vusRoc()).isLessThan(0.2);
        assertThat(worst.vusPr()).isLessThan(0.3);
    }

    @Test
    void givenOneClassOnly_whenEvaluated_thenNaNWhereUndefined() {
        double[] scores = {0.3, 0.1, 0.2};
        Result noAnomaly = VolumeUnderSurface.of(scores, new int[3], 2);
        assertThat(noAnomaly.vusPr()).isNaN();
        assertThat(noAnomaly.vusRoc()).isNaN();
        Result allAnomalous = VolumeUnderSurface.of(scores, new int[] {1, 1, 1}, 2);
        assertThat(allAnomalous.vusRoc()).isNaN();
        assertThat(allAnomalous.vusPr()).isEqualTo(1.0);
    }

    @Test
    void givenBadInput_whenEvaluated_thenIllegalArgumentNamingIt() {
        assertThatThrownBy(() -> VolumeUnderSurface.of(new double[3], new int[2], 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 vs 2");
        assertThatThrownBy(() -> VolumeUnderSurface.of(new double[] {0, Double.NaN}, new int[] {0, 1}, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Score 1 is NaN");
        assertThatThrownBy(() -> VolumeUnderSurface.of(new double[2], new int[2], -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window: -1");
        assertThatThrownBy(() -> VolumeUnderSurface.of(new double[0], new int[0], 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("No scores");
        assertThatThrownBy(() -> new Thresholds(1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("thresholds: 1");
    }

    /**
     * The three NAB series of {@code nab-reference} against TSB-AD's values (6 decimals). The 250-threshold
     * sampling reproduces them to rounding (1e-6). The exact curves differ by the reference's sampling alone:
     * measured 0.0008 to 0.0017 for VUS-PR and at most 0.00024 for VUS-ROC, hence 2e-3 and 5e-4.
     */
    @Test
    void givenTheReferenceSeries_whenEvaluated_thenTsbAdValues() throws IOException {
        List<String[]> rows = referenceRows();
        assertThat(rows).hasSize(3);
        for (String[] row : rows) {
            NabSeries series = NabSeries.read(row[0]);
            int window = Integer.parseInt(row[1]);
            double[] scores = series.referenceScores();
            int[] labels = series.labels();
            String name = series.name();
            assertThat(Periodicity.period(series.values())).as(name + " period").isEqualTo(window);
            assertThat(RankingMetrics.averagePrecision(scores, labels)).as(name + " AUC-PR")
                    .isCloseTo(Double.parseDouble(row[2]), within(1e-6));
            assertThat(RankingMetrics.auroc(scores, labels)).as(name + " AUC-ROC")
                    .isCloseTo(Double.parseDouble(row[3]), within(1e-6));
            double vusPr = Double.parseDouble(row[4]);
            double vusRoc = Double.parseDouble(row[5]);
            Result sampled = VolumeUnderSurface.of(scores, labels, window, Thresholds.TSB_AD);
            assertThat(sampled.vusPr()).as(name + " sampled VUS-PR").isCloseTo(vusPr, within(1e-6));
            assertThat(sampled.vusRoc()).as(name + " sampled VUS-ROC").isCloseTo(vusRoc, within(1e-6));
            Result exact = VolumeUnderSurface.of(scores, labels, window);
            assertThat(exact.vusPr()).as(name + " exact VUS-PR").isCloseTo(vusPr, within(2e-3));
            assertThat(exact.vusRoc()).as(name + " exact VUS-ROC").isCloseTo(vusRoc, within(5e-4));
        }
    }

    /** Rows "| series | window | AUC-PR | AUC-ROC | VUS-PR | VUS-ROC |" of the reference README. */
    private static List<String[]> referenceRows() throws IOException {
        Pattern row = Pattern.compile("^\\| (\\w[\\w.-]*__[\\w.-]+) \\| (\\d+) \\| ([\\d.]+) \\| ([\\d.]+) \\| ([\\d.]+) \\| ([\\d.]+) \\|");
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(SharedData.require("data/nab-reference/README.md"))) {
            Matcher m = row.matcher(line);
            if (m.find()) {
                rows.add(new String[] {m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6)});
            }
        }
        return rows;
    }

    /** Uniform scores rounded to two decimals, so that many tie. */
    private static double[] roundedRandomScores(int n, long seed) {
        Random random = new Random(seed);
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            scores[i] = Math.round(random.nextDouble() * 100) / 100.0;
        }
        return scores;
    }

    private static int[] ranges(int n, int[][] ranges) {
        int[] labels = new int[n];
        for (int[] r : ranges) {
            for (int i = r[0]; i <= r[1]; i++) {
                labels[i] = 1;
            }
        }
        return labels;
    }
}
