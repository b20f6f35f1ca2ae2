package dev.vae.core.likelihood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The learned-variance Gaussian's link as a property of the instance: identifiers, parsing and densities. */
class LogVarianceLinkTest {

    @ParameterizedTest
    @CsvSource({
            "gaussian, gaussian, false, 3",
            "gaussian-shared, gaussian-shared, true, 3",
            "gaussian:logvar-bound=3, gaussian, false, 3",
            "gaussian:logvar-bound=7, gaussian:logvar-bound=7, false, 7",
            "GAUSSIAN:LOGVAR-BOUND=7.0, gaussian:logvar-bound=7, false, 7",
            "gaussian-shared:logvar-bound=0.5, gaussian-shared:logvar-bound=0.5, true, 0.5",
            "gaussian:logvar-bound=0.1, gaussian:logvar-bound=0.1, false, 0.10000000149011612",
            "gaussian:logvar-bound=1e20, gaussian:logvar-bound=1.0E20, false, 1.00000002004087734E20",
            "gaussian:logvar-unbounded, gaussian:logvar-unbounded, false, Infinity",
            "gaussian-shared:logvar-unbounded, gaussian-shared:logvar-unbounded, true, Infinity"})
    void givenAnId_whenParsed_thenItNamesItsLinkAndRoundTrips(String text, String id, boolean shared, double bound) {
        LearnedVarianceGaussian lik = (LearnedVarianceGaussian) Likelihoods.parse(text);
        assertThat(lik.id()).isEqualTo(id);
        assertThat(lik.sharedVariance()).isEqualTo(shared);
        assertThat(lik.bound()).isEqualTo(bound);
        assertThat(lik.isBounded()).isEqualTo(bound != Double.POSITIVE_INFINITY);
        assertThat(Likelihoods.parse(lik.id())).isEqualTo(lik);
        assertThat(Likelihoods.parse(lik.id()).hashCode()).isEqualTo(lik.hashCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"gaussian:", "gaussian:logvar-bound=", "gaussian:logvar-bound=abc", "gaussian:logvar-bound=0",
            "gaussian:logvar-bound=-2", "gaussian:logvar-bound=nan", "gaussian:logvar-bound=infinity",
            "gaussian:logvar-bound=1e300", "gaussian:bound=7", "gaussian:unbounded", "gaussian-shared:7",
            "gaussian:logvar-unbounded=1"})
    void givenAMalformedLinkOption_whenParsed_thenItIsRefusedNamingTheText(String text) {
        // Never a fallback to the default bound: every option that is not exactly understood is an error.
        assertThatThrownBy(() -> Likelihoods.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text);
    }

    @Test
    void givenDifferentLinks_whenCompared_thenTheyAreDifferentLikelihoods() {
        assertThat(LearnedVarianceGaussian.bounded(false, 3)).isSameAs(LearnedVarianceGaussian.INSTANCE);
        assertThat(LearnedVarianceGaussian.bounded(true, 3)).isSameAs(LearnedVarianceGaussian.SHARED);
        assertThat(LearnedVarianceGaussian.bounded(false, 7)).isNotEqualTo(LearnedVarianceGaussian.INSTANCE);
        assertThat(LearnedVarianceGaussian.unbounded(false)).isNotEqualTo(LearnedVarianceGaussian.unbounded(true))
                .isNotEqualTo(LearnedVarianceGaussian.INSTANCE);
        assertThat(LearnedVarianceGaussian.INSTANCE.withoutBound()).isEqualTo(LearnedVarianceGaussian.unbounded(false));
    }

    @Test
    void givenLogVariancesBeyondThree_whenTheLinksAreApplied_thenOnlyTheUnboundedOneKeepsThem() {
        LearnedVarianceGaussian three = LearnedVarianceGaussian.INSTANCE;
        LearnedVarianceGaussian seven = LearnedVarianceGaussian.bounded(false, 7);
        LearnedVarianceGaussian none = LearnedVarianceGaussian.unbounded(false);
        assertThat(none.logVariance(5.0)).isEqualTo(5.0);
        assertThat(none.logVariance(-40.0)).isEqualTo(-40.0);
        assertThat(none.rawLogVariance(5.0)).isEqualTo(5.0);
        assertThat(seven.logVariance(1e6)).isCloseTo(7.0, within(1e-12));
        assertThat(seven.logVariance(seven.rawLogVariance(5.0))).isCloseTo(5.0, within(1e-9));
        assertThat(three.logVariance(three.rawLogVariance(5.0))).isLessThan(3.0);
    }

    @Test
    void givenAnUnboundedGaussian_whenEvaluated_thenItIsTheTextbookDensityForAnyLogVariance() {
        LearnedVarianceGaussian lik = LearnedVarianceGaussian.unbounded(false);
        float[] x = {0.5f, -1f, 2f};
        float[] raw = {0f, 0f, 2f, 5f, -6f, -800f};
        double[] parts = new double[3];
        lik.featureNegativeLogLikelihood(x, 0, raw, 0, 3, parts, 0);
        double log2pi = Math.log(2 * Math.PI);
        assertThat(parts[0]).isCloseTo(0.5 * (log2pi + 5 + 0.25 * Math.exp(-5)), within(1e-12));
        assertThat(parts[1]).isCloseTo(0.5 * (log2pi - 6 + Math.exp(6)), within(1e-9));
        // x = m exactly: the residual term is zero even though exp(800) overflows.
        assertThat(parts[2]).isCloseTo(0.5 * (log2pi - 800), within(1e-9));
        assertThat(lik.negativeLogLikelihood(x, 0, raw, 0, 3)).isCloseTo(parts[0] + parts[1] + parts[2], within(1e-9));
        // The default link would have squashed s = 5 to below 3, a different density.
        assertThat(LearnedVarianceGaussian.INSTANCE.negativeLogLikelihood(x, 0, raw, 0, 1))
                .isNotCloseTo(parts[0], within(1e-3));
    }

    @Test
    void givenSharedUnboundedLogVariances_whenBound_thenTheyKeepTheIdentityLink() {
        LearnedVarianceGaussian lik = LearnedVarianceGaussian.unbounded(true);
        float[] shared = {5f, -5f};
        Likelihood bound = lik.withOwnParameters(2, shared);
        assertThat(bound.id()).isEqualTo("gaussian-shared:logvar-unbounded");
        float[] x = {1f, 1f};
        float[] raw = {0f, 0.5f, 5f, -5f};
        assertThat(bound.negativeLogLikelihood(x, 0, raw, 0, 2))
                .isCloseTo(lik.negativeLogLikelihood(x, 0, raw, 0, 2), within(1e-9));
    }
}
