package dev.vae.anomaly.tribuo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import dev.vae.anomaly.score.Scorer;
import dev.vae.anomaly.threshold.ThresholdSpec;
import dev.vae.core.ScoreKind;
import dev.vae.core.ScoreSettings;
import dev.vae.core.VaeModel;
import dev.vae.core.data.Table;
import dev.vae.core.likelihood.Likelihoods;
import dev.vae.core.nn.Activation;
import dev.vae.core.testing.ModelFingerprint;
import dev.vae.train.TrainingConfig;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.Event;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.TrainerProvenance;

/**
 * A model's Tribuo provenance through Tribuo's and OLCUT's own tools: marshalled to JSON and back, it gives OLCUT
 * the trainer's configuration, from which a ConfigurationManager builds a trainer with the same settings, which
 * at the recorded invocation count trains the same model bit for bit.
 */
class VaeAnomalyTribuoProvenanceTest {

    private static MutableDataset<Event> benign;

    @BeforeAll
    static void loadBenignRows() {
        Table t = BreastwEvents.table();
        benign = BreastwEvents.dataset("breastw benign rows");
        for (int i = 0; i < t.rows(); i++) {
            if (t.labels()[i] == 0) {
                benign.add(BreastwEvents.example(t, i, j -> true));
            }
        }
    }

    /** Settings that differ from every default, so that a rebuilt trainer cannot match by falling back on them. */
    private static VaeAnomalyTrainer unusualTrainer() {
        TrainingConfig config = TrainingConfig.builder().hidden(List.of(12, 4)).latent(3)
                .likelihood(Likelihoods.parse("student-t")).activation(Activation.RELU).epochs(6).batchSize(48)
                .learningRate(0.003).validationFraction(0.2).patience(2).trimFraction(0.1).trimAdaptive(false)
                .trimWarmupEpochs(1).members(2).build();
        return new VaeAnomalyTrainer(config, ThresholdSpec.quantile(0.98), new ScoreSettings(ScoreKind.IWAE, 8), 1234L);
    }

    private static Object value(TrainerProvenance p, String field) {
        return ((PrimitiveProvenance<?>) p.getConfiguredParameters().get(field)).getValue();
    }

    @Test
    void givenATrainedModel_whenItsProvenanceGoesThroughJsonAndOlcut_thenTheRebuiltTrainerHasItsSettingsAndReplaysIt()
            throws Exception {
        VaeAnomalyTrainer trainer = unusualTrainer();
        trainer.train(benign);
        VaeAnomalyModel model = trainer.train(benign);  // the second run: its seed derives from invocation 1

        JsonProvenanceSerialization json = new JsonProvenanceSerialization(true);
        String text = json.marshalAndSerialize(model.getProvenance());
        ModelProvenance back = (ModelProvenance) json.deserializeAndUnmarshal(text);
        assertThat(back).isEqualTo(model.getProvenance());

        TrainerProvenance recorded = back.getTrainerProvenance();
        assertThat(recorded.getClassName()).isEqualTo(VaeAnomalyTrainer.class.getName());
        assertThat(recorded.getConfiguredParameters()).hasSize(18);
        assertThat(value(recorded, "hidden")).isEqualTo("12,4");
        assertThat(value(recorded, "likelihood")).isEqualTo(Likelihoods.parse("student-t").id());
        assertThat(value(recorded, "activation")).isEqualTo("relu");
        assertThat(value(recorded, "learningRate")).isEqualTo(0.003);
        assertThat(value(recorded, "trimAdaptive")).isEqualTo(false);
        assertThat(value(recorded, "ensemble")).isEqualTo(2);
        assertThat(value(recorded, "threshold")).isEqualTo(ThresholdSpec.quantile(0.98).id());
        assertThat(value(recorded, "score")).isEqualTo("iwae");
        assertThat(value(recorded, "scoreSamples")).isEqualTo(8);
        assertThat(value(recorded, "seed")).isEqualTo(1234L);
        int invocation = (Integer) recorded.getInstanceValues().get(TrainerProvenance.TRAIN_INVOCATION_COUNT).getValue();
        assertThat(invocation).isEqualTo(1);

        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(ProvenanceUtil.extractConfiguration(back));
        List<VaeAnomalyTrainer> rebuilt = cm.lookupAll(VaeAnomalyTrainer.class);
        assertThat(rebuilt).hasSize(1);
        VaeAnomalyTrainer again = rebuilt.get(0);
        assertThat(again).isNotSameAs(trainer);
        assertThat(again.getProvenance().getConfiguredParameters()).isEqualTo(recorded.getConfiguredParameters())
                .isEqualTo(trainer.getProvenance().getConfiguredParameters());
        assertThat(again.getInvocationCount()).isZero();

        again.setInvocationCount(invocation);
        VaeAnomalyModel replayed = again.train(benign);
        assertThat(replayed.getProvenance().getTrainerProvenance()).isEqualTo(recorded);
        assertThat(ModelFingerprint.of(replayed.vaeModel())).isEqualTo(ModelFingerprint.of(model.vaeModel()));
        assertThat(replayed.vaeModel().memberCount()).isEqualTo(2);
    }

