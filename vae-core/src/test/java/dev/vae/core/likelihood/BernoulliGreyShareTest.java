package dev.vae.core.likelihood;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BernoulliGreyShareTest {

    @Test
    void givenBinaryOrGreyValues_whenMeasured_thenTheShareStrictlyInsideTheRange() {
        assertThat(BernoulliLikelihood.greyShare(new float[] {0, 255, 255, 0})).isZero();
        assertThat(BernoulliLikelihood.greyShare(new float[] {0, 128, 255, 64})).isEqualTo(0.5);
        assertThat(BernoulliLikelihood.greyShare(new float[] {3, 3, 3})).isZero();
        assertThat(BernoulliLikelihood.greyShare(new float[0])).isZero();
    }
}
