package dev.vae.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.kernel.simd.VectorElementKernels;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Test access to the element kernels: runs code with the scalar or the vector kernels in use (through
 * {@link Simd#select}), and loads the Vector API kernels at a chosen width in the same JVM.
 *
 * <p>The vector width is a {@code static final} of {@link VectorElementKernels} (C2 needs the species as constants),
 * fixed when the class loads from {@value VectorElementKernels#BITS_PROPERTY}. To run 256-bit and 512-bit kernels
 * side by side, {@link #vector(int)} loads the {@code kernel.simd} package a second time, in a class loader of its
 * own, with the property set for the duration of its initialisation. The Vector API runs a species wider than the
 * CPU's in Java, slower but with the same lane semantics, so both widths run on any machine.
 */
public final class KernelSelection {

    private static final String SIMD_PACKAGE = "dev.vae.core.kernel.simd.";
    private static final Map<Integer, ElementKernels> BY_WIDTH = new ConcurrentHashMap<>();

    private KernelSelection() {
    }

    /** The scalar reference kernels. */
    public static ElementKernels scalar() {
        return ScalarElementKernels.INSTANCE;
    }

    /** The Vector API kernels this JVM loaded; fails (rather than skips) when the test JVM cannot run them. */
    public static ElementKernels vector() {
        ElementKernels k = Simd.kernels();
        assertThat(k).as("the tests run with --add-modules jdk.incubator.vector: %s", Simd.describe()).isNotNull();
        return k;
    }

    /** The Vector API kernels at {@code bits} (256 or 512) bits, whatever the CPU prefers. */
    public static ElementKernels vector(int bits) {
        vector();
        return BY_WIDTH.computeIfAbsent(bits, KernelSelection::load);
    }

    /** Scalar, 256-bit and 512-bit kernels: every path a score can take. */
    public static List<ElementKernels> all() {
        return List.of(scalar(), vector(256), vector(512));
    }

    private static ElementKernels load(int bits) {
        URL classes = VectorElementKernels.class.getProtectionDomain().getCodeSource().getLocation();
        ClassLoader loader = new URLClassLoader(new URL[] {classes}, KernelSelection.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (!name.startsWith(SIMD_PACKAGE)) {
                    return super.loadClass(name, resolve);
                }
                // Child first for the simd package only: the interfaces stay the test's own.
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    if (c == null) {
                        c = findClass(name);
                    }
                    if (resolve) {
                        resolveClass(c);
                    }
                    return c;
                }
            }
        };
        String previous = System.getProperty(VectorElementKernels.BITS_PROPERTY);
        System.setProperty(VectorElementKernels.BITS_PROPERTY, Integer.toString(bits));
        try {
            Class<?> c = Class.forName(VectorElementKernels.class.getName(), true, loader);
            assertThat(c).isNotSameAs(VectorElementKernels.class);
            ElementKernels k = (ElementKernels) c.getMethod("create").invoke(null);
            assertThat(k).isNotNull();
            assertThat(k.name()).isEqualTo("simd-" + bits);
            return k;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot load the " + bits + "-bit kernels", e);
        } finally {
            if (previous == null) {
                System.clearProperty(VectorElementKernels.BITS_PROPERTY);
            } else {
                System.setProperty(VectorElementKernels.BITS_PROPERTY, previous);
            }
        }
    }

    /** Runs {@code body} with {@code kernels} in use by the likelihoods, activations and matrix kernels. */
    public static <T> T with(ElementKernels kernels, Supplier<T> body) {
        ElementKernels previous = Simd.select(kernels);
        try {
            return body.get();
        } finally {
            Simd.select(previous);
        }
    }

    /** Runs {@code body} with {@code kernels} in use. */
    public static void run(ElementKernels kernels, Runnable body) {
        with(kernels, () -> {
            body.run();
            return null;
        });
    }

    /** The kernels in use now. */
    public static ElementKernels current() {
        return Simd.elements();
    }

    /**
     * {@code kernels} with a count of the calls that went through them, so that a test can assert which path ran.
     */
    public static Counting counting(ElementKernels kernels) {
        return new Counting(kernels);
    }

    /** Delegating kernels that count their likelihood, activation and matrix-block calls. */
    public static final class Counting implements ElementKernels {
        private final ElementKernels target;
        private final AtomicLong likelihoodCalls = new AtomicLong();
        private final AtomicLong otherCalls = new AtomicLong();

        Counting(ElementKernels target) {
            this.target = target;
        }

        /** The kernels every call goes to. */
        public ElementKernels target() {
            return target;
        }

        /** Calls of the likelihood methods (values or gradients, and the Bernoulli's range test of a row). */
        public long likelihoodCalls() {
            return likelihoodCalls.get();
        }

        /** Calls of tanh, the exponentials and the matrix blocks. */
        public long otherCalls() {
            return otherCalls.get();
        }

        @Override
        public String name() {
            return target.name();
        }

        @Override
        public double bernoulli(float[] x, int xOff, float[] logits, int aOff, int d, double @Nullable [] terms,
                                int tOff) {
            likelihoodCalls.incrementAndGet();
            return target.bernoulli(x, xOff, logits, aOff, d, terms, tOff);
        }

        @Override
        public double bernoulliGradient(float[] x, int xOff, float[] logits, int aOff, int d, float scale,
                                        float[] grad, int gOff) {
            likelihoodCalls.incrementAndGet();
            return target.bernoulliGradient(x, xOff, logits, aOff, d, scale, grad, gOff);
        }

        @Override
        public double gaussian(float[] x, int xOff, float[] raw, int rawOff, int d, float bound,
                               double @Nullable [] terms, int tOff) {
            likelihoodCalls.incrementAndGet();
            return target.gaussian(x, xOff, raw, rawOff, d, bound, terms, tOff);
        }

        @Override
        public double gaussianGradient(float[] x, int xOff, float[] raw, int rawOff, int d, float bound, float scale,
                                       float[] grad, int gOff) {
            likelihoodCalls.incrementAndGet();
            return target.gaussianGradient(x, xOff, raw, rawOff, d, bound, scale, grad, gOff);
        }

        @Override
        public void tanh(float[] v, int off, int len) {
            otherCalls.incrementAndGet();
            target.tanh(v, off, len);
        }

        @Override
        public void tanh(double[] v, int off, int len) {
            otherCalls.incrementAndGet();
            target.tanh(v, off, len);
        }

        @Override
        public void strictExp(double[] v, int off, int len) {
            otherCalls.incrementAndGet();
            target.strictExp(v, off, len);
        }

        @Override
        public void strictLog1p(double[] v, int off, int len) {
            otherCalls.incrementAndGet();
            target.strictLog1p(v, off, len);
        }

        @Override
        public boolean allInUnitInterval(float[] x, int off, int len) {
            likelihoodCalls.incrementAndGet();
            return target.allInUnitInterval(x, off, len);
        }

        @Override
        public void block4x2(int m, float[] c0, float[] c1, float[] c2, float[] c3, float[] a0, float[] a1,
                             float w00, float w01, float w02, float w03, float w10, float w11, float w12, float w13) {
            otherCalls.incrementAndGet();
            target.block4x2(m, c0, c1, c2, c3, a0, a1, w00, w01, w02, w03, w10, w11, w12, w13);
        }

        @Override
        public void block4x1(int m, float[] c0, float[] c1, float[] c2, float[] c3, float[] a0, float w0, float w1,
                             float w2, float w3) {
            otherCalls.incrementAndGet();
            target.block4x1(m, c0, c1, c2, c3, a0, w0, w1, w2, w3);
        }

        @Override
        public void axpy4(float[] c, int n, float[] b0, float[] b1, float[] b2, float[] b3, float x0, float x1,
                          float x2, float x3) {
            otherCalls.incrementAndGet();
            target.axpy4(c, n, b0, b1, b2, b3, x0, x1, x2, x3);
        }

        @Override
        public void axpy1(float[] c, int n, float[] b, float x) {
            otherCalls.incrementAndGet();
            target.axpy1(c, n, b, x);
        }
    }
}
