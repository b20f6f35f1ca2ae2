package dev.vae.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The estimator's threshold quantile interpolates between order statistics (type 7, as NumPy's default). */
class QuantilesTest {

    @Test
    void givenUnsortedScores_whenQuantileTaken_thenNumpyDefaultValues() {
        double[] s = {5, 1, 4, 2, 3};

        assertThat(Quantiles.quantile(s, 0.0)).isEqualTo(1.0);
        assertThat(Quantiles.quantile(s, 0.5)).isEqualTo(3.0);
        assertThat(Quantiles.quantile(s, 0.9)).isCloseTo(4.6, within(1e-12)); // numpy.quantile([1..5], 0.9)
        assertThat(Quantiles.quantile(s, 1.0)).isEqualTo(5.0);
        assertThat(s).containsExactly(5, 1, 4, 2, 3); // the input is not reordered
    }

    @Test
    void givenBadQuantileOrNoValues_whenQuantileTaken_thenErrorNamesIt() {
        assertThatThrownBy(() -> Quantiles.quantile(new double[] {1}, 1.5)).hasMessageContaining("1.5");
        assertThatThrownBy(() -> Quantiles.quantile(new double[0], 0.5)).hasMessageContaining("no values");
    }
}
