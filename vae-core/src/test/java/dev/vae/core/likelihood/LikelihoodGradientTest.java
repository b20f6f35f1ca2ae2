package dev.vae.core.likelihood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vae.core.kernel.ElementKernels;
import dev.vae.core.kernel.KernelSelection;
import dev.vae.core.testing.GradientCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class LikelihoodGradientTest {

    private static final int D = 7;

    /**
     * Every likelihood on both element-kernel paths, chosen in this JVM: the build always starts the tests with the
     * Vector API module, so without the choice the scalar gradients would never be checked.
     */
    static Stream<Arguments> likelihoodsOnBothPaths() {
        List<Arguments> cases = new ArrayList<>();
        for (String id : List.of("bernoulli", "gaussian", "gaussian-shared", "gaussian-fixed", "gaussian-fixed:0.25")) {
            cases.add(Arguments.of(id, "scalar"));
            cases.add(Arguments.of(id, "vector"));
        }
        return cases.stream();
    }

    private static ElementKernels kernels(String path) {
        return path.equals("scalar") ? KernelSelection.scalar() : KernelSelection.vector();
    }

    @ParameterizedTest(name = "{0} on the {1} kernels")
    @MethodSource("likelihoodsOnBothPaths")
    void givenRandomRawParameters_whenGradientComputed_thenItMatchesFiniteDifferences(String id, String path) {
        KernelSelection.Counting counted = KernelSelection.counting(kernels(path));
        KernelSelection.run(counted, () -> checkGradient(id));
        // The learned-variance and Bernoulli likelihoods run on the element kernels: the chosen path did the work.
        assertThat(counted.likelihoodCalls() > 0).as("calls into %s", counted.name())
                .isEqualTo(!id.startsWith("gaussian-fixed"));
        assertThat(counted.target().name()).startsWith(path.equals("scalar") ? "scalar" : "simd-");
    }

    private static void checkGradient(String id) {
        Likelihood lik = Likelihoods.parse(id);
        SplittableRandom r = new SplittableRandom(3);
        float[] x = new float[D];
        for (int j = 0; j < D; j++) {
            x[j] = id.equals("bernoulli") ? (float) r.nextDouble() : (float) (2 * r.nextDouble() - 1);
        }
        float[] raw = new float[lik.rawWidth(D)];
        for (int j = 0; j < raw.length; j++) {
            raw[j] = (float) (3 * r.nextDouble() - 1.5);
        }
        float[] grad = new float[raw.length];
        double nll = lik.gradient(x, 0, raw, 0, D, 1f, grad, 0);
        assertThat(nll).isCloseTo(lik.negativeLogLikelihood(x, 0, raw, 0, D), within(1e-9));
        GradientCheck.check(raw, grad, () -> lik.negativeLogLikelihood(x, 0, raw, 0, D), 1e-3f, 1e-4, 1e-3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bernoulli", "gaussian", "gaussian-shared", "gaussian-fixed"})
    void givenARow_whenSplitByFeature_thenThePartsSumToTheRowValue(String id) {
        Likelihood lik = Likelihoods.parse(id);
        SplittableRandom r = new SplittableRandom(5);
        float[] x = new float[D];
        float[] raw = new float[lik.rawWidth(D)];
        for (int j = 0; j < D; j++) {
            x[j] = (float) r.nextDouble();
        }
        for (int j = 0; j < raw.length; j++) {
            raw[j] = (float) (2 * r.nextDouble() - 1);
        }
        double[] parts = new double[D];
        lik.featureNegativeLogLikelihood(x, 0, raw, 0, D, parts, 0);
        double sum = 0;
        for (double p : parts) {
            sum += p;
        }
        assertThat(sum).isCloseTo(lik.negativeLogLikelihood(x, 0, raw, 0, D), within(1e-9));
    }

    @Test
    void givenSharedLogVariances_whenBound_thenDensitiesPartsAndMeansAreThePerRowFormulas() {
        SplittableRandom r = new SplittableRandom(9);
        int d = 11;
        float[] shared = new float[d];
        for (int j = 0; j < d; j++) {
            shared[j] = (float) (8 * r.nextDouble() - 4);
        }
        Likelihood bound = LearnedVarianceGaussian.SHARED.withSharedOutputs(d, shared);
        assertThat(bound).isInstanceOf(SharedVarianceGaussian.class);
        assertThat(bound.id()).isEqualTo("gaussian-shared");
        assertThat(LearnedVarianceGaussian.INSTANCE.withSharedOutputs(d, shared)).isSameAs(LearnedVarianceGaussian.INSTANCE);
        for (int row = 0; row < 20; row++) {
            float[] x = new float[d];
            float[] raw = new float[2 * d];
            double expected = 0;
            for (int j = 0; j < d; j++) {
                x[j] = (float) (4 * r.nextDouble() - 2);
                raw[j] = (float) (4 * r.nextDouble() - 2);
                raw[d + j] = shared[j];
                // The documented formula, in double: s = B tanh(r / B).
                double s = 3.0 * Math.tanh(shared[j] / 3.0);
                double e = (double) x[j] - raw[j];
                expected += 0.5 * (Math.log(2 * Math.PI) + s + e * e * Math.exp(-s));
            }
            double nll = bound.negativeLogLikelihood(x, 0, raw, 0, d);
            assertThat(nll).isCloseTo(expected, within(1e-9 * Math.max(1, Math.abs(expected))));
            // The per-row path (vector kernels when present) agrees within float rounding.
            assertThat(LearnedVarianceGaussian.SHARED.negativeLogLikelihood(x, 0, raw, 0, d))
                    .isCloseTo(expected, within(1e-5 * Math.max(1, Math.abs(expected))));
            double[] parts = new double[d];
            bound.featureNegativeLogLikelihood(x, 0, raw, 0, d, parts, 0);
            assertThat(java.util.Arrays.stream(parts).sum()).isCloseTo(nll, within(1e-9 * Math.max(1, Math.abs(nll))));
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> bound.negativeLogLikelihood(new float[3], 0,
                new float[6], 0, 3)).hasMessageContaining("bound to 11 features");
    }

    @Test
    void givenSaturatedLogits_whenBernoulliNllComputed_thenItIsFiniteAndExact() {
        float[] x = {1f, 0f};
        float[] raw = {-200f, 200f};
        double nll = BernoulliLikelihood.INSTANCE.negativeLogLikelihood(x, 0, raw, 0, 2);
        assertThat(nll).isCloseTo(400.0, within(1e-9));
    }

    @Test
    void givenUnitGaussian_whenMeanEqualsX_thenNllIsHalfLog2PiPerFeature() {
        float[] x = {0.3f, -1f};
        double nll = FixedVarianceGaussian.unit().negativeLogLikelihood(x, 0, x.clone(), 0, 2);
        assertThat(nll).isCloseTo(Math.log(2 * Math.PI), within(1e-12));
    }

    @Test
    void givenExtremeRawLogVariance_whenLinked_thenItStaysInsideTheSafeRange() {
        assertThat(LearnedVarianceGaussian.logVariance(1e6)).isLessThanOrEqualTo(LearnedVarianceGaussian.LOG_VARIANCE_BOUND);
        assertThat(LearnedVarianceGaussian.logVariance(-1e6)).isGreaterThanOrEqualTo(-LearnedVarianceGaussian.LOG_VARIANCE_BOUND);
    }
}
