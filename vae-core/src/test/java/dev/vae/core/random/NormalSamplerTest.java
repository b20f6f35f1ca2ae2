package dev.vae.core.random;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NormalSamplerTest {

    @Test
    void givenASeed_whenDrawn_thenEveryValueIsStrictMathsBoxMullerOfTheSeedsUniformStream() {
        NormalSampler sampler = new NormalSampler(2024);
        SplittableRandom uniform = new SplittableRandom(2024);
        for (int i = 0; i < 200_000; i += 2) {
            double u1;
            do {
                u1 = uniform.nextDouble();
            } while (u1 == 0.0);
            double u2 = uniform.nextDouble();
            double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
            double theta = 2.0 * Math.PI * u2;
            double first = sampler.next();
            double second = sampler.next();
            assertThat(Double.doubleToRawLongBits(first)).as("draw %d", i)
                    .isEqualTo(Double.doubleToRawLongBits(r * StrictMath.cos(theta)));
            assertThat(Double.doubleToRawLongBits(second)).as("draw %d", i + 1)
                    .isEqualTo(Double.doubleToRawLongBits(r * StrictMath.sin(theta)));
        }
    }

    @Test
    void givenTheSameSeed_whenTwoSamplersFill_thenTheDrawsAreTheSameAndAnotherSeedDiffers() {
        float[] a = new float[1001];
        float[] b = new float[1001];
        float[] c = new float[1001];
        new NormalSampler(7).fill(a, 0, a.length);
        new NormalSampler(7).fill(b, 0, b.length);
        new NormalSampler(8).fill(c, 0, c.length);
        assertThat(a).containsExactly(b);
        assertThat(a).isNotEqualTo(c);
    }
}
