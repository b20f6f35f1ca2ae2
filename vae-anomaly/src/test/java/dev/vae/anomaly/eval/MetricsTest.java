package dev.vae.anomaly.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vae.core.ScoreSettings;
import dev.vae.core.Threshold;
import org.junit.jupiter.api.Test;

class MetricsTest {

    private static final double[] S = {0.1, 0.4, 0.35, 0.8};
    private static final int[] L = {0, 0, 1, 1};

    @Test
    void givenHandCase_whenRanked_thenAurocAndAverageAsComputedByHand() {
        // Pairs (anomaly, normal): (0.35, 0.1) yes, (0.35, 0.4) no, (0.8, 0.1) yes, (0.8, 0.4) yes: 3/4.
        assertThat(RankingMetrics.auroc(S, L)).isCloseTo(0.75, within(1e-12));
        // Descending: 0.8 (+) P=1 R=.5; 0.4 (-); 0.35 (+) P=2/3 R=1: AP = .5 * 1 + .5 * 2/3.
        assertThat(RankingMetrics.averagePrecision(S, L)).isCloseTo(0.5 + 1.0 / 3, within(1e-12));
    }

    @Test
    void givenTiedScores_whenRanked_thenTiesCountHalfAndEnterTogether() {
        double[] s = {0.5, 0.5, 0.5, 0.5};
        int[] l = {0, 1, 0, 1};
        assertThat(RankingMetrics.auroc(s, l)).isEqualTo(0.5);
        assertThat(RankingMetrics.averagePrecision(s, l)).isEqualTo(0.5);
        double[] perfect = {0.9, 0.1, 0.8, 0.2};
        int[] pl = {1, 0, 1, 0};
        assertThat(RankingMetrics.auroc(perfect, pl)).isEqualTo(1.0);
        assertThat(RankingMetrics.averagePrecision(perfect, pl)).isEqualTo(1.0);
        assertThat(RankingMetrics.auroc(s, new int[4])).isNaN();
    }

    @Test
    void givenSomeTiesAcrossClasses_whenRanked_thenScikitLearnValues() {
        double[] s = {0.1, 0.4, 0.4, 0.8, 0.8, 0.2};
        int[] l = {0, 1, 0, 1, 0, 1};
        // roc_auc_score: pairs (anomaly, normal) won 1, tied 1/2: 0.4 beats 0.1, ties 0.4, loses to 0.8; 0.8 beats
        // 0.1 and 0.4, ties 0.8; 0.2 beats 0.1 only: (1 + .5 + 1 + 1 + .5 + 1) / 9 = 5/9.
        assertThat(RankingMetrics.auroc(s, l)).isCloseTo(5.0 / 9, within(1e-12));
        // average_precision_score: thresholds 0.8, 0.4, 0.2, 0.1 give (R, P) = (1/3, 1/2), (2/3, 2/4), (1, 3/5),
        // (1, 3/6): AP = 1/3 (1/2 + 1/2 + 3/5) = 0.5333 (ties enter together, no interpolation).
        assertThat(RankingMetrics.averagePrecision(s, l)).isCloseTo(1.6 / 3, within(1e-12));
    }

    @Test
    void givenThreshold_whenCounted_thenConfusionAndDerivedMetrics() {
        ConfusionCounts c = ConfusionCounts.at(S, L, 0.3);
        assertThat(c).isEqualTo(new ConfusionCounts(2, 1, 1, 0));
        assertThat(c.precision()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(c.recall()).isEqualTo(1.0);
        assertThat(c.f1()).isCloseTo(0.8, within(1e-12));
        assertThat(c.falsePositiveRate()).isEqualTo(0.5);
        // Strictly above: a score equal to the threshold is normal.
        assertThat(ConfusionCounts.at(S, L, 0.8).truePositives()).isZero();
        assertThat(ConfusionCounts.at(S, L, 0.8).precision()).isNaN();
    }

    @Test
    void givenTermsAndLabels_whenEvaluated_thenMeansAndMetricsAtThreshold() {
        double[] recon = {1, 2, 3, 4};
        double[] kl = {0.5, 0.5, 1, 1};
        double[] score = {1.5, 2.5, 4, 5};
        Evaluation e = Evaluation.of(score, recon, kl, new int[] {0, 0, 1, 1}, new Threshold(3, "fixed:3", "t", ScoreSettings.defaults()));
        assertThat(e.rows()).isEqualTo(4);
        assertThat(e.meanReconstructionNll()).isEqualTo(2.5);
        assertThat(e.meanKl()).isEqualTo(0.75);
        assertThat(e.meanNegativeElbo()).isEqualTo(3.25);
        assertThat(e.anomalies()).isEqualTo(2);
        assertThat(e.auroc()).isEqualTo(1.0);
        assertThat(e.counts()).isEqualTo(new ConfusionCounts(2, 0, 2, 0));
        Evaluation unlabelled = Evaluation.of(score, recon, kl, null, null);
        assertThat(unlabelled.anomalies()).isEqualTo(-1);
        assertThat(unlabelled.counts()).isNull();
    }
}
