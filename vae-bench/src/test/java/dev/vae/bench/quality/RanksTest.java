package dev.vae.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RanksTest {

    @Test
    void givenTies_whenRanked_thenHighestIsOneAndTiesShareTheirMeanRank() {
        // scipy.stats.rankdata([-0.7, -0.9, -0.8, -0.8, -0.6, -0.8]) = [5, 1, 3, 3, 6, 3].
        assertThat(Ranks.descending(new double[] {0.7, 0.9, 0.8, 0.8, 0.6, 0.8}))
                .containsExactly(5, 1, 3, 3, 6, 3);
        assertThat(Ranks.descending(new double[] {0.5, 0.5})).containsExactly(1.5, 1.5);
        assertThat(Ranks.descending(new double[] {0.1, 0.9, 0.9, 0.2})).containsExactly(4, 1.5, 1.5, 3);
        assertThat(Ranks.descending(new double[] {0.3})).containsExactly(1);
    }

    @Test
    void givenNaN_whenRanked_thenRefused() {
        assertThatThrownBy(() -> Ranks.descending(new double[] {0.1, Double.NaN}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("value 1");
    }
}
