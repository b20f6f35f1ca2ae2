package dev.vae.core.kernel;

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
        Gather g = GATHER.get();
        g.ensure(k);
        for (int j = 0; j < n; j++) {
            float[] col = out[j];
            java.util.Arrays.fill(col, 0, m, params[biasOff + j]);
            int cnt = 0;
            for (int p = 0; p < k; p++) {
                float w = params[wOff + p * n + j];
                if (w != 0f) {
                    g.idx[cnt] = p;
                    g.val[cnt] = w;
                    cnt++;
                }
            }
            JavaKernels.axpyVectors(col, m, in, g.idx, g.val, cnt);
        }
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
