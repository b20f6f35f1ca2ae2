package dev.vae.core.kernel;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Finds the vectorised {@link ElementKernels}, once per JVM, and holds the element kernels in use.
 *
 * <p>They are written with the JDK's Vector API, which JDK 17 to 25 ship as the incubator module
 * {@code jdk.incubator.vector}: it is used only when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (the {@code vae} script, the benchmarks and the tests do so) and the
 * machine's preferred vector holds at least eight floats. Otherwise the likelihoods and activations run
 * {@link ScalarElementKernels}, which are slower (a Bernoulli row of 784 pixels: several times) and give the
 * <b>same bits</b>: scores do not depend on the module, the flag or the vector width (see {@link ElementKernels}).
 * The system property {@code vae.simd=off} turns the vector kernels off (for comparisons).
 */
public final class Simd {

    /** The system property that turns the vector kernels off: {@code off} or {@code auto} (the default). */
    public static final String PROPERTY = "vae.simd";
    /** The module that holds the Vector API. */
    public static final String MODULE = "jdk.incubator.vector";

    private static final String IMPLEMENTATION = "dev.vae.core.kernel.simd.VectorElementKernels";

    /**
     * The kernels the likelihoods, activations and matrix blocks call: the vector ones when loaded, else the scalar
     * ones. Changed only by tests ({@link #select}), which run one kernel set after another in one JVM. Not volatile
     * (it is read per row): a test sets it on the thread that then runs the kernels or hands rows to
     * {@link RowParallel}'s executor, whose submission orders the write before the workers' reads.
     */
    private static ElementKernels active = initial();

    private Simd() {
    }

    private static ElementKernels initial() {
        ElementKernels vector = Holder.LOADED.kernels();
        return vector != null ? vector : ScalarElementKernels.INSTANCE;
    }

    /** The vectorised kernels, or null when this JVM cannot run them (see {@link #describe()}). */
    public static @Nullable ElementKernels kernels() {
        return Holder.LOADED.kernels();
    }

    /** The element kernels in use: the vectorised ones when this JVM can run them, else the scalar ones. */
    public static ElementKernels elements() {
        return active;
    }

    /**
     * Makes {@code kernels} the ones in use and returns the previous ones: for tests that run the scalar and the
     * vector paths in one JVM (dev.vae.core.kernel.KernelSelection in the test sources). Not for concurrent use.
     */
    static ElementKernels select(ElementKernels kernels) {
        ElementKernels previous = active;
        active = kernels;
        return previous;
    }

    /** The kernels in use and, when they are not vectorised, why, e.g. {@code simd-256} or {@code scalar (...)}. */
    public static String describe() {
        ElementKernels k = active;
        ElementKernels vector = Holder.LOADED.kernels();
        return k != ScalarElementKernels.INSTANCE || vector != null ? k.name()
                : k.name() + " (" + Holder.LOADED.reason() + ")";
    }

    /** The outcome of the one look-up: the kernels, or why there are none. */
    private record Loaded(@Nullable ElementKernels kernels, String reason) {
    }

    private static final class Holder {
        static final Loaded LOADED = load();

        private static Loaded load() {
            String wanted = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
            if (wanted.equals("off")) {
                return new Loaded(null, PROPERTY + "=off");
            }
            if (!wanted.equals("auto")) {
                throw new IllegalArgumentException("Invalid " + PROPERTY + ": '" + wanted + "' (expected off or auto)");
            }
            if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
                return new Loaded(null, "start java with --add-modules " + MODULE + " to enable");
            }
            try {
                Object k = Class.forName(IMPLEMENTATION).getMethod("create").invoke(null);
                return k == null ? new Loaded(null, "the preferred vector holds fewer than 8 floats")
                        : new Loaded((ElementKernels) k, "");
            } catch (ReflectiveOperationException | LinkageError e) {
                return new Loaded(null, "cannot load the Vector API kernels: " + e);
            }
        }
    }
}
