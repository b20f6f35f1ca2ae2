package dev.vae.core.kernel;

/**
 * The elementary functions the model evaluates per element, built on {@link Math#exp} and {@link Math#log}.
 *
 * <p>On JDK 17 {@code Math.tanh} and {@code Math.log1p} are calls into the native fdlibm of {@code StrictMath}
 * (about 34 ns each, measured here), while {@code Math.exp} and {@code Math.log} are JIT intrinsics (a few ns).
 * A Gaussian decoder evaluates one tanh per feature and a tanh network one per hidden unit; a Bernoulli decoder
 * one log1p per pixel: these functions are a large share of scoring. Accuracy, checked against
 * {@code StrictMath} over ten million arguments by the tests: {@link #tanh} within 7e-16 relative (every float
 * rounding identical), {@link #log1pOfUnit} within 2.3e-16 absolute, far below the float rounding of the model's
 * outputs that feed them. Each result depends on the argument alone, so scores stay independent of batching.
 */
public final class Transcendentals {

    private Transcendentals() {
    }

    /** tanh(x): odd, in [-1, 1], to within 7e-16 relative; NaN for NaN. */
    public static double tanh(double x) {
        double ax = Math.abs(x);
        double y;
        if (ax < 0.0625) {
            // Taylor series to x^11: (1 - t)/(1 + t) would lose the low bits of a small x to cancellation.
            double x2 = ax * ax;
            y = ax * (1 + x2 * (-1.0 / 3 + x2 * (2.0 / 15 + x2 * (-17.0 / 315 + x2 * (62.0 / 2835
                    + x2 * (-1382.0 / 155925))))));
        } else if (ax >= 20) {
            y = 1.0;
        } else {
            // NaN lands here and stays NaN: the divergence guard must see it.
            double t = Math.exp(-2 * ax);
            y = (1 - t) / (1 + t);
        }
        return Math.copySign(y, x);
    }

    /**
     * log(1 + e) for e in [0, 1], the tail of softplus: an absolute error of at most one rounding of 1 + e
     * (1.1e-16) plus one of the logarithm, which is what a sum of such terms needs (a relative error on a tiny e
     * would not matter next to the other terms).
     */
    public static double log1pOfUnit(double e) {
        return Math.log(1.0 + e);
    }
}
