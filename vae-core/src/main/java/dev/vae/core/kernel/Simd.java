package dev.vae.core.kernel;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Finds the vectorised {@link ElementKernels}, once per JVM.
 *
 * <p>They are written with the JDK's Vector API, which JDK 17 to 25 ship as the incubator module
 * {@code jdk.incubator.vector}: it is used only when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (the {@code vae} script, the benchmarks and the tests do so) and the
 * machine's preferred vector holds at least four floats. Otherwise the likelihoods and activations run their scalar
 * code, which is slower (a Bernoulli row of 784 pixels: about 17 against 1.6 us, measured) but gives the same
 * results within float rounding. The system property {@code vae.simd=off} turns the vector kernels off (for
 * comparisons, or for bit-identical scores across JVMs started with and without the module).
 */
public final class Simd {

    /** The system property that turns the vector kernels off: {@code off} or {@code auto} (the default). */
    public static final String PROPERTY = "vae.simd";
    /** The module that holds the Vector API. */
    public static final String MODULE = "jdk.incubator.vector";

    private static final String IMPLEMENTATION = "dev.vae.core.kernel.simd.VectorElementKernels";

    private Simd() {
    }

    /** The vectorised kernels, or null when this JVM cannot run them (see {@link #describe()}). */
    public static @Nullable ElementKernels kernels() {
        return Holder.LOADED.kernels();
    }

    /** The kernels in use and, when there are none, why, e.g. {@code simd-256} or {@code off (...)}. */
    public static String describe() {
        ElementKernels k = Holder.LOADED.kernels();
        return k != null ? k.name() : "off (" + Holder.LOADED.reason() + ")";
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
                return k == null ? new Loaded(null, "the preferred vector holds fewer than 4 floats")
                        : new Loaded((ElementKernels) k, "");
            } catch (ReflectiveOperationException | LinkageError e) {
                return new Loaded(null, "cannot load the Vector API kernels: " + e);
            }
        }
    }
}
