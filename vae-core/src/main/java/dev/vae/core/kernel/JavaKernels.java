package dev.vae.core.kernel;

import java.util.Arrays;

/**
 * Portable kernels in plain Java, written so that HotSpot vectorises the inner loops.
 *
 * <p>Every product is computed in the "axpy" form {@code c[:] += x * b[:]} along contiguous vectors. HotSpot's
 * C2 (up to JDK 21 at least) vectorises such a loop only when every array in it is indexed from the same offset;
 * {@code c[ci + j] += x * b[bi + j]} with two unrelated offsets stays scalar (measured on this machine: 2.2 versus
 * 13 GMAC/s). So whenever a product is large enough to repay a copy, the vectors it reads and writes are first
 * copied into per-thread row arrays that all start at 0:
 * <ul>
 *   <li><b>by columns</b> (at least {@value #COLUMN_MIN_ROWS} rows, at most {@value #COLUMN_MAX_WIDTH} outputs: the
 *       layers of tabular models): {@code C^T[j, :] += B[p, j] * A^T[p, :]}, vectors along the batch, so that
 *       narrow layers still get long vectors;</li>
 *   <li><b>by rows</b> (at least {@value #COPY_MIN_ROWS} rows: wide layers such as MNIST's): {@code C[i, :] +=
 *       A[i, p] * B[p, :]} over the non-zero {@code A[i, p]} only (ReLU outputs and blank pixels are often more
 *       than half zeros), with the rows of B copied once per call;</li>
 *   <li><b>in place</b> (fewer rows: single-row scoring), the same sums without copies, where a copy of B would
 *       cost as much as the product.</li>
 * </ul>
 * Coefficients are consumed four at a time, so each element of C is loaded and stored once per four
 * multiply-adds.
 *
 * <p>Order of summation: each element of {@code C} is the sequence {@code c = c + a_p * b_p} (a rounded product
 * then a rounded sum; Java never fuses them) over p ascending, whatever the path, the blocking and the number of
 * rows. Paths differ only in which zero products they skip (the row path skips zero {@code a_p}, the column path
 * some zero {@code b_p}), and adding a zero product changes a sum only when the sum is a negative zero, which a sum starting from
 * zero or from a model's finite bias never is (x + (-x) rounds to +0). A row's result is therefore bit-identical
 * whether it is computed alone or inside a batch of any size, on any thread. {@code k} is split into blocks so
 * that the block of {@code B} in use stays in the core's L2 cache; blocking keeps the order because {@code C}
 * carries the running sum.
 *
 * <p>Scratch space lives in a per-thread buffer that grows on demand, so the steady state allocates nothing.
 */
public final class JavaKernels implements MatrixKernels {

    /** The shared instance: the class holds no shared mutable state. */
    public static final JavaKernels INSTANCE = new JavaKernels();

    /** Products with at least this many rows and at most {@link #COLUMN_MAX_WIDTH} outputs run by columns. */
    static final int COLUMN_MIN_ROWS = 16;
    /** Output widths up to this run by columns in batches (wider rows make long enough vectors themselves). */
    static final int COLUMN_MAX_WIDTH = 96;
    /** Products with at least this many rows copy B into row arrays; fewer rows work in place. */
    static final int COPY_MIN_ROWS = 8;

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
        if (!startProduct(m, n, k, c, cOff, accumulate)) {
            return;
        }
        if (m >= COLUMN_MIN_ROWS && n <= COLUMN_MAX_WIDTH) {
            gemmByColumns(m, n, k, a, aOff, b, bOff, c, cOff);
        } else {
            // Row i of C gathers row i of A (stride 1).
            gemmByRows(m, n, k, a, aOff, k, 1, b, bOff, c, cOff);
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
        transpose(b, bOff, n, k, bt, 0);
        gemm(m, n, k, a, aOff, bt, 0, c, cOff, accumulate);
    }

    @Override
    public void gemmTN(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                       boolean accumulate) {
        if (!startProduct(m, n, k, c, cOff, accumulate)) {
            return;
        }
        // Row r of C gathers column r of A (stride m).
        gemmByRows(m, n, k, a, aOff, 1, m, b, bOff, c, cOff);
    }

    /**
     * Starts a product into {@code C[m x n]}: clears it unless the product accumulates; false when a dimension is 0,
     * so that there is nothing to add.
     */
    private static boolean startProduct(int m, int n, int k, float[] c, int cOff, boolean accumulate) {
        if (!accumulate) {
            Arrays.fill(c, cOff, cOff + m * n, 0f);
        }
        return m != 0 && n != 0 && k != 0;
    }

