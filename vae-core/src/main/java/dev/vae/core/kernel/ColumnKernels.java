package dev.vae.core.kernel;

import java.util.Arrays;

/**
 * Dense layers on a batch held in column layout: one array per feature, one element per row, so that the
 * vectorised loops of {@link JavaKernels} run along the batch. For inference on narrow networks (a tabular
 * model's layers are 8 to 64 wide): a row is too short for a vector loop, a batch of 256 rows is not, and keeping
 * the whole forward pass in this layout needs one transpose in and one out instead of two per layer.
 *
 * <p>Each output is {@code bias + sum_p w_p * a_p} summed in ascending p, exactly as the row-wise
 * {@link MatrixKernels#gemm} computes it from a bias start, so the bits are the same as those of the row path (see
 * {@link JavaKernels} for why skipping zero weights instead of zero inputs changes none). Stateless; scratch space
 * is per thread.
 */
public final class ColumnKernels {

    private static final ThreadLocal<Gather> GATHER = ThreadLocal.withInitial(Gather::new);

    private ColumnKernels() {
    }

    /** Copies {@code m} row-major rows of width {@code k} (at {@code off}) into {@code k} columns of {@code cols}. */
    public static void toColumns(float[] rows, int off, int m, int k, float[][] cols) {
        for (int p = 0; p < k; p++) {
            float[] col = cols[p];
            for (int i = 0, src = off + p; i < m; i++, src += k) {
                col[i] = rows[src];
            }
        }
    }

    /** Copies the first {@code m} entries of {@code n} columns into row-major rows of width {@code n} at {@code off}. */
    public static void fromColumns(float[][] cols, int m, int n, float[] rows, int off) {
        for (int j = 0; j < n; j++) {
            float[] col = cols[j];
            for (int i = 0, dst = off + j; i < m; i++, dst += n) {
                rows[dst] = col[i];
            }
        }
    }

    /**
     * {@code out[j][i] = bias[j] + sum_p w[p, j] * in[p][i]} for {@code i < m, j < n, p < k}, where
     * {@code w[p, j] = params[wOff + p * n + j]} (row-major [k x n]) and {@code bias[j] = params[biasOff + j]}.
     */
    public static void dense(int m, int n, int k, float[][] in, float[] params, int wOff, int biasOff, float[][] out) {
        for (int j = 0; j < n; j++) {
            Arrays.fill(out[j], 0, m, params[biasOff + j]);
        }
        accumulate(m, n, k, in, params, wOff, out);
    }

    /**
     * {@code out[j][i] += sum_p w[p, j] * in[p][i]} for {@code i < m, j < n, p < k}, where
     * {@code w[p, j] = params[wOff + p * n + j]} (row-major [k x n]), each sum added in ascending p.
     */
    public static void accumulate(int m, int n, int k, float[][] in, float[] params, int wOff, float[][] out) {
        int j = 0;
        // Four outputs at a time: each input vector loaded once serves four sums (a register block). Zero weights
        // are multiplied here rather than skipped; a zero product leaves a sum's bits as they are (see above).
        for (; j + 4 <= n; j += 4) {
            float[] c0 = out[j];
            float[] c1 = out[j + 1];
            float[] c2 = out[j + 2];
            float[] c3 = out[j + 3];
            int p = 0;
            for (; p + 2 <= k; p += 2) {
                int w0 = wOff + p * n + j;
                int w1 = w0 + n;
                block4x2(m, c0, c1, c2, c3, in[p], in[p + 1], params[w0], params[w0 + 1], params[w0 + 2],
                        params[w0 + 3], params[w1], params[w1 + 1], params[w1 + 2], params[w1 + 3]);
            }
            for (; p < k; p++) {
                int w0 = wOff + p * n + j;
                block4x1(m, c0, c1, c2, c3, in[p], params[w0], params[w0 + 1], params[w0 + 2], params[w0 + 3]);
            }
        }
        if (j < n) {
            // Kept out of line: inlined here, this loop kept C2 (JDK 17) from vectorising the blocks above
            // (measured: 2.8 against 15 GMAC/s for a 30 x 64 layer of 256 rows).
            remainingColumns(m, n, k, j, in, params, wOff, out);
        }
    }

    /** Output columns {@code [j, n)} one at a time, over their non-zero weights: the tail of {@link #accumulate}. */
    private static void remainingColumns(int m, int n, int k, int j, float[][] in, float[] params, int wOff,
                                         float[][] out) {
        Gather g = GATHER.get();
        g.ensure(k);
        for (; j < n; j++) {
            int cnt = 0;
            for (int p = 0; p < k; p++) {
                float w = params[wOff + p * n + j];
                if (w != 0f) {
                    g.idx[cnt] = p;
                    g.val[cnt] = w;
                    cnt++;
                }
            }
            JavaKernels.axpyVectors(out[j], m, in, g.idx, g.val, cnt);
        }
    }

    /**
     * Four sums, two inputs: {@code c_r += w_0r a_0 + w_1r a_1}, added in that order, by the element kernels (the
     * Vector API's when the JVM has them; every implementation gives the plain loop's bits). All vectors start at 0.
     */
    private static void block4x2(int m, float[] c0, float[] c1, float[] c2, float[] c3, float[] a0, float[] a1,
                                 float w00, float w01, float w02, float w03, float w10, float w11, float w12,
                                 float w13) {
        Simd.elements().block4x2(m, c0, c1, c2, c3, a0, a1, w00, w01, w02, w03, w10, w11, w12, w13);
    }

    private static void block4x1(int m, float[] c0, float[] c1, float[] c2, float[] c3, float[] a0, float w0,
                                 float w1, float w2, float w3) {
        Simd.elements().block4x1(m, c0, c1, c2, c3, a0, w0, w1, w2, w3);
    }

    /** Gathered non-zero weights of one output column. */
    private static final class Gather {
        int[] idx = new int[0];
        float[] val = new float[0];

        void ensure(int k) {
            if (idx.length < k) {
                idx = new int[k];
                val = new float[k];
            }
        }
    }
}
