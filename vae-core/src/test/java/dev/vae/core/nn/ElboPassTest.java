package dev.vae.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vae.core.kernel.JavaKernels;
import dev.vae.core.likelihood.FixedVarianceGaussian;
import dev.vae.core.likelihood.LearnedVarianceGaussian;
import dev.vae.core.random.NormalSampler;
import dev.vae.core.testing.RealRows;
import dev.vae.core.testing.RealRows.Scaling;
import java.util.List;
import org.junit.jupiter.api.Test;

class ElboPassTest {

    @Test
    void givenKnownGaussians_whenKlDivergenceIsComputed_thenItIsTheClosedForm() {
        // N(0, 1) against N(0, 1): 0.
        assertThat(ElboPass.klDivergence(new float[] {0f}, 0, new float[] {0f}, 0, 1)).isZero();
        // N(mu, s^2) against N(0, 1) is (s^2 + mu^2 - 1 - log s^2) / 2: mu = 2, s^2 = e gives (e + 4 - 1 - 1) / 2.
        double kl = ElboPass.klDivergence(new float[] {9f, 2f}, 1, new float[] {1f, 7f}, 0, 1);
        assertThat(kl).isCloseTo((Math.E + 2) / 2, within(1e-12));
        // Coordinates add: two of them, read from their offsets.
        double two = ElboPass.klDivergence(new float[] {2f, 0f}, 0, new float[] {1f, 0f}, 0, 2);
        assertThat(two).isEqualTo(kl);
    }

    @Test
    void givenAMeanLogVarianceAndNoise_whenDrawn_thenZIsMuPlusSigmaTimesEps() {
        assertThat(ElboPass.draw(1f, 0f, 0.5f)).isEqualTo(1.5f);
        assertThat(ElboPass.draw(-2f, (float) Math.log(4), 1f)).isEqualTo(0f);
        assertThat(ElboPass.draw(3f, 5f, 0f)).isEqualTo(3f);
    }