    /**
     * {@code C[i, :] += sum_p A(i, p) B[p, :]} where {@code A(i, p) = a[aOff + i * rowStride + p * pStride]}: row i of
     * C takes the non-zero coefficients of its row (or column) of A in ascending p.
     */
    private static void gemmByRows(int m, int n, int k, float[] a, int aOff, int rowStride, int pStride, float[] b,
                                   int bOff, float[] c, int cOff) {
        Scratch s = SCRATCH.get();
        s.ensureGather(k);
        int kc = blockK(k, n);
        if (m < COPY_MIN_ROWS) {
            for (int i = 0; i < m; i++) {
                int cnt = gather(a, aOff + i * rowStride, pStride, 0, k, s);
                axpyInPlace(c, cOff + i * n, n, b, bOff, s.idx, s.val, cnt);
            }
            return;
        }
        float[][] rows = s.rows(Math.min(k, kc), n);
        for (int p0 = 0; p0 < k; p0 += kc) {
            int p1 = Math.min(k, p0 + kc);
            for (int p = p0; p < p1; p++) {
                System.arraycopy(b, bOff + p * n, rows[p - p0], 0, n);
            }
            rowsBlock(m, n, a, aOff, rowStride, pStride, p0, p1, rows, p0, c, cOff, s);
        }
    }

    /**
     * For each of the m rows of C, adds the products of its coefficients of A with p in {@code [p0, p1)}, where
     * B's row p is {@code rows[p - rowBase]}: one k-block of the row path.
     */
    private static void rowsBlock(int m, int n, float[] a, int aOff, int rowStride, int pStride, int p0, int p1,
                                  float[][] rows, int rowBase, float[] c, int cOff, Scratch s) {
        float[] crow = s.outputRow(n);
        for (int i = 0; i < m; i++) {
            int cnt = gather(a, aOff + i * rowStride, pStride, p0, p1, s);
            if (cnt == 0) {
                continue;
            }
            for (int q = 0; q < cnt; q++) {
                s.idx[q] -= rowBase;
            }
            System.arraycopy(c, cOff + i * n, crow, 0, n);
            axpyVectors(crow, n, rows, s.idx, s.val, cnt);
            System.arraycopy(crow, 0, c, cOff + i * n, n);
        }
    }

    /** Gathers the non-zero {@code a[ai + p * pStride]}, p in {@code [p0, p1)}, into the scratch; returns how many. */
    private static int gather(float[] a, int ai, int pStride, int p0, int p1, Scratch s) {
        int[] idx = s.idx;
        float[] val = s.val;
        int cnt = 0;
        for (int p = p0; p < p1; p++) {
            float x = a[ai + p * pStride];
            // Without a branch: ReLU outputs are zero about half the time in no pattern a predictor can learn
            // (measured: the branching loop was 17% of MNIST batch scoring). Every p is written; the count moves on
            // only past a non-zero (NaN included), exactly where x != 0f holds.
            idx[cnt] = p;
            val[cnt] = x;
            int magnitude = Float.floatToRawIntBits(x) & 0x7fffffff;
            cnt += (magnitude | -magnitude) >>> 31;
        }
        return cnt;
    }

    /**
     * {@code C[m x n] += A[m x k] W} for a weight matrix already split into its {@code k} rows of {@code n} floats
     * (an immutable model keeps them so): the row path without copying B, for single rows and small batches. Same
     * bits as {@link #gemm}.
     */
    public static void gemmPrepared(int m, int n, int k, float[] a, int aOff, float[][] wRows, float[] c, int cOff) {
        Scratch s = SCRATCH.get();
        s.ensureGather(k);
        int kc = blockK(k, n);
        for (int p0 = 0; p0 < k; p0 += kc) {
            rowsBlock(m, n, a, aOff, k, 1, p0, Math.min(k, p0 + kc), wRows, 0, c, cOff, s);
        }
    }

    /**
     * {@code C += A B} computed on transposed copies, {@code C^T[j, :] += B[p, j] * A^T[p, :]}, by
     * {@link ColumnKernels#accumulate}: the vectors run along the m rows, long even when a layer is narrow.
     */
    private static void gemmByColumns(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c,
                                      int cOff) {
        Scratch s = SCRATCH.get();
        float[][] at = s.rows(k, m);
        float[][] ct = s.outputRows(n, m);
        ColumnKernels.toColumns(a, aOff, m, k, at);
        ColumnKernels.toColumns(c, cOff, m, n, ct);
        ColumnKernels.accumulate(m, n, k, at, b, bOff, ct);
        ColumnKernels.fromColumns(ct, m, n, c, cOff);
    }

    /** The k-block length: a multiple of 4 whose block of B (kc x n floats) fits the L2 budget. */
    private static int blockK(int k, int n) {
        int kc = Math.max(16, (BLOCK_FLOATS / Math.max(1, n)) & ~3);
        return Math.min(k, kc);
    }

