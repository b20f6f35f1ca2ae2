package dev.vae.train.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
}
