package dev.vae.core.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.kernel.JavaKernels;
import dev.vae.core.kernel.KernelSelection;
import dev.vae.core.likelihood.Likelihoods;
import dev.vae.core.random.NormalSampler;
import dev.vae.core.testing.GradientCheck;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Finite-difference checks of the analytic gradient of every layer type, likelihood, the KL term and the whole loss. */
class VaeObjectiveGradientTest {

    private static final int N = 5;
    private static final int D = 6;

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (ModelType type : ModelType.values()) {
            for (Activation act : Activation.values()) {
                for (String lik : List.of("bernoulli", "gaussian", "gaussian-fixed")) {
                    // Both element-kernel paths in this JVM (the build always has the Vector API module).
                    b.add(Arguments.of(type, act, lik, "scalar"));
                    b.add(Arguments.of(type, act, lik, "vector"));
                }
            }
        }
        return b.build();
    }

    private static Architecture arch(ModelType type, Activation act, String lik) {
        return new Architecture(D, List.of(5, 4), 3, List.of(4), act, Likelihoods.parse(lik), type);
    }

    private static float[] data(String lik, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[N * D];
        for (int i = 0; i < x.length; i++) {
            x[i] = lik.equals("bernoulli") ? (float) r.nextDouble() : (float) (2 * r.nextDouble() - 1);
        }
        return x;
    }

    @ParameterizedTest(name = "{0} {1} {2} on the {3} kernels")
    @MethodSource("cases")
    void givenAnyLayerLikelihoodAndModelType_whenBackpropagated_thenGradientMatchesFiniteDifferences(
            ModelType type, Activation act, String lik, String path) {
        KernelSelection.Counting counted = KernelSelection.counting(
                path.equals("scalar") ? KernelSelection.scalar() : KernelSelection.vector());
        KernelSelection.run(counted, () -> checkGradient(type, act, lik));
        assertThat(counted.target().name()).startsWith(path.equals("scalar") ? "scalar" : "simd-");
        if (act == Activation.TANH) {
            assertThat(counted.otherCalls()).as("tanh on the %s kernels", path).isPositive();
        }
        assertThat(counted.likelihoodCalls() > 0).as("likelihood calls on the %s kernels", path)
                .isEqualTo(!lik.equals("gaussian-fixed"));
    }

    private static void checkGradient(ModelType type, Activation act, String lik) {
        Architecture a = arch(type, act, lik);
        VaeObjective objective = new VaeObjective(a, JavaKernels.INSTANCE);
        float[] params = NativeNetwork.initialize(a, 11).parameters();
        // Larger weights than the default initialisation make every term of the gradient matter.
        for (int i = 0; i < params.length; i++) {
            params[i] *= 1.5f;
        }
        float[] x = data(lik, 7);
        float[] eps = new float[N * a.latentDim()];
        new NormalSampler(13).fill(eps, 0, eps.length);
        Workspace ws = objective.workspace(N);
        double beta = 0.7;
        float[] grad = new float[params.length];
        objective.lossAndGradient(params, x, 0, N, eps, beta, grad, ws);
        GradientCheck.check(params, grad,
                () -> objective.loss(params, x, 0, N, eps, ws, null, null).meanLoss(beta), 1e-3f, 3e-3, 2e-2);
    }

    @ParameterizedTest(name = "{2} {0} {1}")
    @MethodSource("ownParameterCases")
    void givenALikelihoodWithOwnParameters_whenBackpropagated_thenEveryParameterHisOwnIncludedMatchesFiniteDifferences(
            ModelType type, Activation act, String lik) {
        Architecture a = arch(type, act, lik);
        VaeObjective objective = new VaeObjective(a, JavaKernels.INSTANCE);
        int own = a.likelihoodParameterCount();
        assertThat(own).isPositive();
        // No decoder weight for them: the last decoder layer [4 x raw width - own] stops before them.
        assertThat(objective.parameterCount()).isEqualTo(objective.sharedOutputLayoutParameterCount() - 4 * own);
        float[] params = NativeNetwork.initialize(a, 11).parameters();
        for (int i = 0; i < params.length; i++) {
            params[i] *= 1.5f;
        }
        float[] x = data("bernoulli", 7);
        float[] eps = new float[N * a.latentDim()];
        new NormalSampler(13).fill(eps, 0, eps.length);
        Workspace ws = objective.workspace(N);
        float[] grad = new float[params.length];
        java.util.Arrays.fill(grad, Float.NaN);
        objective.lossAndGradient(params, x, 0, N, eps, 0.7, grad, ws);

        int from = objective.likelihoodParameterOffset();
        assertThat(from + own).isEqualTo(params.length);
        double ownNorm = 0;
        for (int i = from; i < params.length; i++) {
            ownNorm += Math.abs(grad[i]);
        }
        assertThat(ownNorm).as("gradient of the likelihood's own parameters").isGreaterThan(1e-3);
        GradientCheck.check(params, grad,
                () -> objective.loss(params, x, 0, N, eps, ws, null, null).meanLoss(0.7), 1e-3f, 3e-3, 2e-2);
    }

    static Stream<Arguments> ownParameterCases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (String lik : List.of("gaussian-shared", "gaussian-shared:logvar-unbounded", "student-t-shared:nu=3",
                "composite:bernoulli[0-1],gaussian-shared[2-3],student-t[4-5]",
                "composite:gaussian[0-2],student-t-shared[3-5]")) {
            b.add(Arguments.of(ModelType.VAE, Activation.TANH, lik));
            b.add(Arguments.of(ModelType.VAE, Activation.RELU, lik));
            b.add(Arguments.of(ModelType.AE, Activation.TANH, lik));
        }
        return b.build();
    }

    @Test
    void givenSharedVariances_whenEveryRowIsDecoded_thenTheLogVariancesAreTheLikelihoodParametersForEveryRow() {
        Architecture a = arch(ModelType.VAE, Activation.TANH, "gaussian-shared");
        NativeNetwork net = NativeNetwork.initialize(a, 3);
        float[] z = new float[N * a.latentDim()];
        new NormalSampler(5).fill(z, 0, z.length);
        float[] raw = new float[N * 2 * D];
        net.newEvaluator().decode(z, 0, N, raw);
        float[] p = net.parameters();
        float[] own = net.likelihoodParameters();
        assertThat(own).hasSize(D)
                .isEqualTo(java.util.Arrays.copyOfRange(p, net.objective().likelihoodParameterOffset(), p.length));
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < D; j++) {
                assertThat(raw[i * 2 * D + D + j]).isEqualTo(own[j]);
            }
            assertThat(raw[i * 2 * D]).isNotEqualTo(raw[((i + 1) % N) * 2 * D]);
        }
    }

    /**
     * Parameters in the layout of model files up to version 2 (the decoder's last layer [4 x 2D], the log-variances
     * the biases of its columns D..2D-1 behind zero weights) convert to a network whose decoding gives, bit for bit,
     * what the whole old layer gave; a non-zero weight into those columns is refused, naming its index.
     */
    @Test
    void givenTheSharedOutputLayout_whenConverted_thenTheDecoderGivesTheOldBitsAndANonZeroHeldWeightIsRefused() {
        Architecture a = arch(ModelType.VAE, Activation.TANH, "gaussian-shared");
        VaeObjective objective = new VaeObjective(a, JavaKernels.INSTANCE);
        int[] sizes = a.decoderSizes();
        sizes[sizes.length - 1] = 2 * D;
        DenseStack full = new DenseStack(sizes, a.activation(), objective.encoder().parameterCount());
        float[] old = new float[objective.sharedOutputLayoutParameterCount()];
        SplittableRandom r = new SplittableRandom(21);
        for (int i = 0; i < old.length; i++) {
            old[i] = (float) (2 * r.nextDouble() - 1);
        }
        int last = full.layers() - 1;
        for (int in = 0; in < full.width(last); in++) {
            for (int c = D; c < 2 * D; c++) {
                old[full.weightOffset(last) + in * 2 * D + c] = 0f;
            }
        }
        NativeNetwork net = new NativeNetwork(objective, objective.fromSharedOutputLayout(old, "Parameter"));
        float[] back = new float[old.length];
        java.util.Arrays.fill(back, Float.NaN);
        objective.toSharedOutputLayout(net.parameters(), back);
        assertThat(back).as("the inverse conversion").isEqualTo(old);
        float[] z = new float[N * a.latentDim()];
        new NormalSampler(8).fill(z, 0, z.length);
        float[] raw = new float[N * 2 * D];
        net.newEvaluator().decode(z, 0, N, raw);
        float[][] outs = new float[full.layers()][N * 2 * D];
        full.forward(JavaKernels.INSTANCE, old, z, 0, N, outs);
        assertThat(raw).isEqualTo(outs[last]);
        assertThat(net.likelihoodParameters()).isEqualTo(
                java.util.Arrays.copyOfRange(old, full.biasOffset(last) + D, full.biasOffset(last) + 2 * D));

        int bad = full.weightOffset(last) + 3 * 2 * D + D + 1;
        old[bad] = 0.25f;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> objective.fromSharedOutputLayout(old, "Parameter"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Parameter " + bad).hasMessageContaining("gaussian-shared")
                .hasMessageContaining("0.25");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> objective.fromSharedOutputLayout(new float[objective.parameterCount()], "Parameter"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count mismatch");
    }

    @Test
    void givenAVae_whenKlGradientIsolated_thenItMatchesFiniteDifferencesOfTheKlTerm() {
        Architecture a = arch(ModelType.VAE, Activation.TANH, "gaussian");
        VaeObjective objective = new VaeObjective(a, JavaKernels.INSTANCE);
        float[] params = NativeNetwork.initialize(a, 5).parameters();
        for (int i = 0; i < params.length; i++) {
            params[i] *= 3f;
        }
        float[] x = data("gaussian", 9);
        float[] eps = new float[N * a.latentDim()];
        new NormalSampler(17).fill(eps, 0, eps.length);
        Workspace ws = objective.workspace(N);
        float[] g1 = new float[params.length];
        float[] g0 = new float[params.length];
        objective.lossAndGradient(params, x, 0, N, eps, 1.0, g1, ws);
        objective.lossAndGradient(params, x, 0, N, eps, 0.0, g0, ws);
        float[] klGrad = new float[params.length];
        for (int i = 0; i < params.length; i++) {
            klGrad[i] = g1[i] - g0[i];
        }
        GradientCheck.check(params, klGrad, () -> objective.loss(params, x, 0, N, eps, ws, null, null).meanKl(),
                1e-3f, 2e-3, 2e-2);
        assertThat(objective.loss(params, x, 0, N, eps, ws, null, null).kl()).isPositive();
    }
}
