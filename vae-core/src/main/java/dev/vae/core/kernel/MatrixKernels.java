package dev.vae.core.kernel;

/**
 * Row-major single-precision matrix products on contiguous arrays.
 *
 * <p>Each method writes {@code C} (or adds to it when {@code accumulate} is true). Implementations must be
 * thread-safe and must give each element of a row of {@code C} a value that does not depend on the other rows
 * of {@code A} (for {@link #gemm} and {@link #gemmNT}): scores must not depend on the batch a row is scored in.
 * The kernels returned by {@link #forTraining()} may relax that rule.
 */
public interface MatrixKernels {

    /** A short name for logs and benchmark reports, e.g. {@code java} or {@code java+openblas}. */
    String name();

    /** C[m x n] = (C +) A[m x k] * B[k x n]. */
    void gemm(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, boolean accumulate);

    /** C[m x n] = (C +) A[m x k] * B[n x k]^T. */
    void gemmNT(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, boolean accumulate);

    /** C[m x n] = (C +) A[k x m]^T * B[k x n]. */
    void gemmTN(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, boolean accumulate);

    /**
     * The kernels to use for training steps (forward and backward passes of a minibatch). They must be
     * deterministic for given shapes, but a row's result may depend on the number of rows (a native BLAS picks
     * its blocking from the shape). By default these kernels themselves.
     */
    default MatrixKernels forTraining() {
        return this;
    }

    /**
     * Threads that each call of these kernels may run on by itself (a multi-threaded native BLAS); 1 for kernels
     * that compute on the calling thread. A caller that splits work across its own threads should not also let
     * a multi-threaded BLAS spin on the same cores: measured on 2 cores, two trainer threads over a 2-thread
     * OpenBLAS train MNIST 3.2x slower than over a 1-thread one.
     */
    default int threadsPerCall() {
        return 1;
    }
}
