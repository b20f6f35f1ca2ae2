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

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("sharedCases")
    void givenSharedVariances_whenBackpropagated_thenFreeParametersMatchFiniteDifferencesAndSharedWeightsStayZero(
            ModelType type, Activation act) {
        Architecture a = arch(type, act, "gaussian-shared");
        VaeObjective objective = new VaeObjective(a, JavaKernels.INSTANCE);
        float[] params = NativeNetwork.initialize(a, 11).parameters();
        for (int i = 0; i < params.length; i++) {
            params[i] *= 1.5f;
        }
        float[] x = data("gaussian", 7);
        float[] eps = new float[N * a.latentDim()];
        new NormalSampler(13).fill(eps, 0, eps.length);
        Workspace ws = objective.workspace(N);
        float[] grad = new float[params.length];
        java.util.Arrays.fill(grad, Float.NaN);
        objective.lossAndGradient(params, x, 0, N, eps, 0.7, grad, ws);

        // The decoder's last layer is [4 x 2D]: its weights into columns D..2D-1 are the shared (held) ones.
        DenseStack dec = objective.decoder();
        int last = dec.layers() - 1;
        int w = dec.weightOffset(last);
        int out = dec.width(last + 1);
        java.util.function.IntPredicate held = i -> i >= w && i < dec.biasOffset(last) && (i - w) % out >= D;
        int heldCount = 0;
        for (int i = 0; i < params.length; i++) {
            if (held.test(i)) {
                heldCount++;
                assertThat(params[i]).as("initial weight %d into a shared output", i).isZero();
                assertThat(grad[i]).as("gradient of held weight %d", i).isZero();
            }
        }
        assertThat(heldCount).isEqualTo(4 * D);
        assertThat(objective.firstNonZeroSharedOutputWeight(params)).isEqualTo(-1);
        GradientCheck.check(params, grad,
                () -> objective.loss(params, x, 0, N, eps, ws, null, null).meanLoss(0.7), 1e-3f, 3e-3, 2e-2,
                held.negate());
    }

    static Stream<Arguments> sharedCases() {
        return Stream.of(Arguments.of(ModelType.VAE, Activation.TANH), Arguments.of(ModelType.VAE, Activation.RELU),
                Arguments.of(ModelType.AE, Activation.TANH));
    }

    @Test
    void givenSharedVariances_whenEveryRowIsDecoded_thenTheLogVariancesAreTheBiasForEveryRow() {
        Architecture a = arch(ModelType.VAE, Activation.TANH, "gaussian-shared");
        NativeNetwork net = NativeNetwork.initialize(a, 3);
        float[] z = new float[N * a.latentDim()];
        new NormalSampler(5).fill(z, 0, z.length);
        float[] raw = new float[N * 2 * D];
        net.newEvaluator().decode(z, 0, N, raw);
        DenseStack dec = net.objective().decoder();
        float[] p = net.parameters();
        int bias = dec.biasOffset(dec.layers() - 1);
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < D; j++) {
                assertThat(raw[i * 2 * D + D + j]).isEqualTo(p[bias + D + j]);
            }
            assertThat(raw[i * 2 * D]).isNotEqualTo(raw[((i + 1) % N) * 2 * D]);
        }
    }

    @Test
    void givenSharedVariances_whenAHeldWeightIsNotZero_thenTheNetworkIsRefusedNamingTheParameter() {
        Architecture a = arch(ModelType.VAE, Activation.TANH, "gaussian-shared");
        NativeNetwork net = NativeNetwork.initialize(a, 3);
        float[] p = net.parameters();
        DenseStack dec = net.objective().decoder();
        int bad = dec.weightOffset(dec.layers() - 1) + D + 1;
        p[bad] = 0.25f;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> net.withParameters(p))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Parameter " + bad).hasMessageContaining("gaussian-shared")
                .hasMessageContaining("0.25");
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
