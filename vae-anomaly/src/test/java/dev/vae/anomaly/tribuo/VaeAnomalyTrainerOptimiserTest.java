package dev.vae.anomaly.tribuo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.impl.NullConfiguredProvenance;
import dev.vae.anomaly.Detector;
import dev.vae.anomaly.eval.RankingMetrics;
import dev.vae.anomaly.threshold.ThresholdSpec;
import dev.vae.core.ScoreSettings;
import dev.vae.core.data.Table;
import dev.vae.core.testing.ModelFingerprint;
import dev.vae.core.testing.ReadmeBlocks;
import dev.vae.train.RunOptions;
import dev.vae.train.TrainingConfig;
import dev.vae.train.TrainingResult;
import dev.vae.train.VaeTrainer;
import dev.vae.train.optim.Adam;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.anomaly.Event;
import org.tribuo.math.StochasticGradientOptimiser;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.math.optimisers.SGD;
import org.tribuo.provenance.TrainerProvenance;

/**
 * A Tribuo user's optimiser trains the VAE: Tribuo's AdaGrad on breastw lowers the loss and ranks the malignant rows
 * above the benign ones; the optimiser is part of the trainer's provenance, from which OLCUT rebuilds a trainer that
 * replays the run; without one, the trainer gives the bits it gave before; a run with it refuses checkpoints.
 */
class VaeAnomalyTrainerOptimiserTest {

    private static final Path SOURCE = Path.of(
            "src/test/java/dev/vae/anomaly/tribuo/VaeAnomalyTrainerOptimiserTest.java");

    private static Table table;
    private static Table benignEven;
    private static MutableDataset<Event> train;
    private static MutableDataset<Event> test;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadBreastw() {
        table = BreastwEvents.table();
        train = BreastwEvents.dataset("breastw benign even rows");
        test = BreastwEvents.dataset("breastw odd rows");
        int[] even = IntStream.range(0, table.rows())
                .filter(i -> i % 2 == 0 && table.labels()[i] == 0).toArray();
        benignEven = table.select(even);
        for (int i = 0; i < table.rows(); i++) {
            if (i % 2 == 1) {
                test.add(BreastwEvents.example(table, i, j -> true));
            } else if (table.labels()[i] == 0) {
                train.add(BreastwEvents.example(table, i, j -> true));
            }
        }
    }

    @Test
    void givenReadme_whenRead_thenItHoldsTheOptimiserLineVerbatim() {
        assertThat(ReadmeBlocks.readme()).contains(ReadmeBlocks.javaBlock(SOURCE, "tribuo-optimiser"));
    }

    @Test
    void givenAdaGrad_whenTrainedOnBenignBreastw_thenTheLossFallsAndMalignantRowsScoreAboveBenignOnes() {
        TrainingConfig config = TrainingConfig.builder().seed(3)
                .optimiserFactory(new TribuoOptimiserFactory(new AdaGrad(0.1))).build();
        TrainingResult run = new VaeTrainer(config).fit(benignEven);
        double first = run.history().get(0).validationLoss();
        double best = run.history().get(run.bestEpoch() - 1).validationLoss();
        assertThat(best).isLessThan(0.5 * first);

        // tag::tribuo-optimiser[]
        VaeAnomalyModel model = new VaeAnomalyTrainer(42L).withOptimiser(new AdaGrad(0.1)).train(train);
        // end::tribuo-optimiser[]
        List<Prediction<Event>> predictions = model.predict(test);
        double[] scores = predictions.stream().mapToDouble(p -> p.getOutput().getScore()).toArray();
        int[] labels = test.getData().stream()
                .mapToInt(e -> e.getOutput().getType() == Event.EventType.ANOMALOUS ? 1 : 0).toArray();
        assertThat(RankingMetrics.auroc(scores, labels)).isGreaterThan(0.9);
        assertThat(model.vaeModel().provenance()).containsEntry("trainer.optimizer",
                "tribuo AdaGrad(initialLearningRate=0.1,epsilon=1.0E-6,initialValue=0.0)");
    }

    @Test
    void givenNoOptimiser_whenTrained_thenTheBitsAndSettingsAreThoseOfTheDefaultTrainer() {
        VaeAnomalyModel plain = quick(7L).train(train);
        VaeAnomalyModel nullOptimiser = quick(7L).withOptimiser(null).train(train);
        assertThat(ModelFingerprint.of(nullOptimiser.vaeModel())).isEqualTo(ModelFingerprint.of(plain.vaeModel()));
        assertThat(nullOptimiser.getProvenance().getTrainerProvenance().getConfiguredParameters())
                .isEqualTo(plain.getProvenance().getTrainerProvenance().getConfiguredParameters());
        assertThat(plain.getProvenance().getTrainerProvenance().getConfiguredParameters().get("optimiser"))
                .isInstanceOf(NullConfiguredProvenance.class);
        assertThat(plain.vaeModel().provenance()).containsEntry("trainer.optimizer", "adam");
    }

