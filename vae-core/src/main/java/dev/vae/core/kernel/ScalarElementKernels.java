package dev.vae.core.kernel;

import org.jspecify.annotations.Nullable;

/**
 * {@link ElementKernels} in plain Java, one element at a time: the reference the Vector API kernels reproduce bit
 * for bit, and what runs when the JVM has no Vector API module (or {@code vae.simd=off}).
 *
 * <p>Each term is {@link FloatMath}'s float expression; a row's sum is the {@link ElementKernels#LANES} partial sums
 * of {@link ElementKernels} (feature j into partial {@code j mod 8}, in ascending j, in double), added in partial
 * order. The matrix blocks are the plain loops. Stateless and thread-safe.
 */
public final class ScalarElementKernels implements ElementKernels {

    /** The single instance. */
    public static final ScalarElementKernels INSTANCE = new ScalarElementKernels();

    private ScalarElementKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    /**
     * The row's sum from its partial sums, in the order every implementation uses. A partial that got no feature
     * adds +0, which changes no sum (a sum that starts at +0 is never -0).
     */
    private static double total(double[] partial) {
        double sum = partial[0];
        for (int i = 1; i < LANES; i++) {
            sum += partial[i];
        }
        return sum;
    }

    @Override
    public double bernoulli(float[] x, int xOff, float[] logits, int aOff, int d, double @Nullable [] terms,
                            int tOff) {
        double[] partial = new double[LANES];
        for (int j = 0; j < d; j++) {
            float a = logits[aOff + j];
            double term = FloatMath.bernoulliTerm(a, x[xOff + j], FloatMath.exp(-Math.abs(a)));
            partial[j & (LANES - 1)] += term;
            if (terms != null) {
                terms[tOff + j] = term;
            }
        }
        return total(partial);
    }

    @Override
    public double bernoulliGradient(float[] x, int xOff, float[] logits, int aOff, int d, float scale, float[] grad,
                                    int gOff) {
        double[] partial = new double[LANES];
        for (int j = 0; j < d; j++) {
            float a = logits[aOff + j];
            float xj = x[xOff + j];
            // One exp serves both the loss and sigmoid(a) = 1 / (1 + e) for a >= 0, e / (1 + e) below.
            float e = FloatMath.exp(-Math.abs(a));
            partial[j & (LANES - 1)] += FloatMath.bernoulliTerm(a, xj, e);
            float inv = 1f / (e + 1f);
            float sigmoid = a >= 0f ? inv : e * inv;
            grad[gOff + j] = (sigmoid - xj) * scale;
        }
        return total(partial);
    }

    @Override
    public double gaussian(float[] x, int xOff, float[] raw, int rawOff, int d, float bound,
                           double @Nullable [] terms, int tOff) {
        double[] partial = new double[LANES];
        float invBound = 1f / bound;
        for (int j = 0; j < d; j++) {
            float r = x[xOff + j] - raw[rawOff + j];
            float s = FloatMath.tanh(raw[rawOff + d + j] * invBound) * bound;
            double term = FloatMath.gaussianTerm(r, s, FloatMath.exp(-s));
            partial[j & (LANES - 1)] += term;
            if (terms != null) {
                terms[tOff + j] = term;
            }
        }
        return total(partial);
    }

    @Override
    public double gaussianGradient(float[] x, int xOff, float[] raw, int rawOff, int d, float bound, float scale,
                                   float[] grad, int gOff) {
        double[] partial = new double[LANES];
        float invBound = 1f / bound;
        float half = 0.5f * scale;
        for (int j = 0; j < d; j++) {
            float r = x[xOff + j] - raw[rawOff + j];
            float u = FloatMath.tanh(raw[rawOff + d + j] * invBound);
            float s = u * bound;
            float precision = FloatMath.exp(-s);
            float r2p = r * r * precision;
            partial[j & (LANES - 1)] += (r2p + s + FloatMath.LOG_2PI) * 0.5f;
            grad[gOff + j] = r * precision * -scale;
            // d s / d raw = 1 - u^2 with u = s / bound
            grad[gOff + d + j] = (1f - r2p) * (1f - u * u) * half;
        }
        return total(partial);
    }

    @Override
    public void tanh(float[] v, int off, int len) {
        for (int i = off; i < off + len; i++) {
            v[i] = FloatMath.tanh(v[i]);
        }
    }

    @Override
    public void tanh(double[] v, int off, int len) {
        tanhFrom(off, v, off + len);
    }

    /** {@link #tanh(double[], int, int)} on {@code i} in {@code [from, to)}. */
    public static void tanhFrom(int from, double[] v, int to) {
        for (int i = from; i < to; i++) {
            v[i] = Transcendentals.tanh(v[i]);
        }
    }

