package dev.vae.train.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AdamTest {

    @Test
    void givenTheFirstStep_whenTaken_thenEachParameterMovesByTheLearningRateAgainstTheGradientSign() {
        // After bias correction the first Adam step is lr * g / (|g| + eps) ~ lr * sign(g).
        float[] p = {1f, -2f, 0.5f};
        float[] g = {0.3f, -4f, 1e-3f};
        new Adam(3, 0.01).step(p, g);
        assertThat(p[0]).isCloseTo(0.99f, within(1e-6f));
        assertThat(p[1]).isCloseTo(-1.99f, within(1e-6f));
        assertThat(p[2]).isCloseTo(0.49f, within(1e-5f));
    }

    @Test
    void givenAQuadratic_whenMinimised_thenAdamConvergesToItsMinimum() {
        float[] p = {5f, -3f};
        float[] g = new float[2];
        Adam adam = new Adam(2, 0.05);
        for (int i = 0; i < 3000; i++) {
            g[0] = 2 * (p[0] - 1f);
            g[1] = 8 * (p[1] + 2f);
            adam.step(p, g);
        }
        assertThat(p[0]).isCloseTo(1f, within(1e-2f));
        assertThat(p[1]).isCloseTo(-2f, within(1e-2f));
    }

    @Test
    void givenTwoSteps_whenComparedWithTheTextbookFormula_thenTheyAgree() {
        float[] p = {0.7f};
        Adam adam = new Adam(1, 0.1, 0.9, 0.999, 1e-8);
        double m = 0;
        double v = 0;
        double ref = 0.7;
        float[] gs = {0.5f, -0.2f};
        for (int t = 1; t <= 2; t++) {
            adam.step(p, new float[] {gs[t - 1]});
            m = 0.9 * m + 0.1 * gs[t - 1];
            v = 0.999 * v + 0.001 * gs[t - 1] * gs[t - 1];
            double mh = m / (1 - Math.pow(0.9, t));
            double vh = v / (1 - Math.pow(0.999, t));
            ref -= 0.1 * mh / (Math.sqrt(vh) + 1e-8);
        }
        assertThat((double) p[0]).isCloseTo(ref, within(1e-5));
    }

    @Test
    void givenAGradientScaleAndThreeParts_whenStepped_thenTheBitsAreThoseOfOneRangeOnTheScaledGradient() {
        int n = 40_000;  // three ranges of 16 Ki elements, the last one short
        SplittableRandom random = new SplittableRandom(3);
        float[] split = new float[n];
        float[] grad = new float[n];
        for (int i = 0; i < n; i++) {
            split[i] = (float) random.nextGaussian();
            grad[i] = (float) random.nextGaussian();
        }
        float[] whole = split.clone();
        Adam parts = new Adam(n, 0.01);
        Adam one = new Adam(n, 0.01);
        for (int t = 0; t < 3; t++) {
            parts.step(split, grad, 0.25f, 3);
            one.begin().apply(whole, grad, 0.25f, 0, n);
        }
        assertThat(split).isEqualTo(whole);
        assertThat(parts.firstMoments()).isEqualTo(one.firstMoments());
        assertThat(parts.steps()).isEqualTo(3);
        // The scale multiplies each gradient element in float: the same bits as a step on the scaled gradient.
        float[] scaledGrad = new float[n];
        for (int i = 0; i < n; i++) {
            scaledGrad[i] = grad[i] * 0.25f;
        }
        float[] scaled = whole.clone();
        float[] unscaled = whole.clone();
        new Adam(n, 0.01).step(scaled, grad, 0.25f, 2);
        new Adam(n, 0.01).step(unscaled, scaledGrad);
        assertThat(scaled).isEqualTo(unscaled).isNotEqualTo(whole);
    }

    @Test
    void givenAdam_whenDescribed_thenItNamesItsSettingsAsItsStepsUseThem() {
        assertThat(new Adam(4, 0.002, 0.8, 0.99, 1e-7).describe())
                .isEqualTo("adam(lr=0.002, beta1=0.8, beta2=0.99, eps=1.0E-7)");
    }
}
