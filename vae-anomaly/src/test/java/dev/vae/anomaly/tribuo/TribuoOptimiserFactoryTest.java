package dev.vae.anomaly.tribuo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vae.train.optim.Optimiser;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.math.optimisers.AdaGradRDA;
import org.tribuo.math.optimisers.Adam;
import org.tribuo.math.optimisers.ParameterAveraging;
import org.tribuo.math.optimisers.Pegasos;
import org.tribuo.math.optimisers.SGD;

/**
 * Tribuo's optimisers step a VAE's flat parameters with the right sign and arithmetic, checked against the update
 * rules written out by hand; those that rewrite the parameters at the end are refused; Tribuo 4.3.2's defective Adam
 * is found by its behaviour and reported.
 */
class TribuoOptimiserFactoryTest {

    private static final float[] PARAMS = {0.5f, -1.25f, 3f, 1e-3f, -0.75f};
    private static final float[] GRAD = {0.2f, -0.4f, 1.5f, -3e-4f, 0f};

    @Test
    void givenConstantRateSgd_whenOneStepIsTaken_thenEachParameterIsItsValueMinusTheRateTimesTheGradient() {
        float[] p = PARAMS.clone();
        Optimiser sgd = new TribuoOptimiserFactory(SGD.getSimpleSGD(0.1)).create(p.length);
        sgd.step(p, GRAD, 1f, 1);
        for (int i = 0; i < p.length; i++) {
            // Descent on the loss: the sum in double, rounded once to float.
            assertThat(p[i]).as("parameter %d", i).isEqualTo((float) (PARAMS[i] - 0.1 * GRAD[i]));
        }
    }

    @Test
    void givenConstantRateSgdAndAClippingScale_whenOneStepIsTaken_thenTheScaledGradientIsTheFloatProduct() {
        float[] p = PARAMS.clone();
        new TribuoOptimiserFactory(SGD.getSimpleSGD(0.1)).create(p.length).step(p, GRAD, 0.375f, 1);
        for (int i = 0; i < p.length; i++) {
            assertThat(p[i]).isEqualTo((float) (PARAMS[i] - 0.1 * (GRAD[i] * 0.375f)));
        }
    }

