package dev.vae.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.anomaly.eval.RankingMetrics;
import dev.vae.anomaly.score.Scorer;
import dev.vae.core.VaeModel;
import dev.vae.core.testing.SharedData;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The estimator trains on a bounded sample of normal rows and its model ranks held-out anomalies higher. */
class VaeEstimatorTest {

    private static Dataset<Row> shuttle;

    @BeforeAll
    static void setUp() {
        SparkSession spark = LocalSpark.session();
        String path = SharedData.require("data/shuttle/shuttle.csv").toString();
        shuttle = spark.read().option("header", "true").option("inferSchema", "true").csv(path).repartition(4);
    }

    @Test
    void givenShuttle_whenFittedOnASampleOfNormalRows_thenHeldOutAnomaliesScoreHigher() {
        Dataset<Row>[] split = shuttle.randomSplit(new double[] {0.5, 0.5}, 7L);
        Dataset<Row> train = split[0];
        Dataset<Row> test = split[1].cache();
        VaeEstimator estimator = new VaeEstimator().setLabelCol("label").setMaxSampleRows(5000).setEpochs(12)
                .setHidden(32).setLatent(4).setSeed(11L).setThresholdQuantile(0.99);

        VaeTransformer fitted = estimator.fit(train);

        assertThat(fitted.parent()).isSameAs(estimator);
        assertThat(fitted.model().featureNames()).doesNotContain("label").hasSize(9);
        assertThat(Integer.parseInt(fitted.model().provenance().get("spark.sample-rows"))).isBetween(4500, 5000);
        assertThat(fitted.model().threshold().method()).isEqualTo("quantile:0.99");
        List<Row> rows = fitted.transform(test).select("score", "label", "is_anomaly").collectAsList();
        double[] scores = new double[rows.size()];
        int[] labels = new int[rows.size()];
        long flaggedAnomalies = 0;
        long anomalies = 0;
        for (int i = 0; i < scores.length; i++) {
            scores[i] = rows.get(i).getDouble(0);
            labels[i] = rows.get(i).getInt(1);
            anomalies += labels[i];
            flaggedAnomalies += labels[i] == 1 && rows.get(i).getBoolean(2) ? 1 : 0;
        }
        assertThat(RankingMetrics.auroc(scores, labels)).isGreaterThan(0.9);
        assertThat(flaggedAnomalies).isGreaterThan(anomalies / 2);
    }

    @Test
    void givenSameSeedAndPartitioning_whenFittedTwice_thenSameModelBytes() {
        Dataset<Row> small = shuttle.limit(3000).repartition(2).cache();
        VaeEstimator estimator = new VaeEstimator().setLabelCol("label").setMaxSampleRows(1000).setEpochs(2).setSeed(5L);

        VaeTransformer a = estimator.fit(small);
        VaeTransformer b = estimator.fit(small);

        assertThat(a.model().provenance().get("spark.sample-rows")).isEqualTo(b.model().provenance().get("spark.sample-rows"));
        assertThat(a.model().threshold().value()).isEqualTo(b.model().threshold().value());
        assertThat(a.model().nativeNetwork().parameters()).isEqualTo(b.model().nativeNetwork().parameters());
    }

    @Test
    void givenEnsembleTwo_whenFitted_thenTheModelAveragesTwoNetworksAndALatentColumnIsRefusedBeforeAnyJob() {
        Dataset<Row> small = shuttle.limit(3000).cache();
        VaeEstimator estimator = new VaeEstimator().setLabelCol("label").setMaxSampleRows(1000).setEpochs(2).setSeed(5L)
                .setEnsemble(2);

        VaeTransformer fitted = estimator.fit(small);

        VaeModel model = fitted.model();
        assertThat(model.memberCount()).isEqualTo(2);
        assertThat(model.provenance()).containsEntry("trainer.ensemble", "2");
        // The score column is the ensemble's: the Scorer's mean of the members, row by row.
        Scorer scorer = new Scorer(model);
        List<Row> scored = fitted.transform(small.limit(40)).collectAsList();
        for (Row r : scored) {
            float[] x = new float[model.inputDim()];
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) ((Number) r.getAs(model.featureNames().get(j))).doubleValue();
            }
            assertThat(r.<Double>getAs("score")).isEqualTo(scorer.score(x));
        }
        String refusal = "latentCol 'z' asks for latent means, but the model is an ensemble of 2 networks, each with"
                + " its own latent space";
        assertThatThrownBy(() -> fitted.setLatentCol("z")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(refusal);
        // Set round the setter (as a loaded param would be): transform refuses it on the driver, before any job.
        fitted.set(fitted.latentCol(), "z");
        assertThatThrownBy(() -> fitted.transform(small)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(refusal);
    }

    @Test
    void givenLabelAsInputColumn_whenFitted_thenErrorBeforeAnyJob() {
        VaeEstimator estimator = new VaeEstimator().setLabelCol("label").setInputCols("V1", "label");

        assertThatThrownBy(() -> estimator.fit(shuttle)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("The label column 'label' cannot be a feature");
    }

    @Test
    void givenQuantileOne_whenSetOrFitted_thenRefusedBeforeAnyJob() {
        assertThatThrownBy(() -> new VaeEstimator().setThresholdQuantile(1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid threshold quantile: 1.0 (expected 0 < q < 1)");
        // Set as a param, round the setter: fit refuses it before sampling, not after training.
        VaeEstimator estimator = new VaeEstimator().setLabelCol("label");
        estimator.set(estimator.thresholdQuantile(), 1.0);
        assertThatThrownBy(() -> estimator.fit(shuttle)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid quantile: 1.0 (expected 0 < q < 1)");
    }

    @Test
    void givenTrimParams_whenReadAsATrainingConfig_thenTheDefaultsAreTheLibrarysAndSetValuesArriveInTheModel() {
        dev.vae.train.TrainingConfig defaults = dev.vae.train.TrainingConfig.defaults();
        dev.vae.train.TrainingConfig fromSpark = new VaeEstimator().trainingConfig();
        assertThat(fromSpark.trimFraction()).isEqualTo(defaults.trimFraction());
        assertThat(fromSpark.trimAdaptive()).isEqualTo(defaults.trimAdaptive());
        assertThat(fromSpark.likelihood()).isNull();

        VaeEstimator fixed = new VaeEstimator().setLabelCol("label").setMaxSampleRows(1000).setEpochs(2).setSeed(5L)
                .setTrimFraction(0.2).setTrimAdaptive(false);
        VaeTransformer model = fixed.fit(shuttle.limit(3000));
        assertThat(model.model().provenance()).containsEntry("trainer.trim-fraction", "0.2")
                .containsEntry("trainer.trim-adaptive", "false");
        assertThat(model.model().architecture().likelihood().id()).isEqualTo(dev.vae.core.nn.Architecture.defaults(1).likelihood().id());
    }
}
