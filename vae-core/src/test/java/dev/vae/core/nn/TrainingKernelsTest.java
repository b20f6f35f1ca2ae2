package dev.vae.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vae.core.kernel.JavaKernels;
import dev.vae.core.kernel.Kernels;
import dev.vae.core.likelihood.Likelihoods;
import dev.vae.core.testing.SharedData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The fast training path (a native BLAS when installed) against the portable Java kernels on real MNIST rows:
 * same loss and gradient within float tolerance, and bit-identical results for the same shapes.
 */
class TrainingKernelsTest {

    private static final int ROWS = 64;

    private static float[] mnist(Path file, int rows) throws IOException {
        float[] x = new float[rows * 784];
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.US_ASCII))) {
            in.readLine();
            for (int i = 0; i < rows; i++) {
                String[] cells = in.readLine().split(",");
                for (int j = 0; j < 784; j++) {
                    x[i * 784 + j] = Integer.parseInt(cells[j + 1]) / 255f;
                }
            }
        }
        return x;
    }

    @Test
    void givenMnistRows_whenTheFastAndPortableTrainingPathsRun_thenLossAndGradientAgree() throws IOException {
        float[] x = mnist(SharedData.require("data/mnist/mnist_test.csv.gz"), ROWS);
        Architecture a = new Architecture(784, List.of(400), 20, List.of(400), Activation.RELU,
                Likelihoods.parse("bernoulli"), dev.vae.core.nn.ModelType.VAE);
        float[] params = NativeNetwork.initialize(a, 5).parameters();
        float[] eps = new float[ROWS * 20];
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < eps.length; i++) {
            eps[i] = (float) r.nextGaussian();
        }
        VaeObjective fast = new VaeObjective(a, Kernels.best());
        VaeObjective portable = new VaeObjective(a, JavaKernels.INSTANCE);
        float[] gFast = new float[params.length];
        float[] gPortable = new float[params.length];
        BatchLoss lFast = fast.lossAndGradient(params, x, 0, ROWS, eps, 1.0, gFast, fast.workspace(ROWS));
        BatchLoss lPortable = portable.lossAndGradient(params, x, 0, ROWS, eps, 1.0, gPortable, portable.workspace(ROWS));
        assertThat(lFast.reconstruction()).isCloseTo(lPortable.reconstruction(), within(1e-4 * Math.abs(lPortable.reconstruction())));
        assertThat(lFast.kl()).isCloseTo(lPortable.kl(), within(1e-4 * Math.abs(lPortable.kl()) + 1e-6));
        double maxAbs = 0;
        for (float g : gPortable) {
            maxAbs = Math.max(maxAbs, Math.abs(g));
        }
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < params.length; i++) {
            double e = Math.abs((double) gFast[i] - gPortable[i]);
            if (e > worst) {
                worst = e;
                worstAt = i;
            }
        }
        assertThat(worst).as("largest gradient difference, at parameter %d", worstAt).isLessThanOrEqualTo(1e-4 * maxAbs);

        float[] again = new float[params.length];
        fast.lossAndGradient(params, x, 0, ROWS, eps, 1.0, again, fast.workspace(ROWS));
        assertThat(java.util.Arrays.equals(again, gFast)).as("same shapes give the same bits").isTrue();
    }

    @Test
    void givenMnistRows_whenScoredByTheBestAndThePortableNetwork_thenScoresAreBitIdentical() throws IOException {
        float[] x = mnist(SharedData.require("data/mnist/mnist_test.csv.gz"), ROWS);
        Architecture a = new Architecture(784, List.of(400), 20, List.of(400), Activation.RELU,
                Likelihoods.parse("bernoulli"), dev.vae.core.nn.ModelType.VAE);
        NativeNetwork best = NativeNetwork.initialize(a, 5);
        NativeNetwork portable = best.withKernels(JavaKernels.INSTANCE);
        double[] s1 = new double[ROWS];
        double[] s2 = new double[ROWS];
        best.objective().loss(best.parameters(), x, 0, ROWS, null, best.objective().workspace(ROWS), s1, null);
        portable.objective().loss(portable.parameters(), x, 0, ROWS, null, portable.objective().workspace(ROWS), s2, null);
        assertThat(java.util.Arrays.equals(s1, s2)).as("scores of the best and the portable network").isTrue();
    }
}
