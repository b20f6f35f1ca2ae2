package dev.vae.core.kernel.simd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vae.core.kernel.ElementKernels;
import dev.vae.core.kernel.Simd;
import dev.vae.core.testing.GradientCheck;
import java.util.Arrays;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Vector API kernels against the scalar double formulas of the likelihoods, against finite differences, and
 * for batch independence. The build runs tests with {@code --add-modules jdk.incubator.vector}, so the kernels must
 * be there: the first test fails, rather than skips, when they are not.
 */
class VectorElementKernelsTest {

    private static final float[] ONE_LANE = new float[FloatVector.SPECIES_PREFERRED.length()];
    /** Widths with full vectors and a tail (19 = 2 x 8 + 3), one with only a tail, and MNIST's 784. */
    private static final int[] WIDTHS = {3, 19, 33, 784};

    private static ElementKernels simd;

    @BeforeAll
    static void load() {
        simd = Simd.kernels();
    }

    @Test
    void givenTheTestJvm_whenKernelsAreLookedUp_thenTheVectorKernelsAreInUse() {
        assertThat(simd).as("Simd.describe(): %s", Simd.describe()).isNotNull();
        assertThat(simd.name()).startsWith("simd-");
    }

    private static float lane0(FloatVector v) {
        return v.lane(0);
    }