    /** {@code c[0, n) += val[q] * rows[idx[q]][0, n)} for q ascending, four at a time. */
    static void axpyVectors(float[] c, int n, float[][] rows, int[] idx, float[] val, int cnt) {
        int q = 0;
        for (; q + 4 <= cnt; q += 4) {
            axpy4(c, n, rows[idx[q]], rows[idx[q + 1]], rows[idx[q + 2]], rows[idx[q + 3]], val[q], val[q + 1],
                    val[q + 2], val[q + 3]);
        }
        for (; q < cnt; q++) {
            axpy1(c, n, rows[idx[q]], val[q]);
        }
    }

    /**
     * Four axpys in one pass; the parentheses keep the sequential order of the sums. All vectors start at 0. The
     * element kernels run it: the Vector API's when the JVM has them, the same sums not left to C2's auto-vectoriser,
     * which on JDK 17 vectorises these loops in some JVM runs and not in others (measured: a tabular batch scored at
     * 0.45M or 1.4M rows a second on one core, from run to run of the same build).
     */
    private static void axpy4(float[] c, int n, float[] b0, float[] b1, float[] b2, float[] b3, float x0, float x1,
                              float x2, float x3) {
        Simd.elements().axpy4(c, n, b0, b1, b2, b3, x0, x1, x2, x3);
    }

    private static void axpy1(float[] c, int n, float[] b, float x) {
        Simd.elements().axpy1(c, n, b, x);
    }

    /** {@code c[ci + j] += val[q] * b[bOff + idx[q] * n + j]}, in place, in the same order as {@link #axpyVectors}. */
    private static void axpyInPlace(float[] c, int ci, int n, float[] b, int bOff, int[] idx, float[] val, int cnt) {
        int q = 0;
        for (; q + 4 <= cnt; q += 4) {
            float x0 = val[q];
            float x1 = val[q + 1];
            float x2 = val[q + 2];
            float x3 = val[q + 3];
            int b0 = bOff + idx[q] * n;
            int b1 = bOff + idx[q + 1] * n;
            int b2 = bOff + idx[q + 2] * n;
            int b3 = bOff + idx[q + 3] * n;
            for (int j = 0; j < n; j++) {
                c[ci + j] = (((c[ci + j] + x0 * b[b0 + j]) + x1 * b[b1 + j]) + x2 * b[b2 + j]) + x3 * b[b3 + j];
            }
        }
        for (; q < cnt; q++) {
            float x = val[q];
            int bp = bOff + idx[q] * n;
            for (int j = 0; j < n; j++) {
                c[ci + j] = c[ci + j] + x * b[bp + j];
            }
        }
    }

    /**
     * Writes the transpose of {@code src} (rows x cols, row-major, at {@code off}) into {@code dst} (cols x rows, at
     * {@code dstOff}).
     */
    static void transpose(float[] src, int off, int rows, int cols, float[] dst, int dstOff) {
        for (int r0 = 0; r0 < rows; r0 += TILE) {
            int r1 = Math.min(rows, r0 + TILE);
            for (int c0 = 0; c0 < cols; c0 += TILE) {
                int c1 = Math.min(cols, c0 + TILE);
                for (int r = r0; r < r1; r++) {
                    int s = off + r * cols;
                    for (int col = c0; col < c1; col++) {
                        dst[dstOff + col * rows + r] = src[s + col];
                    }
                }
            }
        }
    }

    /** Per-thread scratch buffers; each grows to the largest request and is then reused. */
    private static final class Scratch {
        int[] idx = new int[0];
        float[] val = new float[0];
        float[] transposed = new float[0];
        float[][] rows = new float[0][0];
        float[][] outputRows = new float[0][0];
        float[] outputRow = new float[0];

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

        /** At least {@code count} row arrays of at least {@code width} floats (for B's rows or A's columns). */
        float[][] rows(int count, int width) {
            rows = grow(rows, count, width);
            return rows;
        }

        /** Row arrays for the outputs: apart from {@link #rows}, since a kernel reads those while writing these. */
        float[][] outputRows(int count, int width) {
            outputRows = grow(outputRows, count, width);
            return outputRows;
        }

        float[] outputRow(int width) {
            if (outputRow.length < width) {
                outputRow = new float[width];
            }
            return outputRow;
        }

        private static float[][] grow(float[][] have, int count, int width) {
            if (have.length >= count && (count == 0 || have[0].length >= width)) {
                return have;
            }
            int w = Math.max(width, have.length == 0 ? 0 : have[0].length);
            float[][] r = new float[Math.max(count, have.length)][w];
            return r;
        }
    }
}
