package dev.vae.anomaly.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vae.core.nn.ModelType;
import dev.vae.core.VaeModel;
import dev.vae.core.likelihood.BernoulliLikelihood;
import dev.vae.core.nn.VaeNetwork;
import dev.vae.core.testing.SharedData;
import dev.vae.train.TrainingConfig;
import dev.vae.train.VaeTrainer;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Bernoulli model on real data (Wisconsin breast cancer, min-max scaled by the model) scores rows beyond the
 * training range above every training row, instead of letting {@code softplus(a) - x a} run to minus infinity.
 */
class BernoulliOutOfRangeTest {

    static Table data;
    static VaeModel model;
    static Scorer scorer;
    static double[] trainingScores;
    static float[] maxima;

    @BeforeAll
    static void train() throws Exception {
        data = CsvReader.read(SharedData.require("data/breastw/breastw.csv"), CsvOptions.withLabel("label", Set.of()));
        TrainingConfig config = TrainingConfig.defaults().withEpochs(30).withSeed(5).toBuilder().threads(1).build()
                .withArchitecture(List.of(16), 3, BernoulliLikelihood.INSTANCE, ModelType.VAE);
        model = new VaeTrainer(config).fit(data).model();
        scorer = new Scorer(model);
        trainingScores = scorer.score(data.values(), data.rows());
        int d = data.width();
        maxima = new float[d];
        Arrays.fill(maxima, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < data.rows(); i++) {
            for (int j = 0; j < d; j++) {
                maxima[j] = Math.max(maxima[j], data.values()[i * d + j]);
            }
        }
    }

    @Test
    void givenARowFarBeyondTheTrainingRange_whenScored_thenItScoresAboveEveryTrainingRow() {
        float[] extreme = maxima.clone();
        for (int j = 0; j < extreme.length; j++) {
            extreme[j] *= 10;
        }
        double top = Arrays.stream(trainingScores).max().orElseThrow();
        System.out.printf("bernoulli breastw: training rows score %.3g to %.3g nats; 10x their maxima %.4g%n",
                Arrays.stream(trainingScores).min().orElseThrow(), top, scorer.score(extreme));
        assertThat(scorer.score(extreme)).isGreaterThan(top);
        // Below the range too (breastw's values start at 1: 10x the range below the minimum).
        float[] low = new float[maxima.length];
        Arrays.fill(low, -90f);
        assertThat(scorer.score(low)).isGreaterThan(top);
    }

    @Test
    void givenOneFeatureBeyondTheRange_whenExplained_thenThatFeatureCarriesTheLargestContribution() {
        int d = data.width();
        float[] row = Arrays.copyOfRange(data.values(), 0, d);
        row[4] = 10 * maxima[4];
        ScoreBreakdown parts = scorer.explain(row, 1);
        double[] c = parts.featureContributions();
        for (int j = 0; j < d; j++) {
            if (j != 4) {
                assertThat(c[4]).as("feature 4 against %d", j).isGreaterThan(c[j]);
            }
        }
        assertThat(parts.scores()[0]).isGreaterThan(trainingScores[0]);
    }

    @Test
    void givenARowOfTheTrainingMaxima_whenScored_thenItIsInRangeAndScoresByThePlainBernoulliFormula() {
        int d = data.width();
        float[] x = model.toModelSpace(maxima, 1);
        for (float v : x) {
            assertThat(v).isBetween(0f, 1f);
        }
        // The deterministic negative ELBO (z = mu) from the decoder's logits and the plain formula.
        VaeNetwork.Evaluator ev = model.network().newEvaluator();
        int k = model.latentDim();
        float[] mu = new float[k];
        float[] logvar = new float[k];
        ev.encode(x, 0, 1, mu, logvar);
        float[] logits = new float[model.architecture().decoderOutputDim()];
        ev.decode(mu, 0, 1, logits);
        double expected = 0;
        for (int j = 0; j < d; j++) {
            expected += BernoulliLikelihood.softplus(logits[j]) - x[j] * (double) logits[j];
        }
        for (int j = 0; j < k; j++) {
            expected += -0.5 * (1 + logvar[j] - (double) mu[j] * mu[j] - Math.exp(logvar[j]));
        }
        assertThat(scorer.score(maxima)).isCloseTo(expected, within(1e-5 * Math.max(1, Math.abs(expected))));
    }
}
