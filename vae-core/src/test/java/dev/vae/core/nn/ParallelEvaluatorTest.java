package dev.vae.core.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.kernel.RowParallel;
import dev.vae.core.likelihood.Likelihoods;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Big batches are split across cores; every row must still come out bit-identical to scoring it alone. */
class ParallelEvaluatorTest {

    @Test
    void givenABatchBigEnoughToSplit_whenEncodedAndDecoded_thenEachRowMatchesItsSingleRowResultBitForBit() {
        Architecture a = new Architecture(100, List.of(120), 6, List.of(120), Activation.TANH,
                Likelihoods.parse("gaussian"), ModelType.VAE);
        NativeNetwork net = NativeNetwork.initialize(a, 3);
        int n = 700;
        assertThat(RowParallel.parts(n, 100L * 120 + 120L * 12)).as("parts on this machine")
                .isEqualTo(Math.min(RowParallel.threads(), (int) (n * (100L * 120 + 120L * 12) / RowParallel.MIN_WORK_PER_PART)));
        float[] x = new float[n * 100];
        SplittableRandom r = new SplittableRandom(4);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        VaeNetwork.Evaluator batch = net.newEvaluator();
        float[] mu = new float[n * 6];
        float[] logvar = new float[n * 6];
        float[] raw = new float[n * 200];
        batch.encode(x, 0, n, mu, logvar);
        batch.decode(mu, 0, n, raw);

        VaeNetwork.Evaluator single = net.newEvaluator();
        float[] mu1 = new float[6];
        float[] lv1 = new float[6];
        float[] raw1 = new float[200];
        for (int i = 0; i < n; i += 7) {
            single.encode(x, i * 100, 1, mu1, lv1);
            single.decode(mu1, 0, 1, raw1);
            assertThat(Arrays.equals(mu1, Arrays.copyOfRange(mu, i * 6, i * 6 + 6))).as("mu of row %d", i).isTrue();
            assertThat(Arrays.equals(lv1, Arrays.copyOfRange(logvar, i * 6, i * 6 + 6))).as("logvar of row %d", i).isTrue();
            assertThat(Arrays.equals(raw1, Arrays.copyOfRange(raw, i * 200, i * 200 + 200))).as("raw of row %d", i).isTrue();
        }
    }

    @Test
    void givenSharedVariances_whenDecodedWithoutTheirZeroWeights_thenTheRawOutputsAreThoseOfTheFullDecoderBitForBit() {
        // 30-64-8 with gaussian-shared: the decoder computes the 30 means; the 30 log-variances are the likelihood's
        // own parameters. Its raw rows are those of the old full decoder [64 x 60] with zero weights into columns
        // 30..59, on every path of the evaluator (one row, rows in place, columns, parts on several threads).
        Architecture a = new Architecture(30, List.of(64), 8, List.of(64), Activation.TANH,
                Likelihoods.parse("gaussian-shared"), ModelType.VAE);
        VaeObjective objective = NativeNetwork.initialize(a, 5).objective();
        DenseStack full = new DenseStack(new int[] {8, 64, 60}, Activation.TANH, objective.encoder().parameterCount());
        float[] old = new float[objective.sharedOutputLayoutParameterCount()];
        SplittableRandom r = new SplittableRandom(6);
        for (int i = 0; i < old.length; i++) {
            boolean held = i >= full.weightOffset(1) && i < full.biasOffset(1) && (i - full.weightOffset(1)) % 60 >= 30;
            // Non-trivial log-variances, so that copying the wrong values would show.
            old[i] = held ? 0f : (float) r.nextGaussian();
        }
        NativeNetwork net = new NativeNetwork(objective, objective.fromSharedOutputLayout(old, "Parameter"));
        for (int n : new int[] {1, 7, 16, 40, 300}) {
            float[] z = new float[n * 8];
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) r.nextGaussian();
            }
            float[] raw = new float[n * 60];
            net.newEvaluator().decode(z, 0, n, raw);
            float[][] outs = {new float[n * 64], new float[n * 60]};
            full.forward(dev.vae.core.kernel.JavaKernels.INSTANCE, old, z, 0, n, outs);
            assertThat(raw).as("batch of %d", n).isEqualTo(outs[1]);
            for (int i = 0; i < n; i++) {
                assertThat(Arrays.copyOfRange(raw, i * 60 + 30, i * 60 + 60))
                        .isEqualTo(Arrays.copyOfRange(old, full.biasOffset(1) + 30, full.biasOffset(1) + 60));
            }
        }
    }

    @Test
    void givenAFailingPart_whenRun_thenTheFailureReachesTheCaller() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RowParallel.run(2, p -> {
            if (p == RowParallel.threads() - 1) {
                throw new IllegalStateException("part " + p);
            }
        })).isInstanceOf(IllegalStateException.class).hasMessageStartingWith("part ");
    }
}
