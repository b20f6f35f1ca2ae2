package dev.vae.core.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.Architecture;
import dev.vae.core.kernel.JavaKernels;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DeterminismTest {

    @Test
    void givenTheSameSeed_whenInitialised_thenParametersAreBitIdentical() {
        Architecture a = Architecture.defaults(30);
        assertThat(NativeNetwork.initialize(a, 42).parameters()).containsExactly(NativeNetwork.initialize(a, 42).parameters());
        assertThat(NativeNetwork.initialize(a, 42).parameters()).isNotEqualTo(NativeNetwork.initialize(a, 43).parameters());
    }

    @Test
    void givenARow_whenEvaluatedAloneOrInsideBatchesOfAnySize_thenItsLossIsBitIdentical() {
        Architecture a = Architecture.defaults(13);
        NativeNetwork net = NativeNetwork.initialize(a, 1);
        VaeObjective objective = new VaeObjective(a, JavaKernels.INSTANCE);
        float[] params = net.parameters();
        int n = 37;
        float[] x = new float[n * 13];
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        double[] batched = new double[n];
        objective.loss(params, x, 0, n, null, objective.workspace(n), batched, null);
        for (int i = 0; i < n; i++) {
            double[] alone = new double[1];
            objective.loss(params, x, i * 13, 1, null, objective.workspace(1), alone, null);
            assertThat(alone[0]).as("row %d", i).isEqualTo(batched[i]);
        }
        double[] tail = new double[5];
        objective.loss(params, x, 32 * 13, 5, null, objective.workspace(5), tail, null);
        for (int i = 0; i < 5; i++) {
            assertThat(tail[i]).isEqualTo(batched[32 + i]);
        }
    }
}
