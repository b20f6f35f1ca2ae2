package dev.vae.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.testing.RealRows;
import dev.vae.core.testing.RealRows.Scaling;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SPEC section 3: the element kernels give the same bits whether the JVM has the Vector API module or not and
 * whatever the vector width. Each vector kernel set (the one this JVM picked, and 256-bit and 512-bit ones loaded side
 * by side) against the scalar reference, on real rows and on every row width from 1 to 40 (every tail length of
 * both widths), value by value and gradient by gradient, compared as bits.
 */
class ElementKernelsBitIdentityTest {

    private static final float BOUND = 3f;

    static Stream<ElementKernels> vectorKernels() {
        return Stream.of(KernelSelection.vector(), KernelSelection.vector(256), KernelSelection.vector(512));
    }

    private static void sameBits(double actual, double expected, String what) {
        assertThat(Double.doubleToLongBits(actual)).as("%s: %s vs scalar %s", what, actual, expected)
                .isEqualTo(Double.doubleToLongBits(expected));
    }

    private static void sameBits(float[] actual, float[] expected, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertThat(Float.floatToIntBits(actual[i])).as("%s [%d]: %s vs scalar %s", what, i, actual[i], expected[i])
                    .isEqualTo(Float.floatToIntBits(expected[i]));
        }
    }

    private static void sameBits(double[] actual, double[] expected, String what) {
        for (int i = 0; i < expected.length; i++) {
            sameBits(actual[i], expected[i], what + " [" + i + "]");
        }
    }

    /** Every likelihood method on one row (x at xOff, raw at 0), compared with the scalar kernels. */
    private static void compareRow(ElementKernels k, float[] x, int xOff, float[] logits, float[] gaussRaw, int d,
                                   String row) {
        ElementKernels s = KernelSelection.scalar();
        String at = k.name() + ", " + row + ", d = " + d;
        double[] terms = new double[d];
        double[] want = new double[d];
        sameBits(k.bernoulli(x, xOff, logits, 0, d, terms, 0), s.bernoulli(x, xOff, logits, 0, d, want, 0),
                "bernoulli " + at);
        sameBits(terms, want, "bernoulli terms " + at);
        sameBits(k.bernoulli(x, xOff, logits, 0, d, null, 0), s.bernoulli(x, xOff, logits, 0, d, null, 0),
                "bernoulli without terms " + at);
        float[] grad = new float[d];
        float[] wantGrad = new float[d];
        sameBits(k.bernoulliGradient(x, xOff, logits, 0, d, 0.37f, grad, 0),
                s.bernoulliGradient(x, xOff, logits, 0, d, 0.37f, wantGrad, 0), "bernoulli gradient loss " + at);
        sameBits(grad, wantGrad, "bernoulli gradient " + at);

        sameBits(k.gaussian(x, xOff, gaussRaw, 0, d, BOUND, terms, 0), s.gaussian(x, xOff, gaussRaw, 0, d, BOUND,
                want, 0), "gaussian " + at);
        sameBits(terms, want, "gaussian terms " + at);
        sameBits(k.gaussian(x, xOff, gaussRaw, 0, d, BOUND, null, 0), s.gaussian(x, xOff, gaussRaw, 0, d, BOUND, null,
                0), "gaussian without terms " + at);
        float[] g2 = new float[2 * d];
        float[] wantG2 = new float[2 * d];
        sameBits(k.gaussianGradient(x, xOff, gaussRaw, 0, d, BOUND, 0.37f, g2, 0),
                s.gaussianGradient(x, xOff, gaussRaw, 0, d, BOUND, 0.37f, wantG2, 0), "gaussian gradient loss " + at);
        sameBits(g2, wantG2, "gaussian gradient " + at);

        // The row as a tanh slice at its offset: the other elements of the array must stay as they were.
        float[] t = x.clone();
        float[] wantT = x.clone();
        k.tanh(t, xOff, d);
        s.tanh(wantT, xOff, d);
        sameBits(t, wantT, "tanh of the slice " + at);
    }

    /** Raw parameters around a row: logits and means near it, log-variances over both sides of the bound. */
    private static float[][] rawFor(float[] x, int xOff, int d, SplittableRandom r) {
        float[] logits = new float[d];
        float[] gauss = new float[2 * d];
        for (int j = 0; j < d; j++) {
            logits[j] = (float) ((x[xOff + j] - 0.5) * 12 + r.nextGaussian() * (j % 5 == 0 ? 30 : 2));
            gauss[j] = (float) (x[xOff + j] + r.nextGaussian() * 0.5);
            gauss[d + j] = (float) (r.nextGaussian() * 4);
        }
        return new float[][] {logits, gauss};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectorKernels")
    void givenRealRows_whenAVectorKernelSetComputesLikelihoodsAndGradients_thenEveryBitIsTheScalarKernels(
            ElementKernels k) {
        List<RealRows> sets = new ArrayList<>();
        sets.add(RealRows.read("data/shuttle/shuttle.csv", 300, Scaling.STANDARDIZE));
        sets.add(RealRows.read("data/breastw/breastw.csv", 300, Scaling.MIN_MAX));
        sets.add(RealRows.read("data/mnist/mnist_test.csv.gz", 40, Scaling.MIN_MAX));
        SplittableRandom r = new SplittableRandom(23);
        for (RealRows set : sets) {
            int d = set.features();
            for (int i = 0; i < set.rows(); i++) {
                float[][] raw = rawFor(set.values(), i * d, d, r);
                compareRow(k, set.values(), i * d, raw[0], raw[1], d, "row " + i + " of " + d + "-feature data");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectorKernels")
    void givenEveryRowWidthUpTo40_whenAVectorKernelSetComputesLikelihoodsAndGradients_thenEveryBitIsTheScalarKernels(
            ElementKernels k) {
        SplittableRandom r = new SplittableRandom(29);
        for (int d = 1; d <= 40; d++) {
            for (int rep = 0; rep < 5; rep++) {
                float[] x = new float[d + 3];
                for (int j = 0; j < x.length; j++) {
                    int kind = r.nextInt(3);
                    x[j] = kind == 0 ? 0f : kind == 1 ? 1f : (float) r.nextDouble();
                }
                float[][] raw = rawFor(x, 3, d, r);
                compareRow(k, x, 3, raw[0], raw[1], d, "random row " + rep);
            }
        }
    }

    /** Floats over the ranges where exp, log1p and tanh switch formulas or saturate, and the special values. */
    private static float[] sweep() {
        List<Float> v = new ArrayList<>(List.of(0f, -0f, Float.NaN, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1e-30f, 0.25f, -0.25f,
                Math.nextDown(0.25f), 44f, -44f, 87f, -87f, 88f, -88f, 89f, -200f, 200f, Float.MAX_VALUE,
                -Float.MAX_VALUE));
        for (double t = -120; t <= 120; t += 0.0007) {
            v.add((float) t);
        }
        SplittableRandom r = new SplittableRandom(31);
        for (int i = 0; i < 100_000; i++) {
            v.add((float) ((r.nextBoolean() ? 1 : -1) * Math.pow(10, -8 + 10 * r.nextDouble())));
        }
        float[] a = new float[v.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = v.get(i);
        }
        return a;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectorKernels")
    void givenASweepOfArgumentsAndSpecialValues_whenTanhAndEveryTermAreComputed_thenEveryLaneIsTheScalarBits(
            ElementKernels k) {
        ElementKernels s = KernelSelection.scalar();
        float[] a = sweep();
        int n = a.length;
        float[] t = a.clone();
        float[] wantT = a.clone();
        k.tanh(t, 0, n);
        s.tanh(wantT, 0, n);
        sameBits(t, wantT, k.name() + " tanh");
        for (float xv : new float[] {0f, 1f, 0.3f}) {
            float[] x = new float[n];
            java.util.Arrays.fill(x, xv);
            double[] terms = new double[n];
            double[] want = new double[n];
            sameBits(k.bernoulli(x, 0, a, 0, n, terms, 0), s.bernoulli(x, 0, a, 0, n, want, 0),
                    k.name() + " bernoulli sum");
            sameBits(terms, want, k.name() + " bernoulli terms, x = " + xv);
        }
        // The sweep as raw log-variances (every squashed s in [-3, 3]) and as means.
        float[] raw = new float[2 * n];
        System.arraycopy(a, 0, raw, n, n);
        for (int j = 0; j < n; j++) {
            raw[j] = Float.isFinite(a[j]) ? a[(int) ((j * 7919L) % n)] : 0f;
        }
        float[] x = new float[n];
        double[] terms = new double[n];
        double[] want = new double[n];
        sameBits(k.gaussian(x, 0, raw, 0, n, BOUND, terms, 0), s.gaussian(x, 0, raw, 0, n, BOUND, want, 0),
                k.name() + " gaussian sum");
        sameBits(terms, want, k.name() + " gaussian terms");
    }

    /** A double kernel of {@link ElementKernels}: {@code v[i] = f(v[i])} for {@code i in [off, off + len)}. */
    private interface DoubleKernel {
        void apply(ElementKernels kernels, double[] v, int off, int len);
    }

    /**
     * {@code kernel} of {@code k} on every argument against {@code reference}, bit for bit; then on every slice length
     * 0 to 40 at offsets 0 to 2 of 45 arguments from {@code sliceFrom} against the scalar kernels, whose elements
     * outside the slice must stay as they were.
     */
    private static void sameBitsLaneByLane(ElementKernels k, double[] a, DoubleKernel kernel,
                                           java.util.function.DoubleUnaryOperator reference, String name,
                                           int sliceFrom) {
        double[] got = a.clone();
        kernel.apply(k, got, 0, a.length);
        for (int i = 0; i < a.length; i++) {
            sameBits(got[i], reference.applyAsDouble(a[i]), k.name() + " " + name + "(" + a[i] + ")");
        }
        for (int off = 0; off < 3; off++) {
            for (int len = 0; len <= 40; len++) {
                double[] slice = java.util.Arrays.copyOfRange(a, sliceFrom, sliceFrom + 45);
                double[] want = slice.clone();
                kernel.apply(k, slice, off, len);
                kernel.apply(KernelSelection.scalar(), want, off, len);
                sameBits(slice, want, k.name() + " " + name + " slice from " + off + " of " + len);
            }
        }
    }

    /**
     * Doubles where fdlibm's e^x changes its argument reduction (0.5 ln2, 1.5 ln2 and 2^-28, a few ulps either side
     * of each high-word boundary), near 700 where the vector path hands over to StrictMath, near overflow and
     * underflow, the special values, a fine grid over the log-variances a latent layer produces, and random
     * magnitudes from 2^-40 to 2^10 of both signs.
     */
    private static double[] expArguments() {
        List<Double> v = new ArrayList<>(List.of(0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, 1.0, -1.0,
                709.78, 709.79, -745.1, -745.2, -708.5, -707.9, 699.99, 700.0, 700.01, -700.0, Double.MAX_VALUE,
                -Double.MAX_VALUE));
        for (long word : new long[] {0x3fd62e42L, 0x3ff0a2b2L, 0x3e300000L, 0x4085e000L, 0x40862e42L}) {
            for (long low : new long[] {0L, 1L, 0x7fffffffL, 0xfefa39efL, 0xfffffffeL, 0xffffffffL}) {
                for (long w = word - 1; w <= word + 1; w++) {
                    double d = Double.longBitsToDouble((w << 32) | low);
                    v.add(d);
                    v.add(-d);
                }
            }
        }
        for (double t = -40; t <= 40; t += 0.0003) {
            v.add(t);
            v.add((double) (float) (t * 0.5));
        }
        SplittableRandom r = new SplittableRandom(41);
        for (int i = 0; i < 100_000; i++) {
            v.add((r.nextBoolean() ? 1 : -1) * Math.pow(2, -40 + 50 * r.nextDouble()));
        }
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectorKernels")
    void givenArgumentsAtEveryBranchOfFdlibmsExp_whenAVectorKernelSetTakesStrictExp_thenEveryLaneIsStrictMathsBits(
            ElementKernels k) {
        double[] a = expArguments();
        sameBitsLaneByLane(k, a, ElementKernels::strictExp, StrictMath::exp, "exp", 1000);
    }

    /**
     * Doubles where Transcendentals.tanh changes branch (|x| at 1/16 and 20, a few ulps either side), where its
     * exponential's argument -2|x| crosses fdlibm's e^x reductions (0.5 ln2, 1.5 ln2), the special values, a grid over
     * [-25, 25], and random floats over 46 decades divided by 3 (the Student-t's r / B).
     */
    private static double[] tanhArguments() {
        List<Double> v = new ArrayList<>(List.of(0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, -Double.MIN_VALUE,
                1e300, -1e300, 1e-300));
        List<Double> edges = new ArrayList<>(List.of(Transcendentals.TANH_SERIES_BELOW, Transcendentals.TANH_ONE_FROM));
        for (long word : new long[] {0x3fd62e42L, 0x3ff0a2b2L}) {
            edges.add(Double.longBitsToDouble(word << 32) / 2);
            edges.add(Double.longBitsToDouble((word << 32) | 0xffffffffL) / 2);
        }
        for (double edge : edges) {
            double d = edge;
            for (int i = 0; i < 3; i++) {
                d = Math.nextDown(d);
            }
            for (int i = 0; i < 7; i++, d = Math.nextUp(d)) {
                v.add(d);
                v.add(-d);
            }
        }
        for (double t = -25; t <= 25; t += 0.0007) {
            v.add(t);
        }
        SplittableRandom r = new SplittableRandom(19);
        for (int i = 0; i < 100_000; i++) {
            v.add((float) ((r.nextBoolean() ? 1 : -1) * Math.pow(10, -8 + 46 * r.nextDouble())) / 3.0);
        }
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectorKernels")
    void givenArgumentsAtEveryBranchOfTheDoubleTanh_whenAVectorKernelSetTakesIt_thenEveryLaneIsTranscendentalsBits(
            ElementKernels k) {
        double[] a = tanhArguments();
        sameBitsLaneByLane(k, a, ElementKernels::tanh, Transcendentals::tanh, "tanh", 0);
    }

    /**
     * Doubles at every branch of fdlibm's log1p, a few ulps either side of each high-word boundary: x at -1 (and
     * below), -0.2929 and 0.41422 (where k = 0 starts and ends), 2^-54 and 2^-29 (the short series), 2^53 (no
     * correction term), infinity; 1 + x around sqrt 2 times a power of two (where u is halved) and around powers of
     * two (|f| < 2^-20, and f = 0); x just below -0.2929, where k ends at 0 after the reduction. Then the special
     * values, a dense grid over [0, 100] (the Student-t's q) and over (-1, 1), and random magnitudes from 2^-60 to
     * 2^60 of both signs.
     */
    private static double[] log1pArguments() {
        List<Double> v = new ArrayList<>(List.of(0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, -Double.MIN_NORMAL,
                1.0, -1.0, Math.nextUp(-1.0), Math.nextDown(-1.0), -0.5, 0.5, Double.MAX_VALUE, -Double.MAX_VALUE,
                Math.sqrt(2) - 1, Math.sqrt(0.5) - 1, 0x1p53, Math.nextDown(0x1p53), Math.nextUp(0x1p53),
                Double.longBitsToDouble(0x7ff8000000000001L), Double.longBitsToDouble(0xfff8000000000000L)));
        long[] lows = {0L, 1L, 2L, 0x7fffffffL, 0x80000000L, 0xfffffffeL, 0xffffffffL};
        for (long word : new long[] {0x3fda827aL, 0x3fd2bec3L, 0x3fd2bec4L, 0x3e200000L, 0x3c900000L, 0x43400000L,
                0x3ff00000L, 0x7ff00000L, 0x7fefffffL, 0x00100000L}) {
            for (long low : lows) {
                for (long w = word - 2; w <= word + 2; w++) {
                    double d = Double.longBitsToDouble((w << 32) | low);
                    v.add(d);
                    v.add(-d);
                }
            }
        }
        // u = 1 + x (or x itself from 2^53) with fdlibm's hu at the halving split and at |f| < 2^-20's edges.
        for (long exponent = 0x3fcL; exponent <= 0x440L; exponent++) {
            for (long hu : new long[] {0x6a09eL, 0L, 0xffffdL, 0x00001L, 0xffffcL}) {
                for (long h = hu - 2; h <= hu + 2; h++) {
                    if (h < 0 || h > 0xfffff) {
                        continue;
                    }
                    for (long low : lows) {
                        double u = Double.longBitsToDouble((exponent << 52) | (h << 32) | low);
                        double x = u - 1.0;
                        v.add(u);
                        v.add(x);
                        v.add(Math.nextUp(x));
                        v.add(Math.nextDown(x));
                    }
                }
            }
        }
        for (double t = -0.3; t <= -0.29; t += 1e-6) {
            v.add(t);
        }
        for (double t = 0; t <= 100; t += 0.0007) {
            v.add(t);
        }
        for (double t = -1; t <= 1; t += 0.0001) {
            v.add(t);
        }
        SplittableRandom r = new SplittableRandom(43);
        for (int i = 0; i < 100_000; i++) {
            v.add((r.nextBoolean() ? 1 : -1) * Math.pow(2, -60 + 120 * r.nextDouble()));
        }
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectorKernels")
    void givenArgumentsAtEveryBranchOfFdlibmsLog1p_whenAVectorKernelSetTakesStrictLog1p_thenEveryLaneIsStrictMathsBits(
            ElementKernels k) {
        double[] a = log1pArguments();
        sameBitsLaneByLane(k, a, ElementKernels::strictLog1p, StrictMath::log1p, "log1p", 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectorKernels")
    void givenOneValueOutsideTheUnitIntervalAtEveryPlace_whenTested_thenEveryKernelSetAnswersAsTheScalarLoop(
            ElementKernels k) {
        ElementKernels s = KernelSelection.scalar();
        float[] outside = {-Float.MIN_VALUE, -1e-7f, 1.0000001f, 2f, Float.NaN, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY};
        for (int len = 0; len <= 40; len++) {
            for (int off : new int[] {0, 3}) {
                float[] x = new float[off + len + 2];
                for (int j = 0; j < x.length; j++) {
                    // In range, both ends included (and -0, which compares equal to 0); the values beyond the slice
                    // are out of range and must not be read.
                    x[j] = j < off || j >= off + len ? 5f : j % 4 == 0 ? 0f : j % 4 == 1 ? 1f : j % 4 == 2 ? -0f : 0.5f;
                }
                assertThat(k.allInUnitInterval(x, off, len)).as("len %d off %d", len, off).isTrue();
                assertThat(s.allInUnitInterval(x, off, len)).isTrue();
                for (int at = 0; at < len; at++) {
                    for (float v : outside) {
                        float[] y = x.clone();
                        y[off + at] = v;
                        assertThat(k.allInUnitInterval(y, off, len)).as("%s at %d of %d", v, at, len).isFalse();
                        assertThat(s.allInUnitInterval(y, off, len)).isFalse();
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectorKernels")
    void givenAnyLength_whenTheMatrixBlocksRun_thenEveryElementIsTheScalarBits(ElementKernels k) {
        ElementKernels s = KernelSelection.scalar();
        SplittableRandom r = new SplittableRandom(37);
        for (int m = 0; m <= 70; m++) {
            float[][] a = new float[6][m];
            for (float[] row : a) {
                for (int i = 0; i < m; i++) {
                    row[i] = r.nextInt(4) == 0 ? 0f : (float) (4 * r.nextDouble() - 2);
                }
            }
            float[] w = new float[8];
            for (int q = 0; q < 8; q++) {
                w[q] = (float) r.nextGaussian();
            }
            float[][] c = new float[4][];
            float[][] want = new float[4][];
            for (int q = 0; q < 4; q++) {
                c[q] = a[q].clone();
                want[q] = a[q].clone();
            }
            k.block4x2(m, c[0], c[1], c[2], c[3], a[4], a[5], w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]);
            s.block4x2(m, want[0], want[1], want[2], want[3], a[4], a[5], w[0], w[1], w[2], w[3], w[4], w[5], w[6],
                    w[7]);
            k.block4x1(m, c[0], c[1], c[2], c[3], a[5], w[4], w[5], w[6], w[7]);
            s.block4x1(m, want[0], want[1], want[2], want[3], a[5], w[4], w[5], w[6], w[7]);
            k.axpy4(c[0], m, a[1], a[2], a[3], a[4], w[0], w[1], w[2], w[3]);
            s.axpy4(want[0], m, a[1], a[2], a[3], a[4], w[0], w[1], w[2], w[3]);
            k.axpy1(c[1], m, a[5], w[7]);
            s.axpy1(want[1], m, a[5], w[7]);
            for (int q = 0; q < 4; q++) {
                sameBits(c[q], want[q], k.name() + " blocks, m = " + m + ", output " + q);
            }
        }
    }
}