    private static FloatVector splat(float x) {
        Arrays.fill(ONE_LANE, x);
        return FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, ONE_LANE, 0);
    }

    @Test
    void givenArgumentsOverTheWholeRange_whenExpComputed_thenWithin2e7Relative() {
        double worst = 0;
        for (double v = -87; v <= 88; v += 0.00137) {
            float x = (float) v;
            double exact = Math.exp(x);
            worst = Math.max(worst, Math.abs(lane0(VectorElementKernels.exp(splat(x))) - exact) / exact);
        }
        assertThat(worst).isLessThan(2e-7);
        assertThat(lane0(VectorElementKernels.exp(splat(0f)))).isEqualTo(1f);
        assertThat(lane0(VectorElementKernels.exp(splat(Float.NaN)))).isNaN();
        assertThat(lane0(VectorElementKernels.exp(splat(Float.NEGATIVE_INFINITY)))).isBetween(0f, 1e-37f);
    }

    @Test
    void givenUnitArguments_whenLog1pComputed_thenWithin3e7Relative() {
        double worst = 0;
        for (double v = 0; v <= 1; v += 1.3e-5) {
            float e = (float) v;
            double exact = Math.log1p(e);
            float got = lane0(VectorElementKernels.log1pOfUnit(splat(e)));
            worst = Math.max(worst, exact == 0 ? Math.abs(got) : Math.abs(got - exact) / exact);
        }
        assertThat(worst).isLessThan(3e-7);
        assertThat(lane0(VectorElementKernels.log1pOfUnit(splat(1e-30f)))).isEqualTo(1e-30f, within(1e-36f));
    }

    @Test
    void givenArguments_whenTanhComputed_thenWithin4e7RelativeOddAndSaturating() {
        double worst = 0;
        for (double v = -12; v <= 12; v += 0.000731) {
            float x = (float) v;
            double exact = Math.tanh(x);
            float got = lane0(VectorElementKernels.tanh(splat(x)));
            worst = Math.max(worst, Math.abs(got - exact) / Math.max(Math.abs(exact), 1e-30));
            assertThat(lane0(VectorElementKernels.tanh(splat(-x)))).isEqualTo(-got);
        }
        assertThat(worst).isLessThan(4e-7);
        assertThat(lane0(VectorElementKernels.tanh(splat(1e-20f)))).isEqualTo(1e-20f);
        assertThat(Float.floatToRawIntBits(lane0(VectorElementKernels.tanh(splat(-0f))))).isEqualTo(
                Float.floatToRawIntBits(-0f));
        assertThat(lane0(VectorElementKernels.tanh(splat(100f)))).isEqualTo(1f);
        assertThat(lane0(VectorElementKernels.tanh(splat(Float.NEGATIVE_INFINITY)))).isEqualTo(-1f);
        assertThat(lane0(VectorElementKernels.tanh(splat(Float.NaN)))).isNaN();
    }

    @Test
    void givenASlice_whenTanhAppliedToSlicesOfAnyLength_thenEachElementHasTheSameBits() {
        SplittableRandom r = new SplittableRandom(11);
        float[] values = new float[101];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (6 * r.nextDouble() - 3);
        }
        float[] whole = values.clone();
        simd.tanh(whole, 0, whole.length);
        for (int off = 0; off < 12; off++) {
            for (int len = 0; off + len <= values.length; len += 7) {
                float[] part = values.clone();
                simd.tanh(part, off, len);
                for (int i = 0; i < values.length; i++) {
                    float want = i >= off && i < off + len ? whole[i] : values[i];
                    assertThat(part[i]).as("element %d of slice [%d, %d)", i, off, off + len).isEqualTo(want);
                }
            }
        }
    }

    /** x in [0, 1] (some exactly 0 or 1, as pixels are) and logits over a range that saturates. */
    private static float[][] bernoulliRow(int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[d];
        float[] a = new float[d];
        for (int j = 0; j < d; j++) {
            int kind = r.nextInt(3);
            x[j] = kind == 0 ? 0f : kind == 1 ? 1f : (float) r.nextDouble();
            a[j] = (float) (r.nextGaussian() * (j % 5 == 0 ? 30 : 4));
        }
        return new float[][] {x, a};
    }

    private static double scalarBernoulli(float[] x, float[] a, double[] terms) {
        double sum = 0;
        for (int j = 0; j < x.length; j++) {
            double aj = a[j];
            terms[j] = Math.max(aj, 0.0) + Math.log1p(Math.exp(-Math.abs(aj))) - x[j] * aj;
            sum += terms[j];
        }
        return sum;
    }

    @Test
    void givenRows_whenBernoulliComputed_thenItMatchesTheDoubleFormulaTermByTerm() {
        for (int d : WIDTHS) {
            float[][] row = bernoulliRow(d, d);
            double[] exact = new double[d];
            double want = scalarBernoulli(row[0], row[1], exact);
            double[] terms = new double[d + 2];
            double got = simd.bernoulli(row[0], 0, row[1], 0, d, terms, 2);
            assertThat(got).as("d = %d", d).isCloseTo(want, within(2e-6 * Math.abs(want) + 1e-6));
            assertThat(simd.bernoulli(row[0], 0, row[1], 0, d, null, 0)).isEqualTo(got);
            for (int j = 0; j < d; j++) {
                assertThat(terms[2 + j]).as("term %d of %d", j, d).isCloseTo(exact[j], within(3e-7 * Math.abs(row[1][j]) + 3e-7));
            }
        }
    }

    @Test
    void givenRows_whenBernoulliGradientComputed_thenItMatchesFiniteDifferencesAndTheLoss() {
        for (int d : WIDTHS) {
            float[][] row = bernoulliRow(d, 100 + d);
            float[] x = row[0];
            float[] a = row[1];
            for (int j = 0; j < d; j++) {
                a[j] = Math.max(-8f, Math.min(8f, a[j]));
            }
            float[] grad = new float[d];
            double nll = simd.bernoulliGradient(x, 0, a, 0, d, 0.5f, grad, 0);
            assertThat(nll).isCloseTo(simd.bernoulli(x, 0, a, 0, d, null, 0), within(1e-9 * Math.abs(nll)));
            for (int j = 0; j < d; j++) {
                double sigmoid = 1 / (1 + Math.exp(-a[j]));
                assertThat(grad[j]).isCloseTo((float) (0.5 * (sigmoid - x[j])), within(2e-7f));
            }
            float[] unit = new float[d];
            simd.bernoulliGradient(x, 0, a, 0, d, 1f, unit, 0);
            GradientCheck.check(a, unit, () -> simd.bernoulli(x, 0, a, 0, d, null, 0), 1e-2f, 2e-4, 2e-3);
        }
    }

    /** x standardised with a few outliers, raw means near x, raw log-variances on both sides of the bound. */
    private static float[][] gaussianRow(int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[d];
        float[] raw = new float[2 * d];
        for (int j = 0; j < d; j++) {
            x[j] = (float) (r.nextGaussian() * (j % 7 == 0 ? 6 : 1));
            raw[j] = (float) (x[j] + r.nextGaussian() * 0.5);
            raw[d + j] = (float) (r.nextGaussian() * 3);
        }
        return new float[][] {x, raw};
    }

    @Test
    void givenRows_whenGaussianComputed_thenItMatchesTheDoubleFormulaTermByTerm() {
        double log2pi = Math.log(2 * Math.PI);
        for (int d : WIDTHS) {
            float[][] row = gaussianRow(d, d);
            float[] x = row[0];
            float[] raw = row[1];
            double want = 0;
            double[] exact = new double[d];
            for (int j = 0; j < d; j++) {
                double s = 3 * Math.tanh(raw[d + j] / 3.0);
                double res = (double) x[j] - raw[j];
                exact[j] = 0.5 * (log2pi + s + res * res * Math.exp(-s));
                want += exact[j];
            }
            double[] terms = new double[d];
            double got = simd.gaussian(x, 0, raw, 0, d, 3f, terms, 0);
            assertThat(got).as("d = %d", d).isCloseTo(want, within(2e-6 * Math.abs(want)));
            assertThat(simd.gaussian(x, 0, raw, 0, d, 3f, null, 0)).isEqualTo(got);
            for (int j = 0; j < d; j++) {
                assertThat(terms[j]).as("term %d of %d", j, d).isCloseTo(exact[j], within(1e-6 * Math.abs(exact[j]) + 1e-6));
            }
        }
    }

    @Test
    void givenRows_whenGaussianGradientComputed_thenItMatchesFiniteDifferencesAndTheLoss() {
        for (int d : WIDTHS) {
            float[][] row = gaussianRow(d, 200 + d);
            float[] x = row[0];
            float[] raw = row[1];
            float[] grad = new float[2 * d];
            double nll = simd.gaussianGradient(x, 0, raw, 0, d, 3f, 1f, grad, 0);
            assertThat(nll).isCloseTo(simd.gaussian(x, 0, raw, 0, d, 3f, null, 0), within(1e-9 * Math.abs(nll)));
            GradientCheck.check(raw, grad, () -> simd.gaussian(x, 0, raw, 0, d, 3f, null, 0), 1e-2f, 2e-4, 2e-3);
        }
    }

    @Test
    void givenALongerArray_whenARowIsComputedAtAnOffset_thenTheBitsAreTheSame() {
        float[][] row = bernoulliRow(19, 7);
        float[] x = new float[19 * 3];
        float[] a = new float[19 * 3];
        System.arraycopy(row[0], 0, x, 19, 19);
        System.arraycopy(row[1], 0, a, 19, 19);
        assertThat(simd.bernoulli(x, 19, a, 19, 19, null, 0)).isEqualTo(simd.bernoulli(row[0], 0, row[1], 0, 19, null, 0));
    }

    private static float[] randomVector(SplittableRandom r, int n, boolean withZeros) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = withZeros && r.nextInt(3) == 0 ? 0f : (float) (r.nextDouble() * 4 - 2);
        }
        return v;
    }

    private static void assertSameBits(float[] actual, float[] expected) {
        for (int i = 0; i < expected.length; i++) {
            assertThat(Float.floatToRawIntBits(actual[i])).as("element %d: %s vs %s", i, actual[i], expected[i])
                    .isEqualTo(Float.floatToRawIntBits(expected[i]));
        }
    }

    @Test
    void givenAnyLength_whenTheMatrixBlocksRun_thenTheyGiveThePlainLoopsBitsWithoutFusedMultiplyAdds() {
        SplittableRandom r = new SplittableRandom(11);
        for (int m : new int[] {1, 7, 8, 19, 256, 401}) {
            float[] a0 = randomVector(r, m, true);
            float[] a1 = randomVector(r, m, true);
            float[] a2 = randomVector(r, m, false);
            float[] a3 = randomVector(r, m, false);
            float[] w = randomVector(r, 8, false);
            float[][] c = {randomVector(r, m, false), randomVector(r, m, false), randomVector(r, m, false),
                    randomVector(r, m, false)};
            float[][] expected = new float[4][];
            float[][] expected1 = new float[4][];
            for (int q = 0; q < 4; q++) {
                expected[q] = new float[m];
                expected1[q] = new float[m];
                for (int i = 0; i < m; i++) {
                    expected[q][i] = (c[q][i] + w[q] * a0[i]) + w[4 + q] * a1[i];
                    expected1[q][i] = c[q][i] + w[q] * a0[i];
                }
            }
            float[][] two = {c[0].clone(), c[1].clone(), c[2].clone(), c[3].clone()};
            simd.block4x2(m, two[0], two[1], two[2], two[3], a0, a1, w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]);
            float[][] one = {c[0].clone(), c[1].clone(), c[2].clone(), c[3].clone()};
            simd.block4x1(m, one[0], one[1], one[2], one[3], a0, w[0], w[1], w[2], w[3]);
            for (int q = 0; q < 4; q++) {
                assertSameBits(two[q], expected[q]);
                assertSameBits(one[q], expected1[q]);
            }

            float[] c4 = c[0].clone();
            simd.axpy4(c4, m, a0, a1, a2, a3, w[0], w[1], w[2], w[3]);
            float[] c1 = c[0].clone();
            simd.axpy1(c1, m, a2, w[4]);
            float[] e4 = new float[m];
            float[] e1 = new float[m];
            for (int j = 0; j < m; j++) {
                e4[j] = (((c[0][j] + w[0] * a0[j]) + w[1] * a1[j]) + w[2] * a2[j]) + w[3] * a3[j];
                e1[j] = c[0][j] + w[4] * a2[j];
            }
            assertSameBits(c4, e4);
            assertSameBits(c1, e1);
        }
    }
}
