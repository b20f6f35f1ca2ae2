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
        for (String id : List.of("bernoulli", "gaussian", "gaussian-shared", "gaussian-fixed", "gaussian-fixed:0.25",
                "gaussian:logvar-bound=7", "gaussian:logvar-unbounded", "gaussian-shared:logvar-unbounded", "student-t",
                "student-t:nu=1", "student-t-shared")) {
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
        // The learned-variance (bounded link) and Bernoulli likelihoods run on the element kernels' likelihood methods,
        // the Student-t on their exponentials and logarithms: the chosen path did the work. The identity link has one
        // scalar path, checked on both runs alike.
        assertThat(counted.likelihoodCalls() > 0).as("calls into %s", counted.name())
                .isEqualTo(!id.startsWith("gaussian-fixed") && !id.contains("unbounded") && !id.startsWith("student-t"));
        assertThat(counted.otherCalls() > 0).as("exponentials and logarithms on %s", counted.name())
                .isEqualTo(id.startsWith("student-t"));
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

    /** Values inside, on the edges of and outside [0, 1]; each test pairs them with logits away from the kink at 0. */
    private static final float[] MIXED = {-0.7f, 1.6f, 3f, 0.4f, 1f, 0f, -2.5f, 1.0001f, 0.999f};

    @Test
    void givenBernoulliValuesOutsideTheUnitRange_whenGradientComputed_thenItMatchesFiniteDifferences() {
        Likelihood lik = BernoulliLikelihood.INSTANCE;
        SplittableRandom r = new SplittableRandom(13);
        int d = MIXED.length;
        for (int trial = 0; trial < 5; trial++) {
            float[] raw = new float[d];
            for (int j = 0; j < d; j++) {
                // |a| >= 0.1: the finite difference must not straddle the kink of softplus(|a|) at 0.
                raw[j] = (float) ((r.nextBoolean() ? 1 : -1) * (0.1 + 3 * r.nextDouble()));
            }
            float[] grad = new float[d];
            double nll = lik.gradient(MIXED, 0, raw, 0, d, 1f, grad, 0);
            assertThat(nll).isCloseTo(lik.negativeLogLikelihood(MIXED, 0, raw, 0, d), within(1e-9));
            GradientCheck.check(raw, grad, () -> lik.negativeLogLikelihood(MIXED, 0, raw, 0, d), 1e-3f, 1e-4, 1e-3);
            double[] parts = new double[d];
            lik.featureNegativeLogLikelihood(MIXED, 0, raw, 0, d, parts, 0);
            assertThat(java.util.Arrays.stream(parts).sum()).isCloseTo(nll, within(1e-9 * Math.max(1, Math.abs(nll))));
        }
    }

    /** One feature's Bernoulli term. */
    private static double term(double x, double a) {
        double[] out = new double[1];
        BernoulliLikelihood.INSTANCE.featureNegativeLogLikelihood(new float[] {(float) x}, 0, new float[] {(float) a}, 0,
                1, out, 0);
        return out[0];
    }

    @Test
    void givenABernoulliValueBeyondTheRange_whenScored_thenTheTermIsContinuousBoundedBelowAndGrowsWithTheExcess() {
        for (double a : new double[] {-12, -3, -0.2, 0.2, 3, 12}) {
            // Continuous at both edges.
            assertThat(term(1.000001, a)).as("a=%s", a).isCloseTo(term(1, a), within(1e-4));
            assertThat(term(-0.000001, a)).as("a=%s", a).isCloseTo(term(0, a), within(1e-4));
            for (double e : new double[] {0.01, 0.5, 2, 9, 1000}) {
                double above = term(1 + e, a);
                double below = term(-e, a);
                // Never below the nearest in-range value's term, nor below the unbounded plain formula.
                assertThat(above).as("a=%s e=%s", a, e).isGreaterThan(term(1, a))
                        .isGreaterThanOrEqualTo(BernoulliLikelihood.softplus(a) - (1 + e) * a - 1e-6);
                assertThat(below).as("a=%s e=%s", a, e).isGreaterThan(term(0, a))
                        .isGreaterThanOrEqualTo(BernoulliLikelihood.softplus(a) + e * a - 1e-6);
                // Each range-width of excess costs at least log 2 nats, the least likely in-range term's floor.
                assertThat(above - term(1, a)).as("a=%s e=%s", a, e).isGreaterThanOrEqualTo(e * Math.log(2) * (1 - 1e-6));
                assertThat(below - term(0, a)).as("a=%s e=%s", a, e).isGreaterThanOrEqualTo(e * Math.log(2) * (1 - 1e-6));
                // Exactly the documented formula.
                assertThat(above).isCloseTo(BernoulliLikelihood.softplus(a) - a + e * BernoulliLikelihood.softplus(Math.abs(a)),
                        within(1e-5 * Math.max(1, above)));
            }
        }
    }

    @Test
    void givenARowWithOneValueOutOfRange_whenSplitByFeature_thenOnlyThatFeatureChanges() {
        SplittableRandom r = new SplittableRandom(17);
        int d = 6;
        float[] x = new float[d];
        float[] raw = new float[d];
        for (int j = 0; j < d; j++) {
            x[j] = (float) r.nextDouble();
            raw[j] = (float) (4 * r.nextDouble() - 2);
        }
        double[] before = new double[d];
        BernoulliLikelihood.INSTANCE.featureNegativeLogLikelihood(x, 0, raw, 0, d, before, 0);
        x[3] = 4f;
        double[] after = new double[d];
        BernoulliLikelihood.INSTANCE.featureNegativeLogLikelihood(x, 0, raw, 0, d, after, 0);
        for (int j = 0; j < d; j++) {
            if (j == 3) {
                assertThat(after[j]).isGreaterThan(before[j] + 3 * Math.log(2));
            } else {
                assertThat(after[j]).as("feature %d", j).isEqualTo(before[j]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bernoulli", "gaussian", "gaussian-shared", "gaussian-fixed", "gaussian:logvar-unbounded"})
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
        Likelihood bound = LearnedVarianceGaussian.SHARED.withOwnParameters(d, shared);
        assertThat(bound).isInstanceOf(SharedVarianceGaussian.class);
        assertThat(bound.id()).isEqualTo("gaussian-shared");
        assertThat(LearnedVarianceGaussian.INSTANCE.withOwnParameters(d, shared)).isSameAs(LearnedVarianceGaussian.INSTANCE);
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
        assertThat(LearnedVarianceGaussian.INSTANCE.logVariance(1e6)).isLessThanOrEqualTo(LearnedVarianceGaussian.LOG_VARIANCE_BOUND);
        assertThat(LearnedVarianceGaussian.INSTANCE.logVariance(-1e6)).isGreaterThanOrEqualTo(-LearnedVarianceGaussian.LOG_VARIANCE_BOUND);
    }
}