    @Test
    void givenADraw_whenTheImportanceLogWeightIsAsked_thenItIsLogPriorMinusLogPosteriorComputedDirectly() {
        RealRows data = RealRows.read("data/shuttle/shuttle.csv", 20, Scaling.STANDARDIZE);
        Architecture a = new Architecture(data.features(), List.of(16), 3, List.of(16), Activation.TANH,
                LearnedVarianceGaussian.INSTANCE, ModelType.VAE);
        NativeNetwork net = NativeNetwork.initialize(a, 4);
        ElboPass pass = ElboPass.of(net);
        pass.encode(data.values(), 0, 20);
        NormalSampler[] noise = new NormalSampler[20];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = new NormalSampler(100 + i);
        }
        pass.decodeSample(noise);
        // The same draws again, by hand: log N(z; 0, I) - log N(z; mu, diag(sigma^2)).
        float[] mu = new float[20 * 3];
        float[] logvar = new float[20 * 3];
        net.newEvaluator().encode(data.values(), 0, 20, mu, logvar);
        for (int i = 0; i < 20; i++) {
            NormalSampler s = new NormalSampler(100 + i);
            float[] eps = new float[3];
            s.fill(eps, 0, 3);
            double expected = 0;
            for (int j = 0; j < 3; j++) {
                int t = i * 3 + j;
                double sd = Math.exp(0.5 * logvar[t]);
                double z = mu[t] + sd * eps[j];
                double logPrior = -0.5 * z * z - 0.5 * Math.log(2 * Math.PI);
                double logPost = -0.5 * Math.pow((z - mu[t]) / sd, 2) - Math.log(sd) - 0.5 * Math.log(2 * Math.PI);
                expected += logPrior - logPost;
            }
            assertThat(pass.logPriorOverPosterior(i)).as("row %d", i).isCloseTo(expected, within(1e-5));
        }
    }

    @Test
    void givenANetwork_whenItsPassRunsAtTheMean_thenTermsEqualTheObjectivesForwardPassAndSumOverFeatures() {
        RealRows data = RealRows.read("data/shuttle/shuttle.csv", 50, Scaling.STANDARDIZE);
        Architecture a = new Architecture(data.features(), List.of(16), 4, List.of(16), Activation.TANH,
                LearnedVarianceGaussian.INSTANCE, ModelType.VAE);
        float[] params = NativeNetwork.initialize(a, 8).parameters();
        VaeObjective objective = new VaeObjective(a, JavaKernels.INSTANCE);
        double[] recon = new double[50];
        double[] kl = new double[50];
        BatchLoss loss = objective.loss(params, data.values(), 0, 50, null, objective.workspace(50), recon, kl);

        ElboPass pass = new ElboPass(objective.evaluator(params, objective.workspace(8)), a, a.likelihood());
        pass.encode(data.values(), 0, 50);
        pass.decodeMean();
        double sum = 0;
        double[] features = new double[data.features()];
        for (int i = 0; i < 50; i++) {
            assertThat(pass.reconstruction(i)).isEqualTo(recon[i]);
            assertThat(pass.kl(i)).isEqualTo(kl[i]).isPositive();
            pass.featureReconstruction(i, features, 0);
            assertThat(java.util.Arrays.stream(features).sum()).isCloseTo(recon[i], within(1e-9 * Math.abs(recon[i])));
            sum += recon[i];
        }
        assertThat(loss.reconstruction()).isEqualTo(sum);
    }

    @Test
    void givenAUnitVarianceGaussian_whenTermsOfTheDecoderMeanAreAsked_thenTheRowsExcessIsHalfItsSquaredError() {
        RealRows data = RealRows.read("data/shuttle/shuttle.csv", 30, Scaling.STANDARDIZE);
        int d = data.features();
        Architecture a = new Architecture(d, List.of(16), 3, List.of(16), Activation.TANH,
                FixedVarianceGaussian.unit(), ModelType.VAE);
        NativeNetwork net = NativeNetwork.initialize(a, 5);
        ElboPass pass = ElboPass.of(net);
        pass.encode(data.values(), 0, 30);
        pass.decodeMean();
        // The decoder's raw output at z = mu, by hand: for this likelihood it is the mean itself.
        float[] mu = new float[30 * 3];
        float[] raw = new float[30 * d];
        net.newEvaluator().encode(data.values(), 0, 30, mu, new float[30 * 3]);
        net.newEvaluator().decode(mu, 0, 30, raw);
        float[] mean = new float[d];
        double[] atX = new double[d];
        double[] atMean = new double[d];
        double[] atOwnRow = new double[d];
        for (int i = 0; i < 30; i++) {
            pass.decoderMean(i, mean, 0);
            pass.featureReconstruction(i, atX, 0);
            pass.featureReconstruction(i, mean, 0, atMean, 0);
            pass.featureReconstruction(i, data.values(), i * d, atOwnRow, 0);
            assertThat(atOwnRow).containsExactly(atX, within(0.0));
            for (int j = 0; j < d; j++) {
                assertThat(mean[j]).isEqualTo(raw[i * d + j]);
                // -log N(x; m, 1) + log N(m; m, 1) = (x - m)^2 / 2.
                double r = (double) data.values()[i * d + j] - mean[j];
                assertThat(atX[j] - atMean[j]).as("row %d feature %d", i, j).isCloseTo(r * r / 2, within(1e-9));
            }
        }
    }

    @Test
    void givenAnAutoencoder_whenEncoded_thenKlIsZeroAndADrawIsRefused() {
        RealRows data = RealRows.read("data/shuttle/shuttle.csv", 10, Scaling.STANDARDIZE);
        Architecture a = new Architecture(data.features(), List.of(8), 2, List.of(8), Activation.RELU,
                FixedVarianceGaussian.unit(), ModelType.AE);
        ElboPass pass = ElboPass.of(NativeNetwork.initialize(a, 3));
        pass.encode(data.values(), 0, 10);
        pass.decodeMean();
        double atMean = pass.reconstruction(3);
        assertThat(pass.kl(3)).isZero();
        pass.decodeAt(new float[10 * 2]);
        assertThat(pass.reconstruction(3)).as("noise is ignored by an autoencoder").isEqualTo(atMean);
        assertThatThrownBy(() -> pass.decodeSample(new NormalSampler[10]))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("autoencoder");
    }
}
