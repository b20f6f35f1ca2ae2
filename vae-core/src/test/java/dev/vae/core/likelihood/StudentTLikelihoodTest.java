package dev.vae.core.likelihood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StudentTLikelihoodTest {

    @Test
    void givenKnownArguments_whenLogGamma_thenTheTabulatedValues() {
        assertThat(StudentTLikelihood.logGamma(0.5)).isCloseTo(0.5 * Math.log(Math.PI), within(1e-14));
        assertThat(StudentTLikelihood.logGamma(1.0)).isCloseTo(0.0, within(1e-14));
        assertThat(StudentTLikelihood.logGamma(2.5)).isCloseTo(Math.log(0.75 * Math.sqrt(Math.PI)), within(1e-14));
        assertThat(StudentTLikelihood.logGamma(10.0)).isCloseTo(Math.log(362880.0), within(1e-12));
        assertThat(StudentTLikelihood.logGamma(0.1)).isCloseTo(2.252712651734206, within(1e-13));
    }

    @Test
    void givenOneDegreeOfFreedom_whenScored_thenTheCauchyDensity() {
        // Cauchy with scale^2 = exp(s): -log p = log(pi) + s / 2 + log(1 + r^2 / exp(s)).
        StudentTLikelihood cauchy = StudentTLikelihood.of(false, 1);
        float[] x = {2.5f, -1f};
        float[] raw = {0.5f, 0f, 0.3f, -1.2f};
        double[] parts = new double[2];
        cauchy.featureNegativeLogLikelihood(x, 0, raw, 0, 2, parts, 0);
        for (int j = 0; j < 2; j++) {
            double s = StudentTLikelihood.logScale2(raw[2 + j]);
            double r = x[j] - raw[j];
            assertThat(parts[j]).isCloseTo(Math.log(Math.PI) + 0.5 * s + Math.log1p(r * r / Math.exp(s)), within(1e-12));
        }
        assertThat(cauchy.negativeLogLikelihood(x, 0, raw, 0, 2)).isCloseTo(parts[0] + parts[1], within(1e-12));
    }

    @Test
    void givenManyDegreesOfFreedom_whenScored_thenNearlyTheGaussianOfTheSameScale() {
        StudentTLikelihood t = StudentTLikelihood.of(true, 1000);
        float[] x = {1.7f};
        float[] raw = {0.2f, 0.4f};
        double s = StudentTLikelihood.logScale2(raw[1]);
        double r = x[0] - raw[0];
        double gaussian = 0.5 * (Math.log(2 * Math.PI) + s + r * r * Math.exp(-s));
        assertThat(t.negativeLogLikelihood(x, 0, raw, 0, 1)).isCloseTo(gaussian, within(5e-3));
    }

    @Test
    void givenAGrossResidualInOneColumn_whenScored_thenItCostsLogarithmicallyNotQuadratically() {
        StudentTLikelihood t = StudentTLikelihood.DEFAULT;
        float[] raw = {0f, 0f};
        double at10 = t.negativeLogLikelihood(new float[] {10f}, 0, raw, 0, 1);
        double at1000 = t.negativeLogLikelihood(new float[] {1000f}, 0, raw, 0, 1);
        // 100 times the residual: a Gaussian term would grow 10,000-fold; this one by (nu + 1)/2 log(10^4) = 23 nats.
        assertThat(at1000 - at10).isCloseTo(2.5 * Math.log((1 + 1e6 / 4) / (1 + 1e2 / 4)), within(1e-9)).isLessThan(25);
    }

    @Test
    void givenIds_whenParsed_thenTheyRoundTripAndBadOnesAreNamed() {
        assertThat(Likelihoods.parse("student-t")).isSameAs(StudentTLikelihood.DEFAULT);
        assertThat(Likelihoods.parse("student-t:nu=7").id()).isEqualTo("student-t:nu=7");
        assertThat(Likelihoods.parse("student-t:nu=4")).isSameAs(StudentTLikelihood.DEFAULT);
        assertThat(Likelihoods.parse("student-t-shared")).isSameAs(StudentTLikelihood.SHARED);
        assertThat(Likelihoods.parse("student-t-shared:nu=9").id()).isEqualTo("student-t-shared:nu=9");
        assertThat(Likelihoods.parse("student-t-shared").isOwnParameter(3, 4)).isTrue();
        assertThat(Likelihoods.parse("student-t-shared").isOwnParameter(3, 2)).isFalse();
        assertThat(Likelihoods.parse("student-t-shared").ownParameterCount(3)).isEqualTo(3);
        assertThat(Likelihoods.parse("student-t").isOwnParameter(3, 4)).isFalse();
        assertThat(Likelihoods.parse("student-t").ownParameterCount(3)).isZero();
        assertThat(Likelihoods.parse("student-t").scoreConstants()).containsEntry("nu", "4");
        assertThatThrownBy(() -> Likelihoods.parse("student-t:nu=0")).hasMessageContaining("student-t:nu=0")
                .hasMessageContaining("1..1000");
        assertThatThrownBy(() -> Likelihoods.parse("student-t:nu=x")).hasMessageContaining("'x' is not an integer");
    }
}
