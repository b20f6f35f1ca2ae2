package dev.vae.core.kernel;

import org.jspecify.annotations.Nullable;

/**
 * Element-wise kernels over a row of features: the likelihood terms and their gradients, and the tanh activation.
 * These evaluate one exponential or logarithm per feature, which is most of a Bernoulli or Gaussian decoder's
 * scoring time when done one element at a time. Also the register blocks of the portable matrix kernels
 * ({@code block4x2}, {@code axpy4}, ...), which compute exactly the plain loops' float operations: C2's auto-vectoriser
 * handles those loops in some JVM runs and not in others, so explicit vectors make their speed dependable.
 *
 * <p><b>Every implementation gives the same bits</b> (SPEC section 3: a score must not depend on the JVM's flags or
 * the CPU's vector width). {@link ScalarElementKernels} is the reference; the Vector API kernels that
 * {@link Simd#elements()} picks when the JVM can run them reproduce it at any vector width:
 * <ul>
 *   <li>each element is {@link FloatMath}'s float expression, evaluated in the same order, without fused
 *       multiply-adds;</li>
 *   <li>a row's sum has {@value #LANES} logical lanes whatever the hardware's: feature j goes into double partial sum
 *       {@code j mod 8}, partials take their features in ascending j, and the row's value is
 *       {@code ((p0 + p1) + p2) + ... + p7}. A 256-bit vector holds the 8 partials in two 4-double accumulators, a
 *       512-bit one in one 8-double accumulator (16 features are two additions into it, in order);</li>
 *   <li>a per-feature term is the float term widened to double, the same value that enters the sum;</li>
 *   <li>the kernels in double ({@link #strictExp}, {@link #strictLog1p}, {@link #tanh(double[], int, int)}) give
 *       StrictMath's bits (for tanh, {@link Transcendentals#tanh}'s): the vector ones repeat fdlibm's operations lane
 *       by lane.</li>
 * </ul>
 * Each method works on one row (or one contiguous slice) and computes every element from its own inputs, so a row's
 * result does not depend on the batch, the thread or the other rows. Implementations are stateless and thread-safe.
 */
public interface ElementKernels {

    /** The logical lanes of a row's sum: the number of partial sums, fixed so that no vector width shows in the bits. */
    int LANES = 8;

    /** A short name for logs and provenance, e.g. {@code simd-256} or {@code scalar}. */
    String name();

    /**
     * {@code sum_j softplus(a_j) - x_j a_j} over {@code d} features (the Bernoulli negative log-likelihood in nats),
     * and each term into {@code terms[tOff + j]} when {@code terms} is not null.
     */
    double bernoulli(float[] x, int xOff, float[] logits, int aOff, int d, double @Nullable [] terms, int tOff);

    /**
     * The Bernoulli negative log-likelihood (returned) and {@code scale * (sigmoid(a_j) - x_j)} into
     * {@code grad[gOff + j]}.
     */
    double bernoulliGradient(float[] x, int xOff, float[] logits, int aOff, int d, float scale, float[] grad,
                             int gOff);

    /**
     * The learned-variance Gaussian negative log-likelihood over {@code d} features: raw means at {@code raw[rawOff
     * + j]}, raw log-variances at {@code raw[rawOff + d + j]} squashed as {@code s = bound tanh(r / bound)},
     * {@code sum_j 1/2 (log 2 pi + s_j + (x_j - m_j)^2 exp(-s_j))}; each term into {@code terms[tOff + j]} when
     * {@code terms} is not null.
     */
    double gaussian(float[] x, int xOff, float[] raw, int rawOff, int d, float bound, double @Nullable [] terms,
                    int tOff);

    /**
     * The learned-variance Gaussian negative log-likelihood (returned) and {@code scale} times its gradient with
     * respect to the raw outputs: means into {@code grad[gOff + j]}, raw log-variances into {@code grad[gOff + d + j]}.
     */
    double gaussianGradient(float[] x, int xOff, float[] raw, int rawOff, int d, float bound, float scale,
                            float[] grad, int gOff);

    /** {@code v[i] = tanh(v[i])} for {@code i in [off, off + len)}. */
    void tanh(float[] v, int off, int len);

    /**
     * {@code v[i] = Transcendentals.tanh(v[i])} for {@code i in [off, off + len)}: tanh in double, with
     * {@link Transcendentals#tanh}'s bits on every path (its exponential is StrictMath's). The Student-t's link.
     */
    void tanh(double[] v, int off, int len);

    /**
     * Four sums, two inputs, along {@code m} rows: {@code c_r[i] = (c_r[i] + w0r * a0[i]) + w1r * a1[i]} for
     * {@code r < 4}, each product and sum rounded to float in that order (no fused multiply-add), so the bits are
     * those of the plain loop. The register block of the column kernels ({@link ColumnKernels}).
     */
    void block4x2(int m, float[] c0, float[] c1, float[] c2, float[] c3, float[] a0, float[] a1, float w00, float w01,
                  float w02, float w03, float w10, float w11, float w12, float w13);

    /** Four sums, one input: {@code c_r[i] = c_r[i] + w_r * a0[i]}, rounded as in {@link #block4x2}. */
    void block4x1(int m, float[] c0, float[] c1, float[] c2, float[] c3, float[] a0, float w0, float w1, float w2,
                  float w3);

    /**
     * Four axpys in one pass along {@code n}: {@code c[j] = (((c[j] + x0 * b0[j]) + x1 * b1[j]) + x2 * b2[j]) + x3 *
     * b3[j]}, rounded as in {@link #block4x2}. The row kernels' block ({@link JavaKernels}).
     */
    void axpy4(float[] c, int n, float[] b0, float[] b1, float[] b2, float[] b3, float x0, float x1, float x2,
               float x3);

    /** {@code c[j] = c[j] + x * b[j]} for {@code j < n}. */
    void axpy1(float[] c, int n, float[] b, float x);

    /**
     * Whether every {@code x[off + j]}, {@code j < len}, lies in [0, 1] (a NaN does not): the Bernoulli's test of a
     * row before its fast path, which a scalar loop with an early exit made as slow as the likelihood itself.
     */
    boolean allInUnitInterval(float[] x, int off, int len);

    /**
     * {@code v[i] = StrictMath.exp(v[i])} for {@code i in [off, off + len)}, with StrictMath's bits on every path (it
     * is fdlibm's algorithm, which the JDK fixes): the latent layer's exponentials, whose values the KL terms and
     * draws of every score and training step are built from.
     */
    void strictExp(double[] v, int off, int len);

    /**
     * {@code v[i] = StrictMath.log1p(v[i])} for {@code i in [off, off + len)}, with StrictMath's bits on every path
     * (fdlibm's algorithm, fixed by the JDK) for every double: the Student-t's {@code log(1 + q)} terms.
     */
    void strictLog1p(double[] v, int off, int len);
}
