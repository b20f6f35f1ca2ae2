package dev.vae.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TranscendentalsTest {

    @Test
    void givenTenMillionArgumentsOverSevenDecades_whenTanhIsEvaluated_thenItMatchesStrictMathToFloatRounding() {
        SplittableRandom r = new SplittableRandom(17);
        double worst = 0;
        for (int i = 0; i < 10_000_000; i++) {
            double x = (r.nextBoolean() ? 1 : -1) * Math.pow(10, -6 + 8 * r.nextDouble());
            double expected = StrictMath.tanh(x);
            double actual = Transcendentals.tanh(x);
            worst = Math.max(worst, Math.abs(actual - expected) / Math.abs(expected));
            if ((float) actual != (float) expected) {
                assertThat((float) actual).as("tanh(%s) as a float", x).isEqualTo((float) expected);
            }
        }
        assertThat(worst).isLessThan(9e-16);
    }

    @Test
    void givenSpecialArguments_whenTanhIsEvaluated_thenSignsZerosAndLimitsAreExact() {
        assertThat(Transcendentals.tanh(0.0)).isEqualTo(0.0);
        assertThat(Double.doubleToRawLongBits(Transcendentals.tanh(-0.0))).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(Transcendentals.tanh(1e300)).isEqualTo(1.0);
        assertThat(Transcendentals.tanh(Double.NEGATIVE_INFINITY)).isEqualTo(-1.0);
        assertThat(Transcendentals.tanh(Double.NaN)).isNaN();
        assertThat(Transcendentals.tanh(0.0625)).isCloseTo(StrictMath.tanh(0.0625), org.assertj.core.api.Assertions.within(5e-17));
    }

    @Test
    void givenArgumentsWithKnownLogistic_whenSigmoidIsEvaluated_thenItMatchesThemToFloatRounding() {
        assertThat(Transcendentals.sigmoid(0f)).isEqualTo(0.5f);
        // e^(ln 3) = 3: sigmoid(ln 3) = 3/4 and sigmoid(-ln 3) = 1/4, up to the float rounding of ln 3.
        float ln3 = (float) Math.log(3.0);
        assertThat(Transcendentals.sigmoid(ln3)).isCloseTo(0.75f, org.assertj.core.api.Assertions.within(1e-7f));
        assertThat(Transcendentals.sigmoid(-ln3)).isCloseTo(0.25f, org.assertj.core.api.Assertions.within(1e-7f));
        assertThat(Transcendentals.sigmoid(100f)).isEqualTo(1f);
        // Below zero it is e^x / (1 + e^x): no underflow to 0 while e^x is still a float.
        assertThat(Transcendentals.sigmoid(-80f)).isEqualTo((float) Math.exp(-80.0));
        assertThat(Transcendentals.sigmoid(Float.NaN)).isNaN();
    }

    @Test
    void givenArgumentsInTheUnitInterval_whenLog1pIsEvaluated_thenTheAbsoluteErrorIsAtMostTwoRoundings() {
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 1_000_000; i++) {
            double e = i % 2 == 0 ? r.nextDouble() : Math.exp(-40 * r.nextDouble());
            assertThat(Math.abs(Transcendentals.log1pOfUnit(e) - StrictMath.log1p(e))).as("log1p(%s)", e)
                    .isLessThanOrEqualTo(2.3e-16);
        }
        assertThat(Transcendentals.log1pOfUnit(0.0)).isEqualTo(0.0);
        assertThat(Transcendentals.log1pOfUnit(1.0)).isEqualTo(Math.log(2.0));
    }
}
