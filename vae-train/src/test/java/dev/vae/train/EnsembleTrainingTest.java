package dev.vae.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.core.VaeModel;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import dev.vae.core.nn.NativeNetwork;
import dev.vae.core.testing.SharedData;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An ensemble's members: one split, one scaler, their own seeds; the first is the single run's network. */
class EnsembleTrainingTest {

    private static Table breastw;
    private static final TrainingConfig ONE = TrainingConfig.defaults().toBuilder().epochs(6).threads(1).seed(11).build();

    @BeforeAll
    static void read() throws Exception {
        breastw = CsvReader.read(SharedData.require("data/breastw/breastw.csv"), CsvOptions.withLabel("label", Set.of()));
    }

    private static float[] parameters(VaeModel model, int member) {
        return ((NativeNetwork) model.members().get(member)).parameters();
    }

    @Test
    void givenThreeMembers_whenFitted_thenTheFirstIsTheSingleRunAndAllShareTheSplitAndTheScaler() {
        TrainingResult single = new VaeTrainer(ONE).fit(breastw);
        TrainingResult ensemble = new VaeTrainer(ONE.toBuilder().members(3).build()).fit(breastw);
        VaeModel model = ensemble.model();

        assertThat(model.memberCount()).isEqualTo(3);
        assertThat(ensemble.members()).hasSize(3);
        assertThat(single.members()).isEmpty();
        assertThat(parameters(model, 0)).containsExactly(single.model().network() instanceof NativeNetwork n
                ? n.parameters() : new float[0]);
        assertThat(model.scaler()).isEqualTo(single.model().scaler());
        // The first member's epochs, as the single run's (the seconds aside).
        assertThat(ensemble.history()).extracting(EpochStats::validationLoss)
                .isEqualTo(single.history().stream().map(EpochStats::validationLoss).toList());
        for (TrainingResult member : ensemble.members()) {
            assertThat(member.validation().values()).containsExactly(single.validation().values());
            assertThat(member.model().scaler()).isEqualTo(model.scaler());
        }
        // Their own seeds: three different networks.
        assertThat(parameters(model, 1)).isNotEqualTo(parameters(model, 0));
        assertThat(parameters(model, 2)).isNotEqualTo(parameters(model, 1));
        assertThat(model.provenance()).containsEntry("trainer.ensemble", "3").containsEntry("trainer.seed", "11")
                .containsEntry("member.2.seed", Long.toString(VaeTrainer.memberSeed(11, 1)))
                .containsEntry("member.3.best-epoch", Integer.toString(ensemble.members().get(2).bestEpoch()));
    }

    @Test
    void givenTheSameSeed_whenAnEnsembleIsFittedTwice_thenEveryMemberHasTheSameBits() {
        TrainingConfig two = ONE.toBuilder().members(2).build();
        VaeModel a = new VaeTrainer(two).fit(breastw).model();
        VaeModel b = new VaeTrainer(two).fit(breastw).model();
        for (int m = 0; m < 2; m++) {
            assertThat(parameters(a, m)).containsExactly(parameters(b, m));
        }
    }

    @Test
    void givenSeeds_whenMemberSeedsAreDerived_thenTheFirstIsTheSeedAndTheOthersDiffer() {
        Set<Long> seen = new HashSet<>();
        for (long seed : new long[] {0, 1, 42, -7}) {
            assertThat(VaeTrainer.memberSeed(seed, 0)).isEqualTo(seed);
            for (int m = 0; m < 16; m++) {
                assertThat(seen.add(VaeTrainer.memberSeed(seed, m))).isTrue();
            }
        }
    }

    @Test
    void givenAHugeLearningRate_whenAnEnsembleIsFitted_thenTheDivergenceNamesTheFirstMemberAndOffersNoModel() {
        VaeTrainer trainer = new VaeTrainer(ONE.toBuilder().members(2).learningRate(10).epochs(50).build());
        assertThatThrownBy(() -> trainer.fit(breastw))
                .isInstanceOfSatisfying(TrainingDivergedException.class, e -> {
                    assertThat(e.getMessage()).contains("ensemble member 1 of 2 (seed 11): ").contains("epoch");
                    assertThat(e.lastGoodModel()).isEmpty();
                });
    }

    @Test
    void givenCheckpoints_whenAnEnsembleIsFitted_thenRefusedBeforeTraining(@TempDir Path dir) {
        VaeTrainer trainer = new VaeTrainer(ONE.toBuilder().members(2).build());
        assertThatThrownBy(() -> trainer.fit(breastw, RunOptions.none().withCheckpoints(dir.resolve("c.ckpt"), 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ensemble of 2");
        assertThatThrownBy(() -> ONE.toBuilder().members(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ensemble size: 0");
    }
}
