package dev.vae.core.kernel;

/**
 * Chooses the kernel backend. Today the portable {@link JavaKernels}; faster backends register here.
 */
public final class Kernels {

    private Kernels() {
    }

    /** The best backend available on this machine. */
    public static MatrixKernels best() {
        return JavaKernels.INSTANCE;
    }
}
