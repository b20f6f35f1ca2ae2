package dev.vae.core.kernel;

import java.util.Arrays;

/**
 * Portable kernels in plain Java, written so that HotSpot vectorises the inner loops.
 *
 * <p>Every product is computed one output row at a time in the "axpy" form {@code C[i, :] += A[i, p] * B[p, :]},
 * whose inner loop runs along contiguous rows of {@code B} and {@code C} and which the JIT turns into SIMD code.
 * The non-zero coefficients of a row of {@code A} are gathered first (ReLU outputs and blank pixels are often
 * more than half zeros) and consumed four at a time, so each element of {@code C} is loaded and stored once per
 * four multiply-adds. Adding {@code 0 * b} changes nothing for finite {@code b}, so skipping zeros is exact.
 *
 * <p>Order of summation: each element of {@code C} is the sequence {@code c = c + a_p * b_p} (a rounded product
 * then a rounded sum; no fused multiply-add) over the non-zero {@code a_p} in ascending {@code p}, whatever the
 * blocking and whatever the number of rows. A row's result is therefore bit-identical whether it is computed alone
 * or inside a batch of any size, on any thread. {@code k} is split into blocks so that the block of {@code B} in
 * use stays in the core's L2 cache; blocking keeps the order because {@code C} carries the running sum.
 *
 * <p>Scratch space (gathered coefficients, a transposed copy of {@code B} for {@link #gemmNT}) lives in a
 * per-thread buffer that grows on demand, so the steady state allocates nothing.
 */
public final class JavaKernels implements MatrixKernels {

    /** The shared instance: the class holds no shared mutable state. */
    public static final JavaKernels INSTANCE = new JavaKernels();

    /** Floats of {@code B} per k-block: 256 KiB, a quarter of a typical L2. */
    private static final int BLOCK_FLOATS = 64 * 1024;
    /** Tile edge of the cache-friendly transpose. */
    private static final int TILE = 32;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

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
        if (m == 0 || n == 0 || k == 0) {
            return;
        }
        Scratch s = SCRATCH.get();
        s.ensureGather(k);
        int[] idx = s.idx;
        float[] val = s.val;
        int kc = blockK(k, n);
        for (int p0 = 0; p0 < k; p0 += kc) {
            int p1 = Math.min(k, p0 + kc);
            for (int i = 0; i < m; i++) {
                int ai = aOff + i * k;
                int cnt = 0;
                for (int p = p0; p < p1; p++) {
                    float x = a[ai + p];
                    if (x != 0f) {
                        idx[cnt] = bOff + p * n;
                        val[cnt] = x;
                        cnt++;
                    }
                }
                axpyRows(c, cOff + i * n, n, b, idx, val, cnt);
            }
        }
    }

    @Override
    public void gemmNT(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                       boolean accumulate) {
        if (m == 0 || n == 0 || k == 0) {
            if (!accumulate) {
                Arrays.fill(c, cOff, cOff + m * n, 0f);
            }
            return;
        }
        // A dot-product kernel cannot be vectorised without reordering its sums; a transposed copy of B
        // (k x n) turns the product into the vectorised axpy form with the same summation order.
        Scratch s = SCRATCH.get();
        float[] bt = s.transposeBuffer(k * n);
        transpose(b, bOff, n, k, bt);
        gemm(m, n, k, a, aOff, bt, 0, c, cOff, accumulate);
    }

    @Override
    public void gemmTN(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                       boolean accumulate) {
        if (!accumulate) {
            Arrays.fill(c, cOff, cOff + m * n, 0f);
        }
        if (m == 0 || n == 0 || k == 0) {
            return;
        }
        Scratch s = SCRATCH.get();
        s.ensureGather(k);
        int[] idx = s.idx;
        float[] val = s.val;
        int kc = blockK(k, n);
        // Row r of C gathers column r of A (stride m); each row of C stays in L1 while it is accumulated.
        for (int p0 = 0; p0 < k; p0 += kc) {
            int p1 = Math.min(k, p0 + kc);
            for (int r = 0; r < m; r++) {
                int cnt = 0;
                for (int p = p0; p < p1; p++) {
                    float x = a[aOff + p * m + r];
                    if (x != 0f) {
                        idx[cnt] = bOff + p * n;
                        val[cnt] = x;
                        cnt++;
                    }
                }
                axpyRows(c, cOff + r * n, n, b, idx, val, cnt);
            }
        }
    }

    /** The k-block length: a multiple of 4 whose block of B (kc x n floats) fits the L2 budget. */
    private static int blockK(int k, int n) {
        int kc = Math.max(16, (BLOCK_FLOATS / Math.max(1, n)) & ~3);
        return Math.min(k, kc);
    }

    /**
     * {@code c[ci + j] += val[q] * b[idx[q] + j]} for q ascending, four at a time; the parentheses keep the
     * sequential order of the sums.
     */
    static void axpyRows(float[] c, int ci, int n, float[] b, int[] idx, float[] val, int cnt) {
        int q = 0;
        for (; q + 4 <= cnt; q += 4) {
            float x0 = val[q];
            float x1 = val[q + 1];
            float x2 = val[q + 2];
            float x3 = val[q + 3];
            int b0 = idx[q];
            int b1 = idx[q + 1];
            int b2 = idx[q + 2];
            int b3 = idx[q + 3];
            for (int j = 0; j < n; j++) {
                c[ci + j] = (((c[ci + j] + x0 * b[b0 + j]) + x1 * b[b1 + j]) + x2 * b[b2 + j]) + x3 * b[b3 + j];
            }
        }
        for (; q < cnt; q++) {
            float x = val[q];
            int bp = idx[q];
            for (int j = 0; j < n; j++) {
                c[ci + j] += x * b[bp + j];
            }
        }
    }

    /** Writes the transpose of {@code src} (rows x cols, row-major, at {@code off}) into {@code dst} (cols x rows). */
    static void transpose(float[] src, int off, int rows, int cols, float[] dst) {
        for (int r0 = 0; r0 < rows; r0 += TILE) {
            int r1 = Math.min(rows, r0 + TILE);
            for (int c0 = 0; c0 < cols; c0 += TILE) {
                int c1 = Math.min(cols, c0 + TILE);
                for (int r = r0; r < r1; r++) {
                    int s = off + r * cols;
                    for (int col = c0; col < c1; col++) {
                        dst[col * rows + r] = src[s + col];
                    }
                }
            }
        }
    }

    /** Per-thread scratch buffers. */
    private static final class Scratch {
        int[] idx = new int[0];
        float[] val = new float[0];
        float[] transposed = new float[0];

        void ensureGather(int k) {
            if (idx.length < k) {
                idx = new int[k];
                val = new float[k];
            }
        }

        float[] transposeBuffer(int size) {
            if (transposed.length < size) {
                transposed = new float[size];
            }
            return transposed;
        }
    }
}