    @Test
    void givenTribuoOptimisers_whenTheirModelsProvenanceGoesThroughJsonAndOlcut_thenTheRebuiltTrainerHasTheSameOptimiserAndReplaysTheRun()
            throws Exception {
        for (StochasticGradientOptimiser optimiser : List.of(new AdaGrad(0.05, 1e-5),
                SGD.getSimpleSGD(0.02, 0.9, SGD.Momentum.STANDARD))) {
            VaeAnomalyTrainer trainer = quick(99L).withOptimiser(optimiser);
            VaeAnomalyModel model = trainer.train(train);

            JsonProvenanceSerialization json = new JsonProvenanceSerialization(true);
            var back = json.deserializeAndUnmarshal(json.marshalAndSerialize(model.getProvenance()));
            assertThat(back).isEqualTo(model.getProvenance());
            TrainerProvenance recorded = model.getProvenance().getTrainerProvenance();
            ConfiguredObjectProvenance recordedOptimiser =
                    (ConfiguredObjectProvenance) recorded.getConfiguredParameters().get("optimiser");
            assertThat(recordedOptimiser).isEqualTo(optimiser.getProvenance());

            ConfigurationManager cm = new ConfigurationManager();
            cm.addConfiguration(ProvenanceUtil.extractConfiguration(back));
            VaeAnomalyTrainer again = cm.lookupAll(VaeAnomalyTrainer.class).get(0);
            assertThat(again.getProvenance().getConfiguredParameters()).isEqualTo(recorded.getConfiguredParameters());
            assertThat(again.toString()).contains("optimiser=" + optimiser);

            VaeAnomalyModel replayed = again.train(train);
            assertThat(ModelFingerprint.of(replayed.vaeModel())).as(optimiser.toString())
                    .isEqualTo(ModelFingerprint.of(model.vaeModel()));
            Map<String, String> instance = new TreeMap<>();
            for (var pair : model.getProvenance().getInstanceProvenance()) {
                instance.put(pair.getA(), ((PrimitiveProvenance<?>) pair.getB()).getValue().toString());
            }
            assertThat(instance).containsEntry("vae.trainer.optimizer", "tribuo " + optimiser);
        }
    }

    @Test
    void givenATrainingConfigWithATribuoFactory_whenGivenToTheTrainer_thenItIsTheConfiguredOptimiser() {
        TrainingConfig config = TrainingConfig.builder().epochs(2)
                .optimiserFactory(new TribuoOptimiserFactory(new AdaGrad(0.05))).build();
        VaeAnomalyTrainer trainer = new VaeAnomalyTrainer(config, ThresholdSpec.defaults(), ScoreSettings.defaults(), 1L);
        assertThat(trainer.getProvenance().getConfiguredParameters().get("optimiser"))
                .isEqualTo(new AdaGrad(0.05).getProvenance());

        TrainingConfig lambda = TrainingConfig.builder().optimiserFactory(n -> new Adam(n, 0.01)).build();
        assertThatThrownBy(() -> new VaeAnomalyTrainer(lambda, ThresholdSpec.defaults(), ScoreSettings.defaults(), 1L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Tribuo StochasticGradientOptimiser");
    }

    @Test
    void givenATribuoOptimiser_whenCheckpointsAreAskedFor_thenTheRunIsRefusedWithAClearMessage() {
        TrainingConfig config = TrainingConfig.builder().epochs(3)
                .optimiserFactory(new TribuoOptimiserFactory(new AdaGrad(0.1))).build();
        Path file = dir.resolve("run.ckpt");
        assertThatThrownBy(() -> Detector.builder().training(config).fit(benignEven,
                RunOptions.none().withCheckpoints(file, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Checkpoints save the state of the library's Adam only")
                .hasMessageContaining("tribuo AdaGrad(");
        assertThat(file).doesNotExist();
    }

    /** A trainer of few epochs, for the tests that compare runs rather than judge a model. */
    private static VaeAnomalyTrainer quick(long seed) {
        return new VaeAnomalyTrainer(TrainingConfig.builder().epochs(4).build(), ThresholdSpec.defaults(),
                ScoreSettings.defaults(), seed);
    }
}
