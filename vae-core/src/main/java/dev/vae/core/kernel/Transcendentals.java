package dev.vae.core.kernel;

/**
 * tanh and softplus's log1p in double, for the few values computed once rather than per element: the shared
 * log-variances of {@code gaussian-shared}, the link of sampled reconstructions. The per-element scoring kernels use
 * {@link FloatMath} instead (see {@link ElementKernels}), except for the Student-t's link, in double, whose kernel
 * {@link ElementKernels#tanh(double[], int, int)} gives {@link #tanh}'s bits. Also the logistic function on floats,
 * which both the
 * sigmoid activation of hidden layers and the Bernoulli likelihood's means and samples use (here, below both, so
 * that the likelihoods need not depend on the networks).
 *
 * <p>Built on {@link StrictMath#exp} and {@link StrictMath#log}, whose bits the JDK fixes on every platform
 * ({@code Math}'s may differ by an ulp between CPUs, and between the interpreter and the JIT). Accuracy, checked
 * against {@code StrictMath} by the tests: {@link #tanh} within 9e-16 relative (every float rounding identical),
 * {@link #log1pOfUnit} within 2.3e-16 absolute. Each result depends on the argument alone.
 */
public final class Transcendentals {

    private Transcendentals() {
    }

    /** Below this |x|, {@link #tanh} is its Taylor series. */
    public static final double TANH_SERIES_BELOW = 0.0625;
    /** From this |x|, {@link #tanh} is +-1. */
    public static final double TANH_ONE_FROM = 20;

    /** tanh(x): odd, in [-1, 1], to within 9e-16 relative; NaN for NaN. */
    public static double tanh(double x) {
        double ax = Math.abs(x);
        double y;
        if (ax < TANH_SERIES_BELOW) {
            // Taylor series to x^11: (1 - t)/(1 + t) would lose the low bits of a small x to cancellation.
            double x2 = ax * ax;
            y = ax * (1 + x2 * (-1.0 / 3 + x2 * (2.0 / 15 + x2 * (-17.0 / 315 + x2 * (62.0 / 2835
                    + x2 * (-1382.0 / 155925))))));
        } else if (ax >= TANH_ONE_FROM) {
            y = 1.0;
        } else {
            // NaN lands here and stays NaN: the divergence guard must see it.
            double t = StrictMath.exp(-2 * ax);
            y = (1 - t) / (1 + t);
        }
        return Math.copySign(y, x);
    }

    /**
     * The logistic function 1 / (1 + e^-x), computed in double from one {@link StrictMath#exp} of -|x| (so it
     * neither overflows nor loses the small values below zero) and rounded once to float: the same bits on every JVM
     * and CPU. NaN for NaN.
     */
    public static float sigmoid(float x) {
        if (x >= 0f) {
            return (float) (1.0 / (1.0 + StrictMath.exp(-x)));
        }
        double e = StrictMath.exp(x);
        return (float) (e / (1.0 + e));
    }

    /**
     * log(1 + e) for e in [0, 1], the tail of softplus: an absolute error of at most one rounding of 1 + e
     * (1.1e-16) plus one of the logarithm, which is what a sum of such terms needs (a relative error on a tiny e
     * would not matter next to the other terms).
     */
    public static double log1pOfUnit(double e) {
        return StrictMath.log(1.0 + e);
    }
}
