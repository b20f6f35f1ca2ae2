package dev.vae.anomaly.tribuo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import dev.vae.core.data.Table;
import dev.vae.core.testing.ReadmeBlocks;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.anomaly.Event;
import org.tribuo.anomaly.evaluation.AnomalyEvaluation;
import org.tribuo.anomaly.evaluation.AnomalyEvaluator;

/**
 * A Tribuo user's round trip on breastw as sparse examples: train, predict, evaluate with Tribuo's
 * {@link AnomalyEvaluator}, marshal the provenance to JSON and rebuild the trainer from it. The README's Tribuo
 * round-trip block is this test's code between the tag comments, verbatim.
 */
class VaeAnomalyTribuoRoundTripTest {

    private static final Path SOURCE = Path.of(
            "src/test/java/dev/vae/anomaly/tribuo/VaeAnomalyTribuoRoundTripTest.java");

    @Test
    void givenReadme_whenRead_thenItHoldsTheRoundTripVerbatim() {
        assertThat(ReadmeBlocks.readme()).contains(ReadmeBlocks.javaBlock(SOURCE, "tribuo-round-trip"));
    }

    @Test
    void givenSparseBreastw_whenTrainedPredictedEvaluatedAndProvenanceMarshalled_thenEveryStepHolds() throws Exception {
        Table table = BreastwEvents.table();
        MutableDataset<Event> train = BreastwEvents.dataset("breastw benign even rows, sparse");
        MutableDataset<Event> test = BreastwEvents.dataset("breastw odd rows, sparse");
        for (int i = 0; i < table.rows(); i++) {
            if (i % 2 == 1) {
                test.add(BreastwEvents.shiftedSparse(table, i));
            } else if (table.labels()[i] == 0) {
                train.add(BreastwEvents.shiftedSparse(table, i));
            }
        }
        // tag::tribuo-round-trip[]
        VaeAnomalyTrainer trainer = new VaeAnomalyTrainer(42L);
        VaeAnomalyModel model = trainer.train(train);                   // a Dataset<Event> of expected events
        Prediction<Event> first = model.predict(test.getExample(0));    // absent features 0, unseen names ignored
        AnomalyEvaluation eval = new AnomalyEvaluator().evaluate(model, test);  // test: labelled events
        System.out.printf("precision %.2f, recall %.2f, F1 %.2f%n%s%n", eval.getPrecision(), eval.getRecall(),
                eval.getF1(), eval.confusionString());

        JsonProvenanceSerialization json = new JsonProvenanceSerialization(true);  // olcut-config-json
        String provenance = json.marshalAndSerialize(model.getProvenance());       // data, settings, training record
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(ProvenanceUtil.extractConfiguration(json.deserializeAndUnmarshal(provenance)));
        VaeAnomalyTrainer again = cm.lookupAll(VaeAnomalyTrainer.class).get(0);   // the same settings and seed
        // end::tribuo-round-trip[]

        // The data is sparse: most benign cells are 1, shifted to an absent 0.
        double meanFeatures = train.getData().stream().mapToInt(e -> e.size()).average().orElseThrow();
        assertThat(meanFeatures).isLessThan(0.5 * table.width());

        List<Prediction<Event>> predictions = model.predict(test);
        assertThat(first.getOutput().getScore()).isEqualTo(predictions.get(0).getOutput().getScore());
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long tn = 0;
        for (int i = 0; i < test.size(); i++) {
            boolean truth = test.getExample(i).getOutput().getType() == Event.EventType.ANOMALOUS;
            boolean flagged = predictions.get(i).getOutput().getType() == Event.EventType.ANOMALOUS;
            tp += truth && flagged ? 1 : 0;
            fp += !truth && flagged ? 1 : 0;
            fn += truth && !flagged ? 1 : 0;
            tn += !truth && !flagged ? 1 : 0;
        }
        assertThat(List.of(eval.getTruePositives(), eval.getFalsePositives(), eval.getFalseNegatives(),
                eval.getTrueNegatives())).isEqualTo(List.of(tp, fp, fn, tn));
        assertThat(eval.getPrecision()).isEqualTo((double) tp / (tp + fp), within(1e-12));
        assertThat(eval.getRecall()).isEqualTo((double) tp / (tp + fn), within(1e-12));
        assertThat(eval.getF1()).isEqualTo(2.0 * tp / (2 * tp + fp + fn), within(1e-12));
        // Malignant cells stand out on breastw, as they do with dense rows (VaeAnomalyTrainerTest).
        assertThat(eval.getRecall()).isGreaterThan(0.8);
        assertThat(eval.getPrecision()).isGreaterThan(0.6);

        assertThat(provenance).contains(VaeAnomalyTrainer.class.getName()).contains("breastw benign even rows, sparse");
        assertThat(again.getProvenance().getConfiguredParameters())
                .isEqualTo(trainer.getProvenance().getConfiguredParameters());
    }
}
