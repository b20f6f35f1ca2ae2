package dev.vae.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vae.core.VaeModel;
import dev.vae.core.nn.NativeNetwork;
import dev.vae.core.testing.SharedData;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Early stopping, divergence, checkpoints and resume, threads and schedules, on real data sets. */
class TrainingFeaturesTest {

    @TempDir
    Path dir;

    private static Table read(String set) throws IOException {
        return CsvReader.read(SharedData.require("data/" + set + "/" + set + ".csv"), CsvOptions.withLabel("label", Set.of()));
    }

    /** Every 16th shuttle row: 3069 rows, small enough for a fast test. */
    private static Table shuttleSample() throws IOException {
        Table all = read("shuttle");
        int[] idx = new int[all.rows() / 16];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i * 16;
        }
        return all.select(idx);
    }

    private static TrainingConfig.Builder small() {
        return TrainingConfig.builder().hidden(List.of(32)).latent(4).batchSize(64).threads(1);
    }

    private static float[] weights(VaeModel m) {
        return m.nativeNetwork().parameters();
    }

    @Test
    void givenASmallSetThatOverfits_whenValidationStopsImproving_thenTheBestEpochsWeightsAreRestored() throws IOException {
        Table data = read("ionosphere");
        TrainingConfig config = TrainingConfig.builder().hidden(List.of(128)).latent(8).batchSize(16).learningRate(0.01)
                .validationFraction(0.3).patience(3).epochs(300).threads(1).trimFraction(0).build();
        List<Integer> earlyStops = new ArrayList<>();
        TrainingResult r = new VaeTrainer(config).fit(data, RunOptions.none().withListener(new TrainingListener() {
            @Override
            public void onEarlyStop(int epoch, int bestEpoch, int patience) {
                earlyStops.add(bestEpoch);
            }
        }));

        assertThat(r.stopReason()).startsWith("early stop");
        assertThat(earlyStops).containsExactly(r.bestEpoch());
        List<EpochStats> h = r.history();
        assertThat(h).hasSize(r.bestEpoch() + 3);
        double best = h.get(r.bestEpoch() - 1).validationLoss();
        assertThat(h).allSatisfy(s -> assertThat(s.validationLoss()).isGreaterThanOrEqualTo(best));
        // The returned model reproduces the best epoch's validation loss bit for bit, not the last epoch's.
        VaeModel m = r.model();
        NativeNetwork net = m.nativeNetwork();
        Table v = r.validation();
        float[] xv = m.toModelSpace(v.values(), v.rows());
        double restored = VaeTrainer.evaluate(net.objective(), net.parameters(), xv, v.rows(),
                net.objective().workspace(v.rows())).meanLoss(1.0);
        assertThat(restored).isEqualTo(best);
        assertThat(restored).isNotEqualTo(h.get(h.size() - 1).validationLoss());
        assertThat(m.provenance()).containsEntry("result.best-epoch", Integer.toString(r.bestEpoch()));
        // What a rerun must match to reproduce the bits (VaeTrainer's class javadoc), written with the model.
        assertThat(m.provenance()).containsKey("trainer.threads")
                .containsEntry("trainer.vector-lanes", "8 (fixed: bits independent of the vector width)");
        assertThat(m.provenance().get("trainer.matrix-kernels"))
                .matches("java \\(portable: .*\\)|\\w+ \\(native BLAS, \\d+ thread\\(s\\) per call: .*\\)");
    }

    @Test
    void givenAHugeLearningRate_whenTrained_thenItStopsWithAMessageNamingEpochAndBatchAndKeepsFiniteWeights()
            throws IOException {
        Table data = shuttleSample();
        TrainingConfig config = small().learningRate(10).epochs(50).build();
        List<String> stops = new ArrayList<>();
        assertThatThrownBy(() -> new VaeTrainer(config).fit(data, RunOptions.none().withListener(new TrainingListener() {
            @Override
            public void onStop(String reason, int bestEpoch) {
                stops.add(reason);
            }
        })))
                .isInstanceOfSatisfying(TrainingDivergedException.class, e -> {
                    assertThat(e.getMessage()).matches("Training diverged at epoch \\d+, batch \\d+: .*");
                    assertThat(e.epoch()).isPositive();
                    assertThat(e.batch()).isPositive();
                    e.lastGoodModel().ifPresent(m -> {
                        for (float w : weights(m)) {
                            assertThat(Float.isFinite(w)).isTrue();
                        }
                    });
                    assertThat(e.lastGoodModel().isPresent()).isEqualTo(e.epoch() > 1);
                });
        assertThat(stops).hasSize(1);
    }

    @Test
    void givenARunInterruptedAfterACheckpoint_whenResumed_thenItEndsOnTheSameBitsAsAnUninterruptedRun()
            throws IOException {
        Table data = shuttleSample();
        TrainingConfig config = small().epochs(4).threads(2).klWarmupEpochs(3).clipNorm(50).build();
        TrainingResult straight = new VaeTrainer(config).fit(data);

        Path file = dir.resolve("run.ckpt");
        RunOptions crashInEpoch3 = RunOptions.none().withCheckpoints(file, 2).withListener(new TrainingListener() {
            @Override
            public void onEpochEnd(EpochStats stats) {
                if (stats.epoch() == 3) {
                    throw new IllegalStateException("simulated crash in epoch 3");
                }
            }
        });
        assertThatThrownBy(() -> new VaeTrainer(config).fit(data, crashInEpoch3)).hasMessageContaining("simulated crash");
        Checkpoint c = Checkpoint.read(file);
        assertThat(c.epoch()).isEqualTo(2);

        TrainingResult resumed = new VaeTrainer(config).resume(data, c);
        assertThat(weights(resumed.model())).containsExactly(weights(straight.model()));
        assertThat(resumed.bestEpoch()).isEqualTo(straight.bestEpoch());
        assertThat(resumed.history()).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(resumed.history().get(i).loss()).isEqualTo(straight.history().get(i).loss());
            assertThat(resumed.history().get(i).validationLoss()).isEqualTo(straight.history().get(i).validationLoss());
        }
        assertThat(resumed.model().provenance()).containsEntry("result.resumed-after-epoch", "2");
    }

    @Test
    void givenACheckpointOfAnotherRun_whenResumed_thenItIsRefusedNamingBothRuns() throws IOException {
        Table data = shuttleSample();
        Path file = dir.resolve("a.ckpt");
        new VaeTrainer(small().epochs(1).build()).fit(data, RunOptions.none().withCheckpoints(file, 1));
        Checkpoint c = Checkpoint.read(file);
        assertThatThrownBy(() -> new VaeTrainer(small().epochs(2).seed(7).build()).resume(data, c))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another run")
                .hasMessageContaining("seed 42").hasMessageContaining("seed 7");
    }

    @Test
    void givenADamagedCheckpoint_whenRead_thenAClearErrorNamesTheFile() throws IOException {
        Table data = shuttleSample();
        Path file = dir.resolve("b.ckpt");
        new VaeTrainer(small().epochs(1).build()).fit(data, RunOptions.none().withCheckpoints(file, 1));
        byte[] bytes = Files.readAllBytes(file);
        Checkpoint back = Checkpoint.fromBytes(bytes, "memory");
        assertThat(back.toBytes()).isEqualTo(bytes);

        byte[] flipped = bytes.clone();
        flipped[flipped.length - 100] ^= 1;
        Path bad = dir.resolve("bad.ckpt");
        Files.write(bad, flipped);
        assertThatThrownBy(() -> Checkpoint.read(bad)).isInstanceOf(IOException.class)
                .hasMessageContaining("bad.ckpt").hasMessageContaining("SHA-256");
        Path cut = dir.resolve("cut.ckpt");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> Checkpoint.read(cut)).isInstanceOf(IOException.class).hasMessageContaining("truncated");
    }

    @Test
    void givenTwoThreads_whenTrainedTwice_thenTheModelsAreBitIdenticalAndAsGoodAsOneThread() throws IOException {
        Table data = shuttleSample();
        TrainingResult a = new VaeTrainer(small().epochs(3).threads(2).build()).fit(data);
        TrainingResult b = new VaeTrainer(small().epochs(3).threads(2).build()).fit(data);
        TrainingResult one = new VaeTrainer(small().epochs(3).threads(1).build()).fit(data);
        assertThat(weights(a.model())).containsExactly(weights(b.model()));
        // Other thread counts sum the gradient in another order: close, not identical.
        double va = a.history().get(2).validationLoss();
        double v1 = one.history().get(2).validationLoss();
        assertThat(va).isCloseTo(v1, within(0.05 * Math.abs(v1) + 0.05));
    }

    @Test
    void givenAFixedValidationSeed_whenTheRunSeedChanges_thenTheHeldOutRowsStayTheSame() throws IOException {
        Table data = read("breastw");
        TrainingConfig a = small().epochs(1).seed(1).validationSeed(99L).build();
        Table va = new VaeTrainer(a).fit(data).validation();
        Table vb = new VaeTrainer(a.withSeed(2)).fit(data).validation();
        Table vc = new VaeTrainer(a.toBuilder().validationSeed(null).build()).fit(data).validation();
        assertThat(va.values()).containsExactly(vb.values());
        assertThat(va.rows()).isEqualTo((int) Math.floor(data.rows() * 0.1));
        assertThat(vc.values()).isNotEqualTo(va.values());
    }

    @Test
    void givenMixedColumns_whenTrainedWithACompositeLikelihood_thenTheLossFallsAndTheModelRoundTrips() throws Exception {
        Table data = read("breastw");
        var lik = dev.vae.core.likelihood.Likelihoods.parse("composite:gaussian-fixed[0-3],gaussian[4-8]");
        TrainingResult r = new VaeTrainer(small().likelihood(lik).epochs(5).build()).fit(data);
        List<EpochStats> h = r.history();
        assertThat(h.get(4).validationLoss()).isLessThan(h.get(0).validationLoss());
        VaeModel back = dev.vae.core.io.ModelFile.fromBytes(dev.vae.core.io.ModelFile.toBytes(r.model()), "memory");
        assertThat(back.architecture().likelihood()).isEqualTo(lik);
        assertThat(back.network()).isEqualTo(r.model().network());
    }

    @Test
    void givenKlWarmup_whenBetaQueried_thenItRisesLinearlyToBeta() {
        TrainingConfig c = TrainingConfig.builder().beta(2.0).klWarmupEpochs(4).build();
        assertThat(List.of(c.betaAt(1), c.betaAt(2), c.betaAt(4), c.betaAt(9))).containsExactly(0.5, 1.0, 2.0, 2.0);
        assertThat(TrainingConfig.defaults().betaAt(1)).isEqualTo(1.0);
    }

    @Test
    void givenBadSettings_whenBuilt_thenTheErrorNamesTheValue() {
        assertThatThrownBy(() -> TrainingConfig.builder().clipNorm(-1).build()).hasMessageContaining("-1.0");
        assertThatThrownBy(() -> TrainingConfig.builder().threads(0).build()).hasMessageContaining("thread count: 0");
        assertThatThrownBy(() -> TrainingConfig.builder().klWarmupEpochs(-2).build()).hasMessageContaining("-2");
        TrainingConfig c = TrainingConfig.defaults().toBuilder().epochs(7).clipNorm(5).build();
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(c.threads()).isBetween(1, 2);
    }

    @Test
    void givenAMultiThreadedNativeBlas_whenTheDefaultThreadCountIsChosen_thenTheTrainerLeavesItTheCores() {
        assertThat(TrainingConfig.defaultThreads(2, 1)).isEqualTo(2);
        assertThat(TrainingConfig.defaultThreads(2, 2)).isEqualTo(1);
        assertThat(TrainingConfig.defaultThreads(8, 1)).isEqualTo(2);
        assertThat(TrainingConfig.defaultThreads(8, 4)).isEqualTo(2);
        assertThat(TrainingConfig.defaultThreads(1, 1)).isEqualTo(1);
        assertThat(TrainingConfig.defaultThreads(16, 16)).isEqualTo(1);
    }
}