    @Override
    public void block4x2(int m, float[] c0, float[] c1, float[] c2, float[] c3, float[] a0, float[] a1, float w00,
                         float w01, float w02, float w03, float w10, float w11, float w12, float w13) {
        block4x2From(0, m, c0, c1, c2, c3, a0, a1, w00, w01, w02, w03, w10, w11, w12, w13);
    }

    /**
     * {@link #block4x2} on rows {@code [from, m)} only. The plain loop, written once: the Vector API kernels finish
     * the rows after their last full vector with it.
     */
    public static void block4x2From(int from, int m, float[] c0, float[] c1, float[] c2, float[] c3, float[] a0,
                                    float[] a1, float w00, float w01, float w02, float w03, float w10, float w11,
                                    float w12, float w13) {
        for (int i = from; i < m; i++) {
            float x0 = a0[i];
            float x1 = a1[i];
            c0[i] = (c0[i] + x0 * w00) + x1 * w10;
            c1[i] = (c1[i] + x0 * w01) + x1 * w11;
            c2[i] = (c2[i] + x0 * w02) + x1 * w12;
            c3[i] = (c3[i] + x0 * w03) + x1 * w13;
        }
    }

    @Override
    public void block4x1(int m, float[] c0, float[] c1, float[] c2, float[] c3, float[] a0, float w0, float w1,
                         float w2, float w3) {
        block4x1From(0, m, c0, c1, c2, c3, a0, w0, w1, w2, w3);
    }

    /** {@link #block4x1} on rows {@code [from, m)} only (see {@link #block4x2From}). */
    public static void block4x1From(int from, int m, float[] c0, float[] c1, float[] c2, float[] c3, float[] a0,
                                    float w0, float w1, float w2, float w3) {
        for (int i = from; i < m; i++) {
            float x0 = a0[i];
            c0[i] = c0[i] + x0 * w0;
            c1[i] = c1[i] + x0 * w1;
            c2[i] = c2[i] + x0 * w2;
            c3[i] = c3[i] + x0 * w3;
        }
    }

    @Override
    public void axpy4(float[] c, int n, float[] b0, float[] b1, float[] b2, float[] b3, float x0, float x1, float x2,
                      float x3) {
        axpy4From(0, c, n, b0, b1, b2, b3, x0, x1, x2, x3);
    }

    /** {@link #axpy4} on {@code j} in {@code [from, n)} only (see {@link #block4x2From}). */
    public static void axpy4From(int from, float[] c, int n, float[] b0, float[] b1, float[] b2, float[] b3, float x0,
                                 float x1, float x2, float x3) {
        for (int j = from; j < n; j++) {
            c[j] = (((c[j] + x0 * b0[j]) + x1 * b1[j]) + x2 * b2[j]) + x3 * b3[j];
        }
    }

    @Override
    public void axpy1(float[] c, int n, float[] b, float x) {
        axpy1From(0, c, n, b, x);
    }

    @Override
    public boolean allInUnitInterval(float[] x, int off, int len) {
        return allInUnitIntervalFrom(0, x, off, len);
    }

    /** {@link #allInUnitInterval} on {@code j} in {@code [from, len)} only. */
    public static boolean allInUnitIntervalFrom(int from, float[] x, int off, int len) {
        for (int j = from; j < len; j++) {
            float v = x[off + j];
            if (!(v >= 0f && v <= 1f)) {
                return false;
            }
        }
        return true;
    }

    /** {@link #axpy1} on {@code j} in {@code [from, n)} only (see {@link #block4x2From}). */
    public static void axpy1From(int from, float[] c, int n, float[] b, float x) {
        for (int j = from; j < n; j++) {
            c[j] = c[j] + x * b[j];
        }
    }

    @Override
    public void strictExp(double[] v, int off, int len) {
        strictExpFrom(off, v, off + len);
    }

    /** {@link #strictExp} on {@code i} in {@code [from, to)}. */
    public static void strictExpFrom(int from, double[] v, int to) {
        for (int i = from; i < to; i++) {
            v[i] = StrictMath.exp(v[i]);
        }
    }

    @Override
    public void strictLog1p(double[] v, int off, int len) {
        strictLog1pFrom(off, v, off + len);
    }

    /** {@link #strictLog1p} on {@code i} in {@code [from, to)}. */
    public static void strictLog1pFrom(int from, double[] v, int to) {
        for (int i = from; i < to; i++) {
            v[i] = StrictMath.log1p(v[i]);
        }
    }
}
