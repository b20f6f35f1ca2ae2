package dev.vae.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Correctness against a double-precision reference, row independence, and agreement of the native path. */
class MatrixKernelsTest {

    /** Shapes (m, n, k) from the project's models plus odd edges that exercise every remainder. */
    private static final int[][] SHAPES = {
        {1, 1, 1}, {3, 5, 7}, {17, 13, 9}, {128, 64, 30}, {128, 16, 64}, {128, 60, 64}, {5, 400, 784},
        {33, 784, 400}, {7, 40, 400}, {128, 8, 64}, {2, 3, 300},
    };

    static List<MatrixKernels> backends() {
        List<MatrixKernels> list = new ArrayList<>();
        list.add(JavaKernels.INSTANCE);
        list.add(Kernels.best());
        list.add(Kernels.best().forTraining());
        return list;
    }

    private static float[] random(int size, double zeroFraction, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = r.nextDouble() < zeroFraction ? 0f : (float) (2 * r.nextDouble() - 1);
        }
        return v;
    }

    private static double[] reference(int m, int n, int k, float[] a, float[] b, char form) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = form == 'T' ? a[p * m + i] : a[i * k + p];
                    double bv = form == 'N' ? b[j * k + p] : b[p * n + j];
                    s += av * bv;
                }
                c[i * n + j] = s;
            }
        }
        return c;
    }

    private static void run(MatrixKernels kern, char form, int m, int n, int k, float[] a, int aOff, float[] b,
                            float[] c, boolean acc) {
        switch (form) {
            case 'G' -> kern.gemm(m, n, k, a, aOff, b, 0, c, 0, acc);
            case 'N' -> kern.gemmNT(m, n, k, a, aOff, b, 0, c, 0, acc);
            default -> kern.gemmTN(m, n, k, a, aOff, b, 0, c, 0, acc);
        }
    }

    static Stream<MatrixKernels> kernels() {
        return backends().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void givenRandomSparseMatrices_whenMultiplied_thenEveryFormMatchesADoubleReference(MatrixKernels kern) {
        long seed = 1;
        for (int[] s : SHAPES) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            for (char form : new char[] {'G', 'N', 'T'}) {
                float[] a = random(m * k, 0.5, seed++);
                float[] b = random(n * k, 0.1, seed++);
                float[] c = random(m * n, 0, seed++);
                float[] before = c.clone();
                run(kern, form, m, n, k, a, 0, b, c, false);
                double[] ref = reference(m, n, k, a, b, form);
                double tol = 1e-5 * k + 1e-6;
                for (int i = 0; i < c.length; i++) {
                    assertThat((double) c[i]).as("%s %s %dx%dx%d [%d]", kern.name(), form, m, n, k, i)
                            .isCloseTo(ref[i], within(tol));
                }
                float[] acc = before.clone();
                run(kern, form, m, n, k, a, 0, b, acc, true);
                for (int i = 0; i < c.length; i++) {
                    assertThat((double) acc[i]).isCloseTo(ref[i] + before[i], within(tol));
                }
            }
        }
    }

    @Test
    void givenTheRowsOfABigBatch_whenMultipliedAloneOrInSmallerBatches_thenEachRowIsBitIdentical() {
        MatrixKernels kern = Kernels.best();
        for (int[] nk : new int[][] {{400, 784}, {784, 400}, {64, 30}, {16, 64}, {60, 64}, {40, 400}}) {
            int n = nk[0];
            int k = nk[1];
            int big = 300;
            float[] a = random(big * k, 0.6, n + k);
            float[] b = random(n * k, 0, 7L * n + k);
            for (char form : new char[] {'G', 'N'}) {
                float[] all = new float[big * n];
                run(kern, form, big, n, k, a, 0, b, all, false);
                for (int m : new int[] {1, 2, 3, 5, 8, 17, 64, 129}) {
                    int first = (m * 37) % (big - m);
                    float[] part = new float[m * n];
                    run(kern, form, m, n, k, a, first * k, b, part, false);
                    for (int i = 0; i < part.length; i++) {
                        assertThat(Float.floatToRawIntBits(part[i])).as("%s %s n=%d k=%d m=%d [%d]", kern.name(),
                                form, n, k, m, i).isEqualTo(Float.floatToRawIntBits(all[first * n + i]));
                    }
                }
            }
        }
    }

    @Test
    void givenZeroWeightsAndABiasStart_whenNarrowLayersRunOnBatches_thenEachRowEqualsItsSingleRowBits() {
        // Batches of narrow layers take the column-wise path, single rows the row-wise one: same bits.
        MatrixKernels kern = Kernels.portable();
        for (int[] nk : new int[][] {{8, 30}, {16, 64}, {60, 64}, {96, 9}, {97, 12}, {2, 400}}) {
            int n = nk[0];
            int k = nk[1];
            int big = 257;
            float[] a = random(big * k, 0.5, 3L * n + k);
            float[] b = random(n * k, 0.3, 11L * n + k);
            float[] bias = random(n, 0.2, n);
            float[] all = new float[big * n];
            for (int i = 0; i < big; i++) {
                System.arraycopy(bias, 0, all, i * n, n);
            }
            kern.gemm(big, n, k, a, 0, b, 0, all, 0, true);
            for (int i = 0; i < big; i++) {
                float[] one = bias.clone();
                kern.gemm(1, n, k, a, i * k, b, 0, one, 0, true);
                for (int j = 0; j < n; j++) {
                    assertThat(Float.floatToRawIntBits(one[j])).as("n=%d k=%d row %d col %d", n, k, i, j)
                            .isEqualTo(Float.floatToRawIntBits(all[i * n + j]));
                }
            }
        }
    }

    @Test
    void givenTheSameShapes_whenTrainingKernelsRunTwice_thenResultsAreBitIdentical() {
        MatrixKernels kern = Kernels.best().forTraining();
        float[] a = random(128 * 784, 0.8, 3);
        float[] b = random(784 * 400, 0, 4);
        float[] c1 = new float[128 * 400];
        float[] c2 = new float[128 * 400];
        kern.gemm(128, 400, 784, a, 0, b, 0, c1, 0, false);
        kern.gemm(128, 400, 784, a, 0, b, 0, c2, 0, false);
        assertThat(java.util.Arrays.equals(c1, c2)).isTrue();
    }

    @Test
    void givenThisMachine_whenTheBackendIsChosen_thenItIsNamedAndScoringStaysPortable() {
        MatrixKernels best = Kernels.best();
        assertThat(best.name()).matches("java(\\+(openblas|mkl|blis))?");
        assertThat(Kernels.portable().name()).isEqualTo("java");
        if (best.name().equals("java")) {
            assertThat(best.forTraining()).isSameAs(best);
        } else {
            assertThat(best.forTraining().name()).isEqualTo(best.name().substring("java+".length()));
        }
    }

    @Test
    void givenBlasThreadVariables_whenRead_thenTheLibrarysOwnOrderAndDefaultsApply() {
        assertThat(BlasKernels.libraryThreads("openblas", java.util.Map.of(), 2)).isEqualTo(2);
        assertThat(BlasKernels.libraryThreads("openblas", java.util.Map.of("OPENBLAS_NUM_THREADS", "1"), 2)).isEqualTo(1);
        assertThat(BlasKernels.libraryThreads("openblas",
                java.util.Map.of("OPENBLAS_NUM_THREADS", "1", "OMP_NUM_THREADS", "2"), 2)).isEqualTo(1);
        assertThat(BlasKernels.libraryThreads("openblas", java.util.Map.of("OMP_NUM_THREADS", "1"), 2)).isEqualTo(1);
        assertThat(BlasKernels.libraryThreads("openblas", java.util.Map.of("OPENBLAS_NUM_THREADS", "x"), 2)).isEqualTo(2);
        assertThat(BlasKernels.libraryThreads("openblas", java.util.Map.of("OPENBLAS_NUM_THREADS", "64"), 2)).isEqualTo(2);
        assertThat(BlasKernels.libraryThreads("mkl", java.util.Map.of("MKL_NUM_THREADS", "1"), 4)).isEqualTo(1);
        assertThat(BlasKernels.libraryThreads("blis", java.util.Map.of(), 4)).isEqualTo(1);
        assertThat(Kernels.portable().threadsPerCall()).isEqualTo(1);
    }
}
