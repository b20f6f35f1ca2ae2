package dev.vae.core.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.kernel.ElementKernels;
import dev.vae.core.kernel.KernelSelection;
import dev.vae.core.likelihood.Likelihood;
import dev.vae.core.likelihood.Likelihoods;
import dev.vae.core.random.NormalSampler;
import dev.vae.core.testing.RealRows;
import dev.vae.core.testing.RealRows.Scaling;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SPEC section 3, end to end: a model's scoring forward pass (encoder, decoder, the likelihood's value and
 * per-feature terms, KL, and a sampled pass) gives the same bits with the scalar kernels, this JVM's vector kernels
 * and 256-bit and 512-bit vector kernels, for every likelihood, on real rows, in a batch (column layout) and one row
 * at a time (row layout).
 */
class ScoringBitsTest {

    private static final int BATCH = 120;
    private static final int SINGLE = 12;

    static Stream<Arguments> models() {
        List<Arguments> cases = new ArrayList<>();
        for (Activation act : List.of(Activation.TANH, Activation.RELU)) {
            cases.add(Arguments.of("bernoulli", "data/breastw/breastw.csv", Scaling.MIN_MAX, act));
            cases.add(Arguments.of("gaussian", "data/shuttle/shuttle.csv", Scaling.STANDARDIZE, act));
            cases.add(Arguments.of("gaussian-shared", "data/shuttle/shuttle.csv", Scaling.STANDARDIZE, act));
            cases.add(Arguments.of("gaussian-fixed", "data/shuttle/shuttle.csv", Scaling.STANDARDIZE, act));
            cases.add(Arguments.of("composite:gaussian[0-4],bernoulli[5-8]", "data/breastw/breastw.csv",
                    Scaling.MIN_MAX, act));
        }
        return cases.stream();
    }

    /** Everything a score is made of, for every row, as one list of doubles. */
    private static List<Double> scoreParts(NativeNetwork net, RealRows data) {
        Architecture a = net.architecture();
        int d = a.inputDim();
        int k = a.latentDim();
        int rw = a.decoderOutputDim();
        List<Double> out = new ArrayList<>();
        VaeNetwork.Evaluator ev = net.newEvaluator();
        float[] mu = new float[BATCH * k];
        float[] logvar = new float[BATCH * k];
        ev.encode(data.values(), 0, BATCH, mu, logvar);
        float[] raw = new float[BATCH * rw];
        ev.decode(mu, 0, BATCH, raw);
        for (int i = 0; i < SINGLE; i++) {
            // One row at a time runs the row layout (prepared weight rows) instead of the batch's columns.
            float[] m1 = new float[k];
            float[] lv1 = new float[k];
            ev.encode(data.values(), i * d, 1, m1, lv1);
            float[] r1 = new float[rw];
            ev.decode(m1, 0, 1, r1);
            addAll(out, m1);
            addAll(out, lv1);
            addAll(out, r1);
        }
        addAll(out, mu);
        addAll(out, logvar);
        addAll(out, raw);
        Likelihood lik = net.scoringLikelihood();
        double[] terms = new double[d];
        for (int i = 0; i < BATCH; i++) {
            out.add(lik.negativeLogLikelihood(data.values(), i * d, raw, i * rw, d));
            lik.featureNegativeLogLikelihood(data.values(), i * d, raw, i * rw, d, terms, 0);
            for (double t : terms) {
                out.add(t);
            }
        }
        // The objective's forward pass: KL, and the reconstruction at sampled z (noise from a fixed seed).
        VaeObjective objective = net.objective();
        float[] eps = new float[BATCH * k];
        new NormalSampler(77).fill(eps, 0, eps.length);
        double[] recon = new double[BATCH];
        double[] kl = new double[BATCH];
        objective.loss(net.parameters(), data.values(), 0, BATCH, eps, objective.workspace(BATCH), recon, kl);
        for (int i = 0; i < BATCH; i++) {
            out.add(recon[i]);
            out.add(kl[i]);
        }
        return out;
    }

    private static void addAll(List<Double> out, float[] v) {
        for (float f : v) {
            out.add((double) f);
        }
    }

    @ParameterizedTest(name = "{0} {3}")
    @MethodSource("models")
    void givenAModelAndRealRows_whenScoredWithScalarOrVectorKernelsOfAnyWidth_thenEveryBitIsTheSame(
            String likelihood, String file, Scaling scaling, Activation act) {
        RealRows data = RealRows.read(file, BATCH, scaling);
        Likelihood lik = Likelihoods.parse(likelihood);
        Architecture a = new Architecture(data.features(), List.of(24), 4, List.of(24), act, lik, ModelType.VAE);
        float[] params = NativeNetwork.initialize(a, 19).parameters();
        // Wider weights than the initialisation spread the outputs over the kernels' ranges (saturated tanh, large
        // logits, log-variances on both sides of the bound).
        for (int i = 0; i < params.length; i++) {
            params[i] *= 3f;
        }
        NativeNetwork net = new NativeNetwork(a, params);

        KernelSelection.Counting scalar = KernelSelection.counting(KernelSelection.scalar());
        List<Double> reference = KernelSelection.with(scalar, () -> scoreParts(net, data));
        assertThat(scalar.otherCalls()).as("the scalar matrix blocks ran").isPositive();
        boolean elementWiseLikelihood = !likelihood.equals("gaussian-fixed");
        assertThat(scalar.likelihoodCalls() > 0).as("the scalar likelihood kernels ran").isEqualTo(elementWiseLikelihood);

        for (ElementKernels k : List.of(KernelSelection.vector(), KernelSelection.vector(256),
                KernelSelection.vector(512))) {
            KernelSelection.Counting counted = KernelSelection.counting(k);
            List<Double> got = KernelSelection.with(counted, () -> scoreParts(net, data));
            assertThat(counted.otherCalls()).as("the %s matrix blocks ran", k.name()).isPositive();
            assertThat(got).hasSameSizeAs(reference);
            for (int i = 0; i < got.size(); i++) {
                assertThat(Double.doubleToLongBits(got.get(i))).as("%s, value %d: %s vs scalar %s", k.name(), i,
                        got.get(i), reference.get(i)).isEqualTo(Double.doubleToLongBits(reference.get(i)));
            }
        }
    }
}