    @Test
    void givenAdaGrad_whenTwoStepsAreTaken_thenTheyFollowDuchiHazanAndSingersRule() {
        float[] p = PARAMS.clone();
        Optimiser adaGrad = new TribuoOptimiserFactory(new AdaGrad(0.1, 1e-6)).create(p.length);
        float[][] steps = {GRAD, {-0.1f, 0.4f, 0.5f, 1f, 2f}};
        double[] expected = new double[p.length];
        double[] squares = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            expected[i] = PARAMS[i];
        }
        for (float[] g : steps) {
            adaGrad.step(p, g, 1f, 1);
            for (int i = 0; i < p.length; i++) {
                squares[i] += (double) g[i] * g[i];
                expected[i] = (float) (expected[i] - 0.1 * g[i] / (1e-6 + Math.sqrt(squares[i])));
            }
        }
        for (int i = 0; i < p.length; i++) {
            assertThat((double) p[i]).as("parameter %d", i).isCloseTo(expected[i], within(1e-6 * Math.abs(expected[i])));
        }
        // The first step of AdaGrad moves every parameter with a gradient by about the rate, against the gradient.
        assertThat(p[2]).isLessThan(PARAMS[2]);
    }

    @Test
    void givenNesterovMomentum_whenStepsAreTaken_thenTheyFollowTribuosMomentumRule() {
        float[] p = PARAMS.clone();
        Optimiser nesterov = new TribuoOptimiserFactory(SGD.getSimpleSGD(0.1, 0.9, SGD.Momentum.NESTEROV))
                .create(p.length);
        double[] expected = new double[p.length];
        double[] velocity = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            expected[i] = PARAMS[i];
        }
        for (int t = 0; t < 3; t++) {
            nesterov.step(p, GRAD, 1f, 1);
            for (int i = 0; i < p.length; i++) {
                // Shallue et al.: v = rho v + g; step = lr g + lr rho v (here on the loss's gradient, subtracted).
                velocity[i] = 0.9 * velocity[i] + GRAD[i];
                expected[i] = (float) (expected[i] - (0.1 * GRAD[i] + 0.1 * 0.9 * velocity[i]));
            }
        }
        for (int i = 0; i < p.length; i++) {
            assertThat((double) p[i]).isCloseTo(expected[i], within(1e-6 * Math.max(1, Math.abs(expected[i]))));
        }
    }

    @Test
    void givenOptimisersThatRewriteTheParametersWhenTrainingEnds_whenGiven_thenRefusedNamingFinalise() {
        for (var optimiser : List.of(new ParameterAveraging(new AdaGrad(0.1)), new Pegasos(0.1, 0.01),
                new AdaGradRDA(0.1, 1e-6))) {
            assertThatThrownBy(() -> new TribuoOptimiserFactory(optimiser)).as(optimiser.toString())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finalise()")
                    .hasMessageContaining("best epoch's weights");
        }
    }

    @Test
    void givenAnOptimiserWhoseCopyLosesASetting_whenGiven_thenRefusedNamingTheCopy() {
        // Tribuo 4.3.2's AdaGrad.copy() drops initialValue, and every run trains with a copy.
        assertThatThrownBy(() -> new TribuoOptimiserFactory(new AdaGrad(0.1, 1e-6, 0.5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loses settings")
                .hasMessageContaining("initialValue=0.5").hasMessageContaining("initialValue=0.0");
    }

    @Test
    void givenTribuo432sAdam_whenProbed_thenItsDefectIsFoundAndItsFirstStepIsFarSmallerThanTheRate() {
        assertThat(TribuoOptimiserFactory.knownDefect(new Adam()))
                .contains("multiplies its step by sqrt(v) + eps where Adam divides by it");
        assertThat(TribuoOptimiserFactory.knownDefect(new AdaGrad(0.1))).isEmpty();
        assertThat(TribuoOptimiserFactory.knownDefect(SGD.getSimpleSGD(0.1))).isEmpty();

        // A correct Adam's first step is lr * g / (|g| + eps) = 0.001 for g = 1; Tribuo 4.3.2's is about
        // lr * sqrt(1 - b2) * sqrt(1 - b2) * g^2 = 1e-6.
        float[] p = {0f};
        new TribuoOptimiserFactory(new Adam()).create(1).step(p, new float[] {1f}, 1f, 1);
        assertThat((double) -p[0]).isCloseTo(1e-6, within(1e-8));
    }

    @Test
    void givenTribuosAdam_whenAFactoryIsMade_thenAWarningIsLoggedAndTheDescriptionSaysSo() {
        List<LogRecord> records = LogRecords.during(TribuoOptimiserFactory.class, () -> {
            TribuoOptimiserFactory factory = new TribuoOptimiserFactory(new Adam());
            assertThat(factory.create(3).describe()).startsWith("tribuo Adam(")
                    .endsWith("(defective: multiplies its step by sqrt(v) + eps where Adam divides by it)");
            new TribuoOptimiserFactory(new AdaGrad(0.1));
        });
        assertThat(records).hasSize(1);
        assertThat(records.get(0).getLevel()).isEqualTo(Level.WARNING);
        assertThat(records.get(0).getMessage()).contains("sqrt(v) + eps").contains("library's own Adam");
    }

    @Test
    void givenAFactory_whenItMakesTwoOptimisers_thenTheyShareNoState() {
        TribuoOptimiserFactory factory = new TribuoOptimiserFactory(new AdaGrad(0.1));
        float[] first = PARAMS.clone();
        float[] second = PARAMS.clone();
        Optimiser a = factory.create(PARAMS.length);
        a.step(first, GRAD, 1f, 1);
        a.step(first, GRAD, 1f, 1);
        Optimiser b = factory.create(PARAMS.length);
        b.step(second, GRAD, 1f, 1);
        float[] once = PARAMS.clone();
        factory.create(PARAMS.length).step(once, GRAD, 1f, 1);
        assertThat(second).isEqualTo(once).isNotEqualTo(first);
        assertThat(factory.optimiser()).isNotSameAs(factory.optimiser());
        assertThat(factory).hasToString("tribuo AdaGrad(initialLearningRate=0.1,epsilon=1.0E-6,initialValue=0.0)");
    }
}
