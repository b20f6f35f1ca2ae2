package dev.vae.core.likelihood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vae.core.nn.Architecture;
import dev.vae.core.nn.ModelType;
import dev.vae.core.kernel.JavaKernels;
import dev.vae.core.nn.Activation;
import dev.vae.core.nn.NativeNetwork;
import dev.vae.core.nn.VaeObjective;
import dev.vae.core.nn.Workspace;
import dev.vae.core.random.NormalSampler;
import dev.vae.core.scale.Scaler;
import dev.vae.core.testing.GradientCheck;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CompositeLikelihoodTest {

    private static final String MIXED = "composite:bernoulli[0-2],gaussian[3-5],gaussian-fixed:0.25[6]";
    private static final int D = 7;

    private static float[] row(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[D];
        for (int j = 0; j < D; j++) {
            x[j] = j < 3 ? (float) r.nextDouble() : (float) (2 * r.nextDouble() - 1);
        }
        return x;
    }

    private static float[] raw(Likelihood lik, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] raw = new float[lik.rawWidth(D)];
        for (int j = 0; j < raw.length; j++) {
            raw[j] = (float) (3 * r.nextDouble() - 1.5);
        }
        return raw;
    }

    @Test
    void givenAMixedComposite_whenGradientComputed_thenItMatchesFiniteDifferences() {
        Likelihood lik = Likelihoods.parse(MIXED);
        float[] x = row(3);
        float[] raw = raw(lik, 4);
        float[] grad = new float[raw.length];
        double nll = lik.gradient(x, 0, raw, 0, D, 1f, grad, 0);
        assertThat(nll).isCloseTo(lik.negativeLogLikelihood(x, 0, raw, 0, D), within(1e-9));
        GradientCheck.check(raw, grad, () -> lik.negativeLogLikelihood(x, 0, raw, 0, D), 1e-3f, 1e-4, 1e-3);
    }

    @Test
    void givenAMixedComposite_whenEvaluated_thenItIsTheSumOfItsBlocksOnTheirOwnRawSlices() {
        Likelihood lik = Likelihoods.parse(MIXED);
        float[] x = row(5);
        float[] raw = raw(lik, 6);
        // Raw layout is block-major: 3 logits, then 3 means and 3 raw log-variances, then 1 mean.
        assertThat(raw).hasSize(3 + 6 + 1);
        double expected = BernoulliLikelihood.INSTANCE.negativeLogLikelihood(x, 0, raw, 0, 3)
                + LearnedVarianceGaussian.INSTANCE.negativeLogLikelihood(x, 3, raw, 3, 3)
                + new FixedVarianceGaussian(0.25).negativeLogLikelihood(x, 6, raw, 9, 1);
        assertThat(lik.negativeLogLikelihood(x, 0, raw, 0, D)).isCloseTo(expected, within(1e-12));
        double[] parts = new double[D];
        lik.featureNegativeLogLikelihood(x, 0, raw, 0, D, parts, 0);
        double sum = 0;
        for (double p : parts) {
            sum += p;
        }
        assertThat(sum).isCloseTo(expected, within(1e-9));
        float[] mean = new float[D];
        lik.mean(raw, 0, D, mean, 0);
        assertThat(mean[0]).isCloseTo(Activation.sigmoid(raw[0]), within(1e-7f));
        assertThat(mean[3]).isEqualTo(raw[3]);
        assertThat(mean[6]).isEqualTo(raw[9]);
    }

    @Test
    void givenASharedVarianceBlock_whenItsParametersAreAsked_thenOnlyItsLogVariancesAreOwn_andTheDecoderSkipsThem() {
        // Raw layout: logits 0-2, then the gaussian-shared block's means 3-5 and log-variances 6-8, then 9.
        Likelihood c = Likelihoods.parse("composite:bernoulli[0-2],gaussian-shared[3-5],gaussian-fixed[6]");
        assertThat(c.rawWidth(D)).isEqualTo(10);
        for (int i = 0; i < 10; i++) {
            assertThat(c.isOwnParameter(D, i)).as("raw value %d", i).isEqualTo(i >= 6 && i <= 8);
        }
        assertThat(c.ownParameterCount(D)).isEqualTo(3);
        Architecture a = new Architecture(D, List.of(6), 2, List.of(5), Activation.TANH, c, ModelType.VAE);
        VaeObjective o = new VaeObjective(a, JavaKernels.INSTANCE);
        // The decoder computes the 7 other raw values; the 3 log-variances follow its parameters.
        assertThat(o.decoder().width(o.decoder().layers())).isEqualTo(7);
        assertThat(o.rawLayout().ownColumn(0)).isEqualTo(6);
        assertThat(o.rawLayout().decoderColumn(6)).isEqualTo(9);
        assertThat(o.parameterCount()).isEqualTo(o.sharedOutputLayoutParameterCount() - 5 * 3);
        assertThat(o.likelihoodParameterOffset()).isEqualTo(o.parameterCount() - 3);

        NativeNetwork net = NativeNetwork.initialize(a, 4);
        float[] z = {0.3f, -1.2f, 2f, 0.5f};
        float[] raw = new float[2 * 10];
        net.newEvaluator().decode(z, 0, 2, raw);
        float[] own = net.likelihoodParameters();
        for (int row = 0; row < 2; row++) {
            for (int t = 0; t < 3; t++) {
                assertThat(raw[row * 10 + 6 + t]).isEqualTo(own[t]);
            }
        }
        assertThat(raw[9]).isNotEqualTo(raw[19]);
    }

    @Test
    void givenBlocksInAnyOrder_whenParsed_thenTheIdRoundTripsSortedByColumn() {
        Likelihood lik = Likelihoods.parse("composite: gaussian[2-4] , bernoulli[0-1]");
        assertThat(lik.id()).isEqualTo("composite:bernoulli[0-1],gaussian[2-4]");
        assertThat(Likelihoods.parse(lik.id())).isEqualTo(lik);
        assertThat(Likelihoods.parse("composite:bernoulli[0],gaussian-fixed[1-2]").id())
                .isEqualTo("composite:bernoulli[0],gaussian-fixed[1-2]");
    }

    @Test
    void givenBlocksWithLogVarianceLinks_whenParsed_thenEachBlockKeepsItsLinkAndTheIdRoundTrips() {
        String id = "composite:bernoulli[0-1],gaussian:logvar-bound=7[2-4],gaussian-shared:logvar-unbounded[5]";
        Likelihood lik = Likelihoods.parse(id);
        assertThat(lik.id()).isEqualTo(id);
        assertThat(Likelihoods.parse(lik.id())).isEqualTo(lik);
        List<CompositeLikelihood.Block> blocks = ((CompositeLikelihood) lik).blocks();
        assertThat(blocks.get(1).likelihood()).isEqualTo(LearnedVarianceGaussian.bounded(false, 7));
        assertThat(blocks.get(2).likelihood()).isEqualTo(LearnedVarianceGaussian.unbounded(true));
        assertThatThrownBy(() -> Likelihoods.parse("composite:bernoulli[0-1],gaussian:logvar-bound=x[2-4]"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("logvar-bound=x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"composite:bernoulli[0-2],gaussian[4-5]", "composite:bernoulli[0-3],gaussian[3-5]",
            "composite:bernoulli[1-3]", "composite:bernoulli", "composite:bernoulli[a-b]", "composite:poisson[0-1]",
            "composite:composite:bernoulli[0-1][0-1]"})
    void givenAMalformedComposite_whenParsed_thenTheErrorNamesTheProblem(String text) {
        assertThatThrownBy(() -> Likelihoods.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching(".*(column|block|likelihood|composite).*");
    }

    @Test
    void givenDataOfAnotherWidth_whenUsed_thenTheErrorNamesBothWidths() {
        Likelihood lik = Likelihoods.parse("composite:bernoulli[0-1],gaussian[2-3]");
        assertThatThrownBy(() -> lik.rawWidth(5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("covers 4 columns").hasMessageContaining("has 5");
    }

    @Test
    void givenMixedColumns_whenScalerFitted_thenEachBlockGetsItsOwnScaling() {
        CompositeLikelihood lik = (CompositeLikelihood) Likelihoods.parse("composite:bernoulli[0-1],gaussian[2]");
        float[] data = {0, 255, 10, 51, 0, 20, 255, 102, 30};
        Scaler s = lik.fitScaler(data, 3, 3);
        float[] out = new float[data.length];
        s.apply(data, 0, out, 0, 3);
        // The Bernoulli block is min-max over its own two columns: 0..255 -> 0..1.
        assertThat(out[1]).isEqualTo(1f);
        assertThat(out[3]).isCloseTo(0.2f, within(1e-6f));
        // The Gaussian column is standardised: mean 20, population sd sqrt(200/3).
        assertThat(out[2]).isCloseTo((float) (-10 / Math.sqrt(200.0 / 3)), within(1e-5f));
        assertThat(out[5]).isCloseTo(0f, within(1e-6f));
    }

    @Test
    void givenACompositeVae_whenBackpropagated_thenTheWholeLossGradientMatchesFiniteDifferences() {
        Architecture a = new Architecture(D, List.of(5), 3, List.of(4), Activation.TANH, Likelihoods.parse(MIXED),
                ModelType.VAE);
        VaeObjective objective = new VaeObjective(a, JavaKernels.INSTANCE);
        float[] params = NativeNetwork.initialize(a, 11).parameters();
        int n = 4;
        float[] x = new float[n * D];
        for (int i = 0; i < n; i++) {
            System.arraycopy(row(20 + i), 0, x, i * D, D);
        }
        float[] eps = new float[n * 3];
        new NormalSampler(13).fill(eps, 0, eps.length);
        Workspace ws = objective.workspace(n);
        float[] grad = new float[params.length];
        objective.lossAndGradient(params, x, 0, n, eps, 1.0, grad, ws);
        GradientCheck.check(params, grad, () -> objective.loss(params, x, 0, n, eps, ws, null, null).meanLoss(1.0),
                1e-3f, 3e-3, 2e-2);
    }
}
