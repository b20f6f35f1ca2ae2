package dev.vae.anomaly.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vae.core.nn.ModelType;
import dev.vae.core.ScoreKind;
import dev.vae.core.ScoreSettings;
import dev.vae.core.VaeModel;
import dev.vae.core.testing.SharedData;
import dev.vae.train.TrainingConfig;
import dev.vae.train.VaeTrainer;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ScorerTest {

    private static VaeModel breastw;
    private static Table data;

    @BeforeAll
    static void trainOnBreastw() throws Exception {
        data = CsvReader.read(SharedData.require("data/breastw/breastw.csv"), CsvOptions.withLabel("label", Set.of()));
        TrainingConfig cfg = TrainingConfig.defaults().withEpochs(30).withSeed(7);
        breastw = new VaeTrainer(cfg).fit(data.normalOnly()).model();
    }

    private static float[] linearRows(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * LinearGaussianVae.D];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (2 * r.nextDouble() - 1) * 2f;
        }
        return x;
    }

    @Test
    void givenExactPosterior_whenIwaeScored_thenEqualsExactNegativeLogLikelihoodForAnyK() {
        VaeModel model = LinearGaussianVae.model(0, 0, 3);
        float[] x = linearRows(20, 1);
        for (int k : new int[] {1, 4, 64}) {
            double[] s = new Scorer(model, new ScoreSettings(ScoreKind.IWAE, k)).score(x, 20);
            for (int i = 0; i < 20; i++) {
                // With the exact posterior every importance weight equals p(x): the bound is tight sample by sample.
                assertThat(s[i]).isCloseTo(LinearGaussianVae.negativeLogLikelihood(x, i * 3), within(2e-4));
            }
        }
    }

    @Test
    void givenApproximatePosterior_whenKGrows_thenIwaeDecreasesTowardsExactAndStaysAboveIt() {
        VaeModel model = LinearGaussianVae.model(0.4, 0.8, 5);
        int n = 1000;
        float[] x = linearRows(n, 2);
        double exact = 0;
        for (int i = 0; i < n; i++) {
            exact += LinearGaussianVae.negativeLogLikelihood(x, i * 3) / n;
        }
        double elbo = mean(new Scorer(model, new ScoreSettings(ScoreKind.NEGATIVE_ELBO, 200)).score(x, n));
        double k1 = mean(new Scorer(model, new ScoreSettings(ScoreKind.IWAE, 1)).score(x, n));
        double k10 = mean(new Scorer(model, new ScoreSettings(ScoreKind.IWAE, 10)).score(x, n));
        double k1000 = mean(new Scorer(model, new ScoreSettings(ScoreKind.IWAE, 1000)).score(x, n));
        double analyticElbo = exactElbo(model, x, n);
        // The sampled estimators agree with the closed-form ELBO up to Monte Carlo error.
        assertThat(elbo).isCloseTo(analyticElbo, within(0.03));
        assertThat(k1).isCloseTo(analyticElbo, within(0.2));
        assertThat(analyticElbo).isGreaterThan(exact + 0.5);
        assertThat(k10).isLessThan(analyticElbo).isGreaterThan(exact);
        assertThat(k1000).isLessThan(k10).isGreaterThanOrEqualTo(exact - 1e-3);
        assertThat(k1000 - exact).isLessThan(0.02);
    }

    /** The closed-form mean negative ELBO of the linear Gaussian model: E_q[-log p(x|z)] + KL. */
    static double exactElbo(VaeModel model, float[] x, int n) {
        int d = 3;
        int k = 2;
        float[] mu = new float[n * k];
        float[] lv = new float[n * k];
        model.network().newEvaluator().encode(x, 0, n, mu, lv);
        double tot = 0;
        for (int i = 0; i < n; i++) {
            double q = 0;
            for (int j = 0; j < d; j++) {
                double m = LinearGaussianVae.B[j];
                for (int t = 0; t < k; t++) {
                    m += mu[i * k + t] * LinearGaussianVae.W[t][j];
                }
                double r = x[i * d + j] - m;
                q += r * r;
                for (int t = 0; t < k; t++) {
                    q += Math.exp(lv[i * k + t]) * LinearGaussianVae.W[t][j] * LinearGaussianVae.W[t][j];
                }
            }
            double recon = 0.5 * (d * Math.log(2 * Math.PI * LinearGaussianVae.V) + q / LinearGaussianVae.V);
            double kl = 0;
            for (int t = 0; t < k; t++) {
                double m = mu[i * k + t];
                double l = lv[i * k + t];
                kl += -0.5 * (1 + l - m * m - Math.exp(l));
            }
            tot += recon + kl;
        }
        return tot / n;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    @Test
    void givenSampledScores_whenRowsScoredInAnyBatchOrderOrThread_thenScoresAreBitIdentical() throws Exception {
        int n = 200;
        float[] x = new float[n * data.width()];
        System.arraycopy(data.values(), 0, x, 0, x.length);
        for (ScoreSettings s : List.of(new ScoreSettings(ScoreKind.NEGATIVE_ELBO, 5), new ScoreSettings(ScoreKind.IWAE, 7),
                new ScoreSettings(ScoreKind.RECONSTRUCTION, 3))) {
            Scorer scorer = new Scorer(breastw, s);
            double[] batch = scorer.score(x, n);
            int d = data.width();
            float[] reversed = new float[x.length];
            for (int i = 0; i < n; i++) {
                System.arraycopy(x, i * d, reversed, (n - 1 - i) * d, d);
            }
            double[] rev = scorer.score(reversed, n);
            ExecutorService pool = Executors.newFixedThreadPool(3);
            List<Future<Double>> singles = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                float[] row = java.util.Arrays.copyOfRange(x, i * d, (i + 1) * d);
                singles.add(pool.submit(() -> scorer.score(row)));
            }
            for (int i = 0; i < n; i++) {
                assertThat(rev[n - 1 - i]).isEqualTo(batch[i]);
                assertThat(singles.get(i).get()).isEqualTo(batch[i]);
            }
            pool.shutdown();
            double[] offset = new double[n + 3];
            scorer.score(x, 10, n - 10, offset, 3);
            for (int i = 10; i < n; i++) {
                assertThat(offset[i - 7]).isEqualTo(batch[i]);
            }
        }
    }

    @Test
    void givenAnyScore_whenExplained_thenFeaturePartsSumToReconstructionAndElboIsReconPlusKl() {
        int n = 100;
        float[] x = java.util.Arrays.copyOf(data.values(), n * data.width());
        for (ScoreSettings s : List.of(new ScoreSettings(ScoreKind.NEGATIVE_ELBO, 0), new ScoreSettings(ScoreKind.NEGATIVE_ELBO, 4),
                new ScoreSettings(ScoreKind.RECONSTRUCTION, 2), new ScoreSettings(ScoreKind.IWAE, 3))) {
            Scorer scorer = new Scorer(breastw, s);
            ScoreBreakdown b = scorer.explain(x, n);
            assertThat(b.scores()).containsExactly(scorer.score(x, n));
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int j = 0; j < b.features(); j++) {
                    sum += b.contribution(i, j);
                }
                assertThat(sum).isCloseTo(b.reconstruction()[i], within(1e-9 * (1 + Math.abs(sum))));
                assertThat(b.kl()[i]).isGreaterThanOrEqualTo(0);
                if (s.kind() == ScoreKind.NEGATIVE_ELBO) {
                    assertThat(b.scores()[i]).isEqualTo(b.reconstruction()[i] + b.kl()[i]);
                } else if (s.kind() == ScoreKind.RECONSTRUCTION) {
                    assertThat(b.scores()[i]).isEqualTo(b.reconstruction()[i]);
                }
            }
        }
    }

    @Test
    void givenSharedVariances_whenScored_thenTheBoundLikelihoodGivesTheNegativeElboOfThePerRowFormulas() {
        VaeModel shared = new VaeTrainer(TrainingConfig.defaults().toBuilder().epochs(30).seed(7)
                .likelihood(dev.vae.core.likelihood.LearnedVarianceGaussian.SHARED).build()).fit(data.normalOnly()).model();
        assertThat(shared.architecture().likelihood().id()).isEqualTo("gaussian-shared");
        assertThat(shared.nativeNetwork().scoringLikelihood())
                .isInstanceOf(dev.vae.core.likelihood.SharedVarianceGaussian.class);
        int n = data.rows();
        double[] scores = new Scorer(shared).score(data.values(), n);
        // The training objective's forward pass: the decoder's full last layer and the per-row likelihood.
        dev.vae.core.nn.NativeNetwork net = shared.nativeNetwork();
        float[] x = shared.toModelSpace(data.values(), n);
        double[] recon = new double[n];
        double[] kl = new double[n];
        net.objective().loss(net.parameters(), x, 0, n, null, net.objective().workspace(n), recon, kl);
        for (int i = 0; i < n; i++) {
            double expected = recon[i] + kl[i];
            assertThat(scores[i]).as("row %d", i).isCloseTo(expected, within(1e-5 * Math.max(1, Math.abs(expected))));
        }
    }

    @Test
    void givenBreastwModel_whenScoringAnomaliesAndNormals_thenAnomaliesScoreHigherOnAverage() {
        double[] s = new Scorer(breastw).score(data.values(), data.rows());
        double normal = 0;
        double anomalous = 0;
        int na = 0;
        for (int i = 0; i < s.length; i++) {
            if (data.labels()[i] != 0) {
                anomalous += s[i];
                na++;
            } else {
                normal += s[i];
            }
        }
        assertThat(anomalous / na).isGreaterThan(normal / (s.length - na) + 5);
    }

    @Test
    void givenWrongWidthOrAutoencoderIwae_whenScoring_thenClearError() {
        Scorer scorer = new Scorer(breastw);
        assertThatThrownBy(() -> scorer.score(new float[10], 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 2 rows of 9 features");
        VaeModel ae = new VaeTrainer(TrainingConfig.defaults().withEpochs(2)
                .withArchitecture(List.of(), 0, null, ModelType.AE)).fit(data).model();
        assertThatThrownBy(() -> new Scorer(ae, new ScoreSettings(ScoreKind.IWAE, 4)))
                .hasMessageContaining("needs a VAE");
        double[] r = new Scorer(ae, new ScoreSettings(ScoreKind.RECONSTRUCTION, 0)).score(data.values(), data.rows());
        double[] e = new Scorer(ae, new ScoreSettings(ScoreKind.NEGATIVE_ELBO, 5)).score(data.values(), data.rows());
        assertThat(e).containsExactly(r);
    }

    @Test
    void givenLogSumExpOfHugeValues_whenComputed_thenNoOverflow() {
        double[] a = {1000, 1000, 1000};
        assertThat(Scorer.logSumExp(a, 0, 3)).isCloseTo(1000 + Math.log(3), within(1e-12));
    }
}
