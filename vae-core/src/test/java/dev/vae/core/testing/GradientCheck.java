package dev.vae.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.DoubleSupplier;
import java.util.function.IntPredicate;

/**
 * Central finite-difference checks of analytic gradients computed in float32. The tolerance
 * {@code |analytic - numeric| <= abs + rel * max(|analytic|, |numeric|)} is tight enough that a missing factor,
 * a wrong sign or a wrong index fails, and loose enough for float32 rounding.
 */
public final class GradientCheck {

    private GradientCheck() {
    }

    /**
     * Checks {@code analytic[i]} against (f(p + h e_i) - f(p - h e_i)) / 2h for every index i, perturbing
     * {@code params} in place (and restoring it).
     *
     * @return the largest relative error seen
     */
    public static double check(float[] params, float[] analytic, DoubleSupplier f, float h, double abs, double rel) {
        return check(params, analytic, f, h, abs, rel, i -> true);
    }

    /**
     * {@link #check(float[], float[], DoubleSupplier, float, double, double)} over the indices {@code free} accepts
     * alone (parameters a model holds fixed have no finite-difference counterpart).
     */
    public static double check(float[] params, float[] analytic, DoubleSupplier f, float h, double abs, double rel,
                               IntPredicate free) {
        double worst = 0.0;
        int checked = 0;
        int expected = 0;
        for (int i = 0; i < params.length; i++) {
            if (!free.test(i)) {
                continue;
            }
            expected++;
            float saved = params[i];
            params[i] = saved + h;
            double up = f.getAsDouble();
            params[i] = saved - h;
            double down = f.getAsDouble();
            params[i] = saved;
            double numeric = (up - down) / (2.0 * h);
            double a = analytic[i];
            double err = Math.abs(a - numeric);
            double scale = Math.max(Math.abs(a), Math.abs(numeric));
            assertThat(err).as("gradient index %d: analytic %s vs numeric %s", i, a, numeric)
                    .isLessThanOrEqualTo(abs + rel * scale);
            if (scale > 1e-3) {
                worst = Math.max(worst, err / scale);
            }
            checked++;
        }
        assertThat(checked).isEqualTo(expected).isPositive();
        return worst;
    }
}
