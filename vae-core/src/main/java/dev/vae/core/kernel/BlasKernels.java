package dev.vae.core.kernel;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Training kernels backed by a native BLAS (OpenBLAS through the JNI binding {@code dev.ludovic.netlib:blas}),
 * with the portable {@link JavaKernels} for products too small to repay a native call.
 *
 * <p>OpenBLAS picks its micro-kernels and blocking from the matrix shape, so the value of a row of {@code C}
 * changes with the number of rows (measured: most batch sizes from 1 to 300 give different bits for the same
 * row). These kernels therefore do not meet the row-independence contract of {@link MatrixKernels} and are
 * only reached through {@link MatrixKernels#forTraining()}, where the same shapes in the same order give the
 * same bits (for a given OpenBLAS thread count), which is the determinism training needs. Scoring never uses them.
 *
 * <p>Row-major products map onto column-major BLAS by computing {@code C^T = B^T A^T}: no copies.
 */
final class BlasKernels implements MatrixKernels {

    /** Products with fewer multiply-adds than this stay in Java: a JNI call costs about a microsecond. */
    static final long MIN_NATIVE_WORK = 16L * 1024;

    // Kept in a field: java.util.logging holds loggers weakly, and the level must survive until the probe ran.
    private static final Logger NETLIB_LOG = Logger.getLogger("dev.ludovic.netlib.blas");

    private final BLAS blas;
    private final String library;
    private final int threads;

    private BlasKernels(BLAS blas, String library, int threads) {
        this.blas = blas;
        this.library = library;
        this.threads = threads;
    }

    /**
     * Loads the native BLAS when it is OpenBLAS (the reference BLAS is slower than {@link JavaKernels} and is
     * ignored); returns null when none is usable. Never throws.
     */
    static @Nullable BlasKernels load() {
        Level previous = NETLIB_LOG.getLevel();
        // netlib logs a warning for every implementation it fails to load; the fallback is expected, not news.
        NETLIB_LOG.setLevel(Level.OFF);
        try {
            NativeBLAS nativeBlas = NativeBLAS.getInstance();
            String library = mappedBlasLibrary();
            if (library == null) {
                return null;
            }
            return new BlasKernels(nativeBlas, library, libraryThreads(library, System.getenv(),
                    Runtime.getRuntime().availableProcessors()));
        } catch (RuntimeException | LinkageError e) {
            return null;
        } finally {
            NETLIB_LOG.setLevel(previous);
        }
    }

    /** The optimised BLAS mapped into this process ({@code openblas}, {@code mkl} or {@code blis}), or null. */
    private static @Nullable String mappedBlasLibrary() {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return null;
        }
        try {
            String text = Files.readString(maps, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
            for (String name : new String[] {"openblas", "mkl", "blis"}) {
                if (text.contains("lib" + name) || text.contains("/" + name)) {
                    return name;
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public String name() {
        return library;
    }

    @Override
    public int threadsPerCall() {
        return threads;
    }

    /**
     * The threads the native library starts for each call, read as the library reads them at start-up: OpenBLAS
     * from {@code OPENBLAS_NUM_THREADS}, then {@code GOTO_NUM_THREADS}, then {@code OMP_NUM_THREADS}; MKL from
     * {@code MKL_NUM_THREADS}, then {@code OMP_NUM_THREADS}; BLIS from {@code BLIS_NUM_THREADS} (else 1). The first
     * positive value wins; none means one thread per processor (BLIS: one).
     */
    static int libraryThreads(String library, java.util.Map<String, String> env, int processors) {
        String[] names = switch (library) {
            case "openblas" -> new String[] {"OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"};
            case "mkl" -> new String[] {"MKL_NUM_THREADS", "OMP_NUM_THREADS"};
            default -> new String[] {"BLIS_NUM_THREADS"};
        };
        for (String name : names) {
            String value = env.get(name);
            if (value != null) {
                try {
                    int n = Integer.parseInt(value.trim());
                    if (n > 0) {
                        return Math.min(n, processors);
                    }
                } catch (NumberFormatException e) {
                    // The library ignores a value it cannot parse; so do we.
                }
            }
        }
        return library.equals("blis") ? 1 : Math.max(1, processors);
    }

    private static boolean small(int m, int n, int k) {
        return (long) m * n * k < MIN_NATIVE_WORK;
    }

    @Override
    public void gemm(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                     boolean accumulate) {
        if (small(m, n, k)) {
            JavaKernels.INSTANCE.gemm(m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
        } else {
            sgemm(false, false, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
        }
    }

    @Override
    public void gemmNT(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                       boolean accumulate) {
        if (small(m, n, k)) {
            JavaKernels.INSTANCE.gemmNT(m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
        } else {
            sgemm(false, true, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
        }
    }

    @Override
    public void gemmTN(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                       boolean accumulate) {
        if (small(m, n, k)) {
            JavaKernels.INSTANCE.gemmTN(m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
        } else {
            sgemm(true, false, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
        }
    }

    /**
     * Row-major {@code C[m x n] = (C +) op(A) op(B)} as the column-major {@code C^T = op(B)^T op(A)^T}, with no
     * copies. A is stored k x m when {@code aTransposed} (else m x k), B n x k when {@code bTransposed} (else k x n).
     */
    private void sgemm(boolean aTransposed, boolean bTransposed, int m, int n, int k, float[] a, int aOff, float[] b,
                       int bOff, float[] c, int cOff, boolean accumulate) {
        blas.sgemm(bTransposed ? "T" : "N", aTransposed ? "T" : "N", n, m, k, 1f, b, bOff, bTransposed ? k : n, a, aOff,
                aTransposed ? m : k, accumulate ? 1f : 0f, c, cOff, n);
    }
}
