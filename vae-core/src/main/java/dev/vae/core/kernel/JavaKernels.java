package dev.vae.core.kernel;

import java.util.Arrays;

/**
 * Portable kernels in plain Java, written so that HotSpot vectorises the inner loops.
 *
 * <p>The inner loops run along a contiguous row of {@code B} and {@code C} (an "axpy" form), which the JIT turns
 * into SIMD code; four rows of {@code A} share each row of {@code B} to quarter the memory traffic. Each element
 * of {@code C} is summed over {@code k} in ascending order whatever the blocking, so results are independent of
 * the number of rows. Zero entries of {@code A} (ReLU outputs, blank pixels) are skipped: adding {@code 0 * b}
 * changes nothing for finite {@code b}.
 */
public final class JavaKernels implements MatrixKernels {

    /** The shared instance: the class holds no state. */
    public static final JavaKernels INSTANCE = new JavaKernels();

    private JavaKernels() {
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public void gemm(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                     boolean accumulate) {
        if (!accumulate) {
            Arrays.fill(c, cOff, cOff + m * n, 0f);
        }
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int a0 = aOff + i * k;
            int c0 = cOff + i * n;
            int c1 = c0 + n;
            int c2 = c1 + n;
            int c3 = c2 + n;
            for (int p = 0; p < k; p++) {
                float x0 = a[a0 + p];
                float x1 = a[a0 + k + p];
                float x2 = a[a0 + 2 * k + p];
                float x3 = a[a0 + 3 * k + p];
                if (x0 == 0f && x1 == 0f && x2 == 0f && x3 == 0f) {
                    continue;
                }
                int bp = bOff + p * n;
                for (int j = 0; j < n; j++) {
                    float bv = b[bp + j];
                    c[c0 + j] += x0 * bv;
                    c[c1 + j] += x1 * bv;
                    c[c2 + j] += x2 * bv;
                    c[c3 + j] += x3 * bv;
                }
            }
        }
        for (; i < m; i++) {
            int ai = aOff + i * k;
            int ci = cOff + i * n;
            for (int p = 0; p < k; p++) {
                float x = a[ai + p];
                if (x == 0f) {
                    continue;
                }
                int bp = bOff + p * n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += x * b[bp + j];
                }
            }
        }
    }

    @Override
    public void gemmNT(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                       boolean accumulate) {
        // Transposing B once turns the dot products (which the JIT cannot vectorise without reordering sums)
        // into the vectorised axpy form.
        float[] bt = new float[k * n];
        for (int j = 0; j < n; j++) {
            int bj = bOff + j * k;
            for (int p = 0; p < k; p++) {
                bt[p * n + j] = b[bj + p];
            }
        }
        gemm(m, n, k, a, aOff, bt, 0, c, cOff, accumulate);
    }

    @Override
    public void gemmTN(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                       boolean accumulate) {
        if (!accumulate) {
            Arrays.fill(c, cOff, cOff + m * n, 0f);
        }
        // C[r, :] += A[p, r] * B[p, :] for p ascending: each element is summed over p in order.
        for (int p = 0; p < k; p++) {
            int ap = aOff + p * m;
            int bp = bOff + p * n;
            for (int r = 0; r < m; r++) {
                float x = a[ap + r];
                if (x == 0f) {
                    continue;
                }
                int cr = cOff + r * n;
                for (int j = 0; j < n; j++) {
                    c[cr + j] += x * b[bp + j];
                }
            }
        }
    }
}
