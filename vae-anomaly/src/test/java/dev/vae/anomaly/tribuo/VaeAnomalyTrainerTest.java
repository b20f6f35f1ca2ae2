package dev.vae.anomaly.tribuo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import dev.vae.anomaly.threshold.ThresholdSpec;
import dev.vae.core.ScoreSettings;
import dev.vae.core.testing.SharedData;
import dev.vae.train.TrainingConfig;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import java.io.ByteArrayOutputStream;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.Excuse;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.Event;
import org.tribuo.anomaly.evaluation.AnomalyEvaluation;
import org.tribuo.anomaly.evaluation.AnomalyEvaluator;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

class VaeAnomalyTrainerTest {

    private static MutableDataset<Event> train;
    private static MutableDataset<Event> test;

    @BeforeAll
    static void loadBreastw() throws Exception {
        Table t = CsvReader.read(SharedData.require("data/breastw/breastw.csv"), CsvOptions.withLabel("label", Set.of()));
        AnomalyFactory factory = new AnomalyFactory();
        train = new MutableDataset<>(new SimpleDataSourceProvenance("breastw expected (even rows)", factory), factory);
        test = new MutableDataset<>(new SimpleDataSourceProvenance("breastw (odd rows)", factory), factory);
        String[] names = t.columns().toArray(new String[0]);
        for (int i = 0; i < t.rows(); i++) {
            double[] v = new double[t.width()];
            for (int j = 0; j < v.length; j++) {
                v[j] = t.values()[i * t.width() + j];
            }
            boolean anomaly = t.labels()[i] != 0;
            ArrayExample<Event> e = new ArrayExample<>(anomaly ? AnomalyFactory.ANOMALOUS_EVENT : AnomalyFactory.EXPECTED_EVENT,
                    names, v);
            if (i % 2 == 1) {
                test.add(e);
            } else if (!anomaly) {
                train.add(e);
            }
        }
    }

    @Test
    void givenExpectedEvents_whenTrainedAndEvaluated_thenAnomalyEvaluatorReportsGoodDetection() {
        VaeAnomalyTrainer trainer = new VaeAnomalyTrainer(11L);
        VaeAnomalyModel model = trainer.train(train);
        assertThat(trainer.getInvocationCount()).isEqualTo(1);
        List<Prediction<Event>> predictions = model.predict(test);
        assertThat(predictions).hasSize(test.size());
        for (int i = 0; i < predictions.size(); i++) {
            Event e = predictions.get(i).getOutput();
            assertThat(e.getType()).isEqualTo(model.threshold().isAnomalous(e.getScore())
                    ? Event.EventType.ANOMALOUS : Event.EventType.EXPECTED);
            // Batch and single-example prediction agree exactly.
            assertThat(model.predict(test.getExample(i)).getOutput().getScore()).isEqualTo(e.getScore());
        }
        AnomalyEvaluation eval = new AnomalyEvaluator().evaluate(model, test);
        long anomalies = test.getData().stream().filter(x -> x.getOutput().getType() == Event.EventType.ANOMALOUS).count();
        assertThat(eval.getTruePositives() + eval.getFalseNegatives()).isEqualTo(anomalies);
        assertThat(eval.getTruePositives() + eval.getFalseNegatives() + eval.getFalsePositives() + eval.getTrueNegatives())
                .isEqualTo(test.size());
        assertThat(eval.getRecall()).isGreaterThan(0.8);
        assertThat(eval.getPrecision()).isGreaterThan(0.6);

        assertThat(model.getProvenance().getTrainerProvenance().getClassName()).isEqualTo(VaeAnomalyTrainer.class.getName());
        assertThat(model.getProvenance().getTrainerProvenance().toString()).contains("split").contains("seed");
        assertThat(model.getProvenance().getDatasetProvenance().toString()).contains("breastw expected");
        assertThat(model.vaeModel().threshold().method()).startsWith("split: ");
    }

    @Test
    void givenSameSeedAndInvocation_whenTrainedTwice_thenIdenticalScores() {
        VaeAnomalyTrainer a = new VaeAnomalyTrainer(5L);
        VaeAnomalyTrainer b = new VaeAnomalyTrainer(5L);
        b.setInvocationCount(0);
        double sa = a.train(train).predict(test.getExample(0)).getOutput().getScore();
        double sb = b.train(train).predict(test.getExample(0)).getOutput().getScore();
        assertThat(sa).isEqualTo(sb);
        double second = a.train(train).predict(test.getExample(0)).getOutput().getScore();
        assertThat(second).isNotEqualTo(sa);
    }

    @Test
    void givenPrediction_whenExcused_thenFeaturePartsSumToReconstructionAndAreSorted() {
        VaeAnomalyModel model = new VaeAnomalyTrainer(3L).train(train);
        Excuse<Event> excuse = model.getExcuse(test.getExample(0)).orElseThrow();
        var parts = excuse.excuse(org.tribuo.Model.ALL_OUTPUTS);
        assertThat(parts).hasSize(9);
        for (int i = 1; i < parts.size(); i++) {
            assertThat(parts.get(i).getB()).isLessThanOrEqualTo(parts.get(i - 1).getB());
        }
        assertThat(model.getTopFeatures(5)).isEmpty();
        assertThatThrownBy(() -> new ObjectOutputStream(new ByteArrayOutputStream()).writeObject(model))
                .isInstanceOf(NotSerializableException.class).hasMessageContaining("ModelFile");
    }

    @Test
    void givenThresholdF1_whenTrainerConfigured_thenRefusedBeforeTrainingWithClearMessage() {
        // The trainer sees only unlabelled expected events, so a strategy that needs labels can never be fitted.
        assertThatThrownBy(() -> new VaeAnomalyTrainer(TrainingConfig.defaults(), ThresholdSpec.bestF1(),
                ScoreSettings.defaults(), 1L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'f1' needs labelled anomalies")
                .hasMessageContaining("pot:Q");

        ConfigurationManager cm = new ConfigurationManager("/dev/vae/anomaly/tribuo/trainers.xml");
        assertThatThrownBy(() -> cm.lookup("f1"))
                .rootCause().hasMessageContaining("'f1' needs labelled anomalies");
        assertThat(cm.lookup("pot")).isInstanceOf(VaeAnomalyTrainer.class).asString()
                .contains("threshold=pot:0.001").contains("seed=3");
    }
}