    @Test
    void givenTheEnsembleField_whenTrained_thenTheModelAveragesTwoNetworksAndPredictsTheirMeanScore() {
        VaeAnomalyModel model = unusualTrainer().train(benign);

        VaeModel vae = model.vaeModel();
        assertThat(vae.memberCount()).isEqualTo(2);
        assertThat(vae.provenance()).containsEntry("trainer.ensemble", "2");
        Scorer first = new Scorer(vae.member(0));
        Scorer second = new Scorer(vae.member(1));
        for (int i = 0; i < 5; i++) {
            Example<Event> example = benign.getExample(i);
            float[] row = new float[vae.inputDim()];
            VaeAnomalyTrainer.fillRow(example, model.getFeatureIDMap(), row, 0);
            double mean = (first.score(row) + second.score(row)) / 2;
            assertThat(model.predict(example).getOutput().getScore()).as("example %d", i).isEqualTo(mean)
                    .isNotEqualTo(first.score(row));
        }
    }

    @Test
    void givenRunProvenance_whenTrained_thenInstanceValuesHoldItAndTheVaeTrainingRecord() {
        VaeAnomalyTrainer trainer = unusualTrainer();
        VaeAnomalyModel model = trainer.train(benign, Map.of("experiment", new StringProvenance("experiment", "e7")));
        Map<String, String> instance = new TreeMap<>();
        for (var pair : model.getProvenance().getInstanceProvenance()) {
            instance.put(pair.getA(), ((PrimitiveProvenance<?>) pair.getB()).getValue().toString());
        }
        Map<String, String> expected = new TreeMap<>();
        expected.put("experiment", "e7");
        model.vaeModel().provenance().forEach((k, v) -> expected.put(VaeAnomalyTrainer.TRAINING_RECORD_PREFIX + k, v));
        assertThat(instance).isEqualTo(expected);
        // The record tells a Tribuo user what the trainer's settings alone do not: the run's own seed and its end.
        assertThat(instance).containsKeys("vae.trainer.seed", "vae.result.epochs-run", "vae.result.stop-reason");
        assertThat(instance.get("vae.trainer.seed")).isNotEqualTo("1234");
    }

    @Test
    void givenRunProvenanceUsingTheRecordsPrefix_whenTrained_thenRefusedBeforeTraining() {
        VaeAnomalyTrainer trainer = unusualTrainer();
        Map<String, Provenance> clash = Map.of("vae.trainer.seed", new StringProvenance("vae.trainer.seed", "1"));
        assertThatThrownBy(() -> trainer.train(benign, clash)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'vae.trainer.seed'").hasMessageContaining("training record");
        assertThat(trainer.getInvocationCount()).isZero();
    }
}
