package dev.vae.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.anomaly.eval.Evaluation;
import dev.vae.anomaly.score.CsvScoring;
import dev.vae.anomaly.score.ScoreBreakdown;
import dev.vae.core.ScoreSettings;
import dev.vae.core.Threshold;
import org.junit.jupiter.api.Test;

class KeptScoresTest {

    /** A chunk of rows [first, first + n): score = row, reconstruction = row / 2, KL = row / 2, label = row % 3. */
    private static void feed(KeptScores kept, int first, int n, boolean labels) {
        double[] s = new double[n];
        double[] half = new double[n];
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = first + i;
            half[i] = (first + i) / 2.0;
            l[i] = (first + i) % 3;
        }
        ScoreBreakdown parts = new ScoreBreakdown(n, 1, s, half, half.clone(), new double[n]);
        kept.accept(first, n, s, labels ? l : null, parts);
    }

    @Test
    void givenChunksPastTheFirstCapacity_whenKept_thenEveryRowsScoreLabelAndTermsAreKeptInOrder() {
        int chunk = CsvScoring.CHUNK;
        int rows = 2 * chunk + 5;
        KeptScores kept = new KeptScores(true);
        feed(kept, 0, chunk, true);
        feed(kept, chunk, chunk, true);
        feed(kept, 2 * chunk, 5, true);

        double[] expected = new double[rows];
        double[] half = new double[rows];
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            expected[i] = i;
            half[i] = i / 2.0;
            labels[i] = i % 3;
        }
        assertThat(kept.rows()).isEqualTo(rows);
        assertThat(kept.scores()).containsExactly(expected);
        assertThat(kept.labels()).containsExactly(labels);
        Threshold t = new Threshold(rows / 2.0, "fixed", "test", ScoreSettings.defaults());
        assertThat(kept.evaluation(t)).isEqualTo(Evaluation.of(expected, half, half, labels, t));
    }

    @Test
    void givenChunksWithoutLabelsOrTerms_whenKept_thenNoLabelsAndNoEvaluation() {
        KeptScores kept = new KeptScores(false);
        feed(kept, 0, 3, false);
        assertThat(kept.scores()).containsExactly(0, 1, 2);
        assertThat(kept.labels()).isNull();
        assertThatThrownBy(() -> kept.evaluation(null)).isInstanceOf(IllegalStateException.class);
        assertThat(new KeptScores(true).scores()).as("nothing kept yet").isEmpty();
    }
}
