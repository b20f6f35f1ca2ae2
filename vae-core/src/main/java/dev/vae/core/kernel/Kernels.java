package dev.vae.core.kernel;

import java.util.Locale;

/**
 * Chooses the kernel backend once per JVM.
 *
 * <p>Scoring and evaluation always run the portable, batch-independent {@link JavaKernels}. When a native
 * OpenBLAS is installed (Debian's {@code libopenblas0}) and loads through the JNI binding, training steps use it
 * for products large enough to repay a native call: {@link #best()} is then named {@code java+openblas}. The
 * system property {@code vae.kernels=java} forces the portable kernels everywhere (for comparisons, or to make
 * training bit-identical across machines with different BLAS installations).
 */
public final class Kernels {

    /** The system property that forces a backend: {@code java} or {@code auto} (the default). */
    public static final String PROPERTY = "vae.kernels";

    private Kernels() {
    }

    /** The best backend available on this machine; its {@link MatrixKernels#forTraining()} may be native. */
    public static MatrixKernels best() {
        return Holder.BEST;
    }

    /** The portable kernels, available everywhere. */
    public static MatrixKernels portable() {
        return JavaKernels.INSTANCE;
    }

    private static final class Holder {
        static final MatrixKernels BEST = choose();

        private static MatrixKernels choose() {
            String wanted = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
            if (wanted.equals("java")) {
                return JavaKernels.INSTANCE;
            }
            if (!wanted.equals("auto")) {
                throw new IllegalArgumentException("Invalid " + PROPERTY + ": '" + wanted + "' (expected java or auto)");
            }
            BlasKernels blas = BlasKernels.load();
            return blas == null ? JavaKernels.INSTANCE : new TrainingNativeKernels(blas);
        }
    }

    /** Java kernels for everything row-independent; native kernels for training steps. */
    private static final class TrainingNativeKernels implements MatrixKernels {
        private final BlasKernels training;
        private final String name;

        TrainingNativeKernels(BlasKernels training) {
            this.training = training;
            this.name = "java+" + training.name();
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void gemm(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                         boolean accumulate) {
            JavaKernels.INSTANCE.gemm(m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
        }

        @Override
        public void gemmNT(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                           boolean accumulate) {
            JavaKernels.INSTANCE.gemmNT(m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
        }

        @Override
        public void gemmTN(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                           boolean accumulate) {
            JavaKernels.INSTANCE.gemmTN(m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
        }

        @Override
        public MatrixKernels forTraining() {
            return training;
        }

        @Override
        public int threadsPerCall() {
            return training.threadsPerCall();
        }
    }
}
