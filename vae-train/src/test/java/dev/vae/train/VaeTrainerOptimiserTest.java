package dev.vae.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import dev.vae.core.testing.SharedData;
import dev.vae.train.optim.Adam;
import dev.vae.train.optim.Optimiser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optimiser comes from the configuration: a factory of the default Adam trains to the default run's bits, another
 * optimiser trains and says so in the provenance, and a run whose optimiser is not an Adam refuses checkpoints and
 * resume before its first epoch.
 */
class VaeTrainerOptimiserTest {

    private static Table breastw;

    @TempDir
    Path dir;

    @BeforeAll
    static void readData() throws IOException {
        breastw = CsvReader.read(SharedData.require("data/breastw/breastw.csv"), CsvOptions.withLabel("label", Set.of()));
    }

    /** Plain gradient descent, {@code p -= lr * g}: the simplest optimiser that is not an Adam. */
    private record GradientDescent(float learningRate) implements Optimiser {
        @Override
        public void step(float[] params, float[] grad, float gradScale, int parts) {
            for (int i = 0; i < params.length; i++) {
                params[i] -= learningRate * (grad[i] * gradScale);
            }
        }

        @Override
        public String describe() {
            return String.format(Locale.ROOT, "gradient-descent(lr=%s)", learningRate);
        }
    }

    /** Two threads (so the step is split) and clipping (so the gradient is scaled) on a small network. */
    private static TrainingConfig.Builder small() {
        return TrainingConfig.builder().hidden(List.of(8)).latent(2).batchSize(32).seed(7).threads(2).epochs(4)
                .clipNorm(5);
    }

    @Test
    void givenAFactoryOfTheDefaultAdam_whenTrainedOnTwoThreads_thenWeightsAndHistoryAreTheDefaultRunsBitForBit() {
        TrainingConfig defaults = small().build();
        TrainingConfig factory = small().optimiserFactory(n -> new Adam(n, defaults.learningRate())).build();

        TrainingResult expected = new VaeTrainer(defaults).fit(breastw);
        TrainingResult actual = new VaeTrainer(factory).fit(breastw);

        assertThat(actual.model().nativeNetwork().parameters()).isEqualTo(expected.model().nativeNetwork().parameters());
        assertThat(actual.history().stream().map(EpochStats::loss).toList())
                .isEqualTo(expected.history().stream().map(EpochStats::loss).toList());
        assertThat(expected.model().provenance()).containsEntry("trainer.optimizer", "adam");
        assertThat(actual.model().provenance())
                .containsEntry("trainer.optimizer", "adam(lr=0.001, beta1=0.9, beta2=0.999, eps=1.0E-8)");
    }

    @Test
    void givenGradientDescent_whenTrained_thenTheTrainingLossFallsAndTheProvenanceNamesIt() {
        TrainingConfig config = small().epochs(10).trimFraction(0).optimiserFactory(n -> new GradientDescent(0.05f))
                .build();
        TrainingResult r = new VaeTrainer(config).fit(breastw);

        assertThat(r.history().get(r.history().size() - 1).loss()).isLessThan(0.8 * r.history().get(0).loss());
        assertThat(r.model().provenance()).containsEntry("trainer.optimizer", "gradient-descent(lr=0.05)");
    }

    @Test
    void givenAnOptimiserOtherThanAdam_whenCheckpointsAreAskedFor_thenTheRunIsRefusedBeforeItsFirstEpoch() {
        TrainingConfig config = small().optimiserFactory(n -> new GradientDescent(0.05f)).build();
        Path file = dir.resolve("run.ckpt");
        TrainerBitsTest.Events events = new TrainerBitsTest.Events();
        RunOptions options = RunOptions.none().withCheckpoints(file, 1).withListener(events);

        assertThatThrownBy(() -> new VaeTrainer(config).fit(breastw, options))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Checkpoints save the state of the library's Adam only")
                .hasMessageContaining("gradient-descent(lr=0.05)");
        assertThat(file).doesNotExist();
        assertThat(events.digest()).isEqualTo(new TrainerBitsTest.Events().digest());
    }

    @Test
    void givenAnOptimiserOtherThanAdam_whenResumingACheckpoint_thenRefusedNamingTheOptimiser() throws IOException {
        Path file = dir.resolve("adam.ckpt");
        new VaeTrainer(small().epochs(1).build()).fit(breastw, RunOptions.none().withCheckpoints(file, 1));
        Checkpoint saved = Checkpoint.read(file);
        TrainingConfig other = small().optimiserFactory(n -> new GradientDescent(0.05f)).build();

        assertThatThrownBy(() -> new VaeTrainer(other).resume(breastw, saved))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Checkpoints save the state of the library's Adam only")
                .hasMessageContaining("gradient-descent(lr=0.05)");
    }

    @Test
    void givenAFactoryOfAnAdamWithOtherBetas_whenCheckpointedAndResumed_thenItEndsOnTheUninterruptedBitsAndNoOtherRunTakesIt()
            throws IOException {
        TrainingConfig config = small().optimiserFactory(n -> new Adam(n, 0.002, 0.8, 0.99, 1e-7)).build();
        TrainingResult straight = new VaeTrainer(config).fit(breastw);
        Path file = dir.resolve("betas.ckpt");
        new VaeTrainer(config.withEpochs(2)).fit(breastw, RunOptions.none().withCheckpoints(file, 2));
        Checkpoint saved = Checkpoint.read(file);

        TrainingResult resumed = new VaeTrainer(config).resume(breastw, saved);
        assertThat(resumed.model().nativeNetwork().parameters()).isEqualTo(straight.model().nativeNetwork().parameters());
        assertThat(saved.fingerprint()).endsWith("; optimiser adam(lr=0.002, beta1=0.8, beta2=0.99, eps=1.0E-7)");
        // The default Adam's run differs from this one: the fingerprint says so.
        assertThatThrownBy(() -> new VaeTrainer(small().build()).resume(breastw, saved))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("belongs to another run");
        assertThat(Files.exists(file)).isTrue();
    }
}
