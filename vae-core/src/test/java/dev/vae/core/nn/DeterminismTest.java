package dev.vae.core.nn;

import static org.assertj.core.api.Assertions.assertThat;

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

    @Test
    void givenANarrowNetwork_whenABatchRunsInColumnLayout_thenEveryOutputHasTheRowPathsBits() {
        for (Activation act : Activation.values()) {
            Architecture a = new Architecture(30, java.util.List.of(64), 8, java.util.List.of(64), act,
                    dev.vae.core.likelihood.LearnedVarianceGaussian.INSTANCE, dev.vae.core.nn.ModelType.VAE);
            NativeNetwork net = NativeNetwork.initialize(a, 5);
            float[] params = net.parameters();
            // Zero some weights and some inputs: the two layouts skip different zero products.
            SplittableRandom r = new SplittableRandom(9);
            for (int i = 0; i < params.length; i += 7) {
                params[i] = 0f;
            }
            DenseStack enc = net.objective().encoder();
            int n = 203;
            float[] x = new float[n * 30];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextInt(4) == 0 ? 0f : (float) (3 * r.nextGaussian());
            }
            assertThat(enc.prefersColumns(n)).isTrue();
            assertThat(enc.prefersColumns(1)).isFalse();
            float[] columns = new float[n * 16];
            enc.forwardColumns(params, x, 0, n, enc.newColumns(n), columns);
            Workspace ws = net.objective().workspace(1);
            for (int i = 0; i < n; i++) {
                enc.forward(JavaKernels.INSTANCE, params, x, i * 30, 1, ws.encoderOuts);
                for (int j = 0; j < 16; j++) {
                    assertThat(Float.floatToRawIntBits(ws.encoderOutput()[j])).as("%s row %d output %d", act, i, j)
                            .isEqualTo(Float.floatToRawIntBits(columns[i * 16 + j]));
                }
            }
        }
    }

    @Test
    void givenPreparedWeightRows_whenAWideStackRunsOnFewOrManyRows_thenItsOutputsHaveTheKernelPathsBits() {
        Architecture a = new Architecture(200, java.util.List.of(150), 10, java.util.List.of(150), Activation.RELU,
                dev.vae.core.likelihood.BernoulliLikelihood.INSTANCE, dev.vae.core.nn.ModelType.VAE);
        NativeNetwork net = NativeNetwork.initialize(a, 8);
        float[] params = net.parameters();
        DenseStack enc = net.objective().encoder();
        float[][][] rows = enc.splitWeights(params);
        SplittableRandom r = new SplittableRandom(4);
        int n = 40;
        float[] x = new float[n * 200];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(3) == 0 ? (float) r.nextDouble() : 0f;
        }
        for (int m : new int[] {1, 3, 8, 40}) {
            Workspace viaKernels = net.objective().workspace(m);
            Workspace prepared = net.objective().workspace(m);
            enc.forward(JavaKernels.INSTANCE, params, x, 0, m, viaKernels.encoderOuts);
            enc.forwardPrepared(rows, params, x, 0, m, prepared.encoderOuts);
            for (int l = 0; l < enc.layers(); l++) {
                for (int i = 0; i < m * enc.width(l + 1); i++) {
                    assertThat(Float.floatToRawIntBits(prepared.encoderOuts[l][i])).as("m=%d layer %d [%d]", m, l, i)
                            .isEqualTo(Float.floatToRawIntBits(viaKernels.encoderOuts[l][i]));
                }
            }
        }
    }
}
