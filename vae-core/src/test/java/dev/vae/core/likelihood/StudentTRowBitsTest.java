package dev.vae.core.likelihood;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.kernel.ElementKernels;
import dev.vae.core.kernel.KernelSelection;
import dev.vae.core.testing.RealRows;
import dev.vae.core.testing.RealRows.Scaling;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Student-t's batched row paths (transcendentals through the element kernels) against the feature-by-feature
 * scalar code they replaced, kept here as it was: every value, per-feature term and gradient float compared as bits,
 * for nu in {1, 4, 16}, per-row and shared scales, on the scalar kernels and the 256-bit and 512-bit vector kernels.
 * Rows are real (spam's 57 columns, shuttle's 9, MNIST's 784, which spans several batches of features) and every
 * width from 1 to 40 (every padding of a batch), with raw parameters that reach every branch of the link's tanh
 * (|r / B| below 1/16, up to 20, beyond, infinite) and residuals from 0 to float overflow.
 */
class StudentTRowBitsTest {

    private static final double BOUND = LearnedVarianceGaussian.LOG_VARIANCE_BOUND;

    static Stream<Arguments> likelihoodsAndKernels() {
        List<Arguments> cases = new ArrayList<>();
        for (ElementKernels k : KernelSelection.all()) {
            for (int nu : new int[] {1, 4, 16}) {
                for (boolean shared : new boolean[] {false, true}) {
                    cases.add(Arguments.of(StudentTLikelihood.of(shared, nu), k));
                }
            }
        }
        return cases.stream();
    }

    // The scalar code as it was before the batched paths: Transcendentals.tanh, logScale2, featureNll and
    // featureGradient of StudentTLikelihood, and LocationScaleLikelihood's row loops.

    private static double referenceTanh(double x) {
        double ax = Math.abs(x);
        double y;
        if (ax < 0.0625) {
            double x2 = ax * ax;
            y = ax * (1 + x2 * (-1.0 / 3 + x2 * (2.0 / 15 + x2 * (-17.0 / 315 + x2 * (62.0 / 2835
                    + x2 * (-1382.0 / 155925))))));
        } else if (ax >= 20) {
            y = 1.0;
        } else {
            double t = StrictMath.exp(-2 * ax);
            y = (1 - t) / (1 + t);
        }
        return Math.copySign(y, x);
    }

    private static double link(double r) {
        return BOUND * referenceTanh(r / BOUND);
    }

    private static double featureNll(StudentTLikelihood t, double x, double m, double s) {
        double r = x - m;
        double halfNuPlusOne = 0.5 * (t.nu() + 1);
        return t.normalizingConstant() + 0.5 * s
                + halfNuPlusOne * StrictMath.log1p(r * r * StrictMath.exp(-s) / t.nu());
    }

    private static double featureGradient(StudentTLikelihood t, double r, double s, float scale, float[] grad,
                                          int meanAt, int rawAt) {
        int nu = t.nu();
        double halfNuPlusOne = 0.5 * (nu + 1);
        double precision = StrictMath.exp(-s);
        double q = r * r * precision / nu;
        double u = s / BOUND;
        grad[meanAt] = (float) (scale * (-2.0 * halfNuPlusOne * r * precision / (nu * (1.0 + q))));
        grad[rawAt] = (float) (scale * (0.5 - halfNuPlusOne * q / (1.0 + q)) * (1.0 - u * u));
        return t.normalizingConstant() + 0.5 * s + halfNuPlusOne * StrictMath.log1p(q);
    }

    private static double referenceNll(StudentTLikelihood t, float[] x, int xOff, float[] raw, int rawOff, int d) {
        double sum = 0.0;
        for (int j = 0; j < d; j++) {
            sum += featureNll(t, x[xOff + j], raw[rawOff + j], link(raw[rawOff + d + j]));
        }
        return sum;
    }

    private static void referenceFeatureNll(StudentTLikelihood t, float[] x, int xOff, float[] raw, int rawOff, int d,
                                            double[] out, int outOff) {
        for (int j = 0; j < d; j++) {
            out[outOff + j] = featureNll(t, x[xOff + j], raw[rawOff + j], link(raw[rawOff + d + j]));
        }
    }

    private static double referenceGradient(StudentTLikelihood t, float[] x, int xOff, float[] raw, int rawOff, int d,
                                            float scale, float[] grad, int gradOff) {
        double sum = 0.0;
        for (int j = 0; j < d; j++) {
            double m = raw[rawOff + j];
            sum += featureGradient(t, x[xOff + j] - m, link(raw[rawOff + d + j]), scale, grad, gradOff + j,
                    gradOff + d + j);
        }
        return sum;
    }

    /** A raw r that reaches each branch of the link: mostly moderate, sometimes at or far past the bound. */
    private static float rawScale(SplittableRandom r) {
        return switch (r.nextInt(10)) {
            case 0 -> (float) (r.nextGaussian() * 0.15);
            case 1 -> (float) ((r.nextBoolean() ? 1 : -1) * (55 + 10 * r.nextDouble()));
            case 2 -> (float) ((r.nextBoolean() ? 1 : -1) * Math.pow(10, 2 + 36 * r.nextDouble()));
            default -> (float) (r.nextGaussian() * 4);
        };
    }

    /** A location near x, now and then far from it (a residual up to float range) or exactly x (no residual). */
    private static float location(float x, SplittableRandom r) {
        return switch (r.nextInt(12)) {
            case 0 -> x;
            case 1 -> (float) (x + (r.nextBoolean() ? 1 : -1) * Math.pow(10, 1 + 37 * r.nextDouble()));
            default -> (float) (x + r.nextGaussian() * 0.5);
        };
    }

    /** Raw rows for n rows of d features: per-row scales, or for a shared likelihood one set for all rows. */
    private static float[] rawRows(StudentTLikelihood t, float[] x, int n, int d, SplittableRandom r) {
        float[] shared = new float[d];
        for (int j = 0; j < d; j++) {
            shared[j] = rawScale(r);
        }
        float[] raw = new float[n * 2 * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                raw[i * 2 * d + j] = location(x[i * d + j], r);
                raw[i * 2 * d + d + j] = t.sharedScale() ? shared[j] : rawScale(r);
            }
        }
        return raw;
    }

    private static void sameBits(double actual, double expected, String what) {
        assertThat(Double.doubleToLongBits(actual)).as("%s: %s vs scalar %s", what, actual, expected)
                .isEqualTo(Double.doubleToLongBits(expected));
    }

    /** Every row path on rows {@code [0, n)} of {@code x}, each compared with the reference. */
    private static void compareRows(StudentTLikelihood t, ElementKernels k, float[] x, float[] raw, int n, int d,
                                    String data) {
        KernelSelection.Counting counted = KernelSelection.counting(k);
        KernelSelection.run(counted, () -> {
            for (int i = 0; i < n; i++) {
                String at = t.id() + " on " + k.name() + ", " + data + " row " + i;
                sameBits(t.negativeLogLikelihood(x, i * d, raw, i * 2 * d, d),
                        referenceNll(t, x, i * d, raw, i * 2 * d, d), "value " + at);
                // Output and gradient at an offset, with the rest of the array untouched.
                double[] terms = new double[d + 3];
                double[] wantTerms = new double[d + 3];
                Arrays.fill(terms, -7.0);
                Arrays.fill(wantTerms, -7.0);
                t.featureNegativeLogLikelihood(x, i * d, raw, i * 2 * d, d, terms, 2);
                referenceFeatureNll(t, x, i * d, raw, i * 2 * d, d, wantTerms, 2);
                for (int j = 0; j < terms.length; j++) {
                    sameBits(terms[j], wantTerms[j], "term " + j + " of " + at);
                }
                for (float scale : new float[] {1f, 0.37f}) {
                    float[] grad = new float[2 * d + 3];
                    float[] wantGrad = new float[2 * d + 3];
                    Arrays.fill(grad, -7f);
                    Arrays.fill(wantGrad, -7f);
                    sameBits(t.gradient(x, i * d, raw, i * 2 * d, d, scale, grad, 1),
                            referenceGradient(t, x, i * d, raw, i * 2 * d, d, scale, wantGrad, 1),
                            "gradient's value " + at);
                    for (int j = 0; j < grad.length; j++) {
                        assertThat(Float.floatToIntBits(grad[j])).as("gradient %d of %s: %s vs scalar %s", j, at,
                                grad[j], wantGrad[j]).isEqualTo(Float.floatToIntBits(wantGrad[j]));
                    }
                }
            }
        });
        assertThat(counted.otherCalls()).as("the rows' transcendentals ran on %s", k.name()).isPositive();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("likelihoodsAndKernels")
    void givenRealRowsAndRawParametersAtEveryBranch_whenTheRowPathsRun_thenEveryBitIsTheFeatureByFeatureCode(
            StudentTLikelihood t, ElementKernels k) {
        SplittableRandom r = new SplittableRandom(47 + t.nu());
        for (RealRows set : List.of(RealRows.read("data/spam/spam.csv", 200, Scaling.STANDARDIZE),
                RealRows.read("data/shuttle/shuttle.csv", 200, Scaling.STANDARDIZE),
                RealRows.read("data/mnist/mnist_test.csv.gz", 12, Scaling.STANDARDIZE))) {
            int d = set.features();
            compareRows(t, k, set.values(), rawRows(t, set.values(), set.rows(), d, r), set.rows(), d,
                    d + "-feature data");
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("likelihoodsAndKernels")
    void givenEveryWidthUpTo40AndSpecialValues_whenTheRowPathsRun_thenEveryBitIsTheFeatureByFeatureCode(
            StudentTLikelihood t, ElementKernels k) {
        SplittableRandom r = new SplittableRandom(53);
        float[] special = {0f, -0f, Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.NaN, 0.1875f, Math.nextUp(0.1875f), Math.nextDown(0.1875f), 60f,
            Math.nextDown(60f), -60f, 1e-30f};
        for (int d = 1; d <= 40; d++) {
            int n = 4;
            float[] x = new float[n * d];
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) r.nextGaussian();
            }
            float[] raw = rawRows(t, x, n, d, r);
            // The last row: special values as locations and raw scales (NaN and infinities give NaN terms, as before).
            for (int j = 0; j < d; j++) {
                raw[(n - 1) * 2 * d + j] = special[(j * 7) % special.length];
                raw[(n - 1) * 2 * d + d + j] = special[j % special.length];
            }
            compareRows(t, k, x, raw, n, d, "width " + d);
        }
    }
}
