package dev.vae.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import dev.vae.core.likelihood.Likelihood;
import dev.vae.core.likelihood.Likelihoods;
import dev.vae.core.testing.ModelFingerprint;
import dev.vae.core.testing.RecordedLines;
import dev.vae.core.testing.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer gives the models, histories, listener events and checkpoints it gave before {@code VaeTrainer.run} was
 * split into named steps: the expected lines ({@code trainer-bits.txt}) and the epoch-4 checkpoint
 * ({@code breastw-trimmed-epoch4.ckpt}) were recorded with the code before that change. The models are small enough
 * (8 hidden units, batches of 32) that no matrix product reaches the native BLAS, so the bits are the same on every
 * machine.
 */
class TrainerBitsTest {

    static Table breastw;

    @TempDir
    Path dir;

    @BeforeAll
    static void readData() throws IOException {
        breastw = named(CsvReader.read(SharedData.require("data/breastw/breastw.csv"), CsvOptions.withLabel("label",
                Set.of())), "breastw.csv");
    }

    /**
     * The table under a fixed source name: the model's provenance records its data's source, and an absolute path
     * would tie the recorded fingerprints to one checkout's location.
     */
    static Table named(Table t, String source) {
        return new Table(t.columns(), t.values(), t.rows(), t.labels(), source);
    }

    /** Every 16th shuttle row: large raw values, on which a huge learning rate diverges. */
    static Table shuttleSample() throws IOException {
        Table all = CsvReader.read(SharedData.require("data/shuttle/shuttle.csv"), CsvOptions.withLabel("label", Set.of()));
        int[] idx = new int[all.rows() / 16];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i * 16;
        }
        return named(all.select(idx), "shuttle.csv, every 16th row");
    }

    /**
     * The recorded runs' likelihood: the default when they were recorded (session 7's), named so that the bits keep
     * guarding the training loop whatever the default becomes.
     */
    static final Likelihood RECORDED_LIKELIHOOD = Likelihoods.parse("gaussian:logvar-bound=2");

    static TrainingConfig.Builder small() {
        return TrainingConfig.builder().hidden(List.of(8)).latent(2).batchSize(32).seed(7).threads(1)
                .likelihood(RECORDED_LIKELIHOOD);
    }

    /** The recorded runs, one per path through the epoch loop (threads, trimming, early stop, no validation). */
    static List<TrainingConfig> configs() {
        return List.of(
                small().epochs(6).trimFraction(0).klWarmupEpochs(2).clipNorm(5).build(),
                small().epochs(6).threads(2).trimFraction(0.2).trimAdaptive(false).trimWarmupEpochs(1).build(),
                small().epochs(6).threads(3).build(),
                small().epochs(40).learningRate(0.05).patience(2).trimFraction(0).build(),
                small().epochs(5).threads(2).validationFraction(0).build());
    }

    @Test
    void givenBreastwAndEachPathThroughTheLoop_whenTrained_thenModelHistoryAndEventsAreTheRecordedOnes() {
        List<String> actual = new ArrayList<>();
        for (TrainingConfig c : configs()) {
            Events events = new Events();
            TrainingResult r = new VaeTrainer(c).fit(breastw, RunOptions.none().withListener(events));
            actual.add(line(r, events));
        }
        assertThat(actual.get(3)).contains("early stop");
        assertThat(actual).isEqualTo(RecordedLines.of(getClass(), "trainer-bits.txt", "fit"));
    }

    @Test
    void givenAHighLearningRate_whenTrainingDivergesInEpoch2_thenMessageAndLastGoodModelAreTheRecordedOnes() throws IOException {
        Events events = new Events();
        VaeTrainer trainer = new VaeTrainer(TrainingConfig.builder().hidden(List.of(32)).latent(4).batchSize(64).threads(1).learningRate(2).epochs(30)
                .likelihood(RECORDED_LIKELIHOOD).build());
        Table shuttle = shuttleSample();
        TrainingDivergedException e = catchThrowableOfType(() -> trainer.fit(shuttle, RunOptions.none().withListener(events)),
                TrainingDivergedException.class);
        assertThat(e).isNotNull();
        String line = e.getMessage() + " last good " + e.lastGoodModel().map(ModelFingerprint::of).orElse("none")
                + " events " + events.digest();
        assertThat(List.of(line)).isEqualTo(RecordedLines.of(getClass(), "trainer-bits.txt", "diverged"));
    }

    /**
     * A trimmed run on two threads interrupted after its epoch-4 checkpoint resumes to the uninterrupted run's bits;
     * the checkpoint holds the same state as the one recorded before the change and is written in the same bytes
     * (its wall-clock fields aside), and the recorded file still resumes to those bits.
     */
    @Test
    void givenATrimmedBreastwRunCheckpointedAtEpoch4_whenResumed_thenItEndsOnTheRecordedBits() throws IOException {
        TrainingConfig c = small().epochs(8).threads(2).trimWarmupEpochs(2).build();
        TrainingResult straight = new VaeTrainer(c).fit(breastw);
        String recorded = RecordedLines.of(getClass(), "trainer-bits.txt", "resume").get(0);
        assertThat(ModelFingerprint.of(straight.model())).isEqualTo(recorded);

        Path file = dir.resolve("run.ckpt");
        RunOptions crashInEpoch5 = RunOptions.none().withCheckpoints(file, 4).withListener(new TrainingListener() {
            @Override
            public void onEpochEnd(EpochStats stats) {
                if (stats.epoch() == 5) {
                    throw new IllegalStateException("simulated crash in epoch 5");
                }
            }
        });
        assertThatThrownBy(() -> new VaeTrainer(c).fit(breastw, crashInEpoch5)).hasMessageContaining("simulated crash");
        Checkpoint written = Checkpoint.read(file);
        Checkpoint old = Checkpoint.fromBytes(resource("breastw-trimmed-epoch4.ckpt"), "recorded checkpoint");

        assertThat(old.toBytes()).isEqualTo(resource("breastw-trimmed-epoch4.ckpt"));
        assertThat(withHistory(written, old.history()).toBytes()).isEqualTo(old.toBytes());
        assertThat(withoutClock(written.history())).isEqualTo(withoutClock(old.history()));
        for (Checkpoint from : List.of(written, old)) {
            TrainingResult resumed = new VaeTrainer(c).resume(breastw, from);
            assertThat(resumed.model().nativeNetwork().parameters())
                    .isEqualTo(straight.model().nativeNetwork().parameters());
            assertThat(ModelFingerprint.of(resumed.model(), "result.resumed-after-epoch")).isEqualTo(
                    ModelFingerprint.of(straight.model().toBuilder().provenance("result.resumed-after-epoch", "pinned")
                            .build()));
            assertThat(withoutClock(resumed.history())).isEqualTo(withoutClock(straight.history()));
        }
    }

    private static Checkpoint withHistory(Checkpoint c, List<EpochStats> history) {
        return new Checkpoint(c.fingerprint(), c.epoch(), c.parameters(), c.adamFirst(), c.adamSecond(), c.adamSteps(),
                c.best(), c.bestEpoch(), c.bestLoss(), c.sinceBest(), history, c.rowLosses());
    }

    /** The history with the wall-clock fields (seconds, rows per second) zeroed. */
    private static List<EpochStats> withoutClock(List<EpochStats> history) {
        return history.stream().map(s -> new EpochStats(s.epoch(), s.loss(), s.reconstruction(), s.kl(),
                s.validationLoss(), 0, 0, s.allRowsLoss(), s.leftOutLoss(), s.leftOutRows())).toList();
    }

    static String line(TrainingResult r, Events events) {
        return ModelFingerprint.of(r.model()) + " best " + r.bestEpoch() + " stop " + r.stopReason() + " history "
                + sha256(withoutClock(r.history()).toString()) + " events " + events.digest();
    }

    private byte[] resource(String name) throws IOException {
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream(name), name)) {
            return in.readAllBytes();
        }
    }

    /** Every listener call with its arguments, as text, for a digest. */
    static final class Events implements TrainingListener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public void onStart(TrainingConfig config, int trainRows, int validationRows) {
            text.append("start ").append(trainRows).append(' ').append(validationRows).append('\n');
        }

        @Override
        public void onEpochEnd(EpochStats stats) {
            text.append("epoch ").append(withoutClock(List.of(stats))).append('\n');
        }

        @Override
        public void onBatchEnd(int epoch, int batch, int rows, double meanLoss) {
            text.append("batch ").append(epoch).append(' ').append(batch).append(' ').append(rows).append(' ')
                    .append(meanLoss).append('\n');
        }

        @Override
        public void onEarlyStop(int epoch, int bestEpoch, int patience) {
            text.append("early ").append(epoch).append(' ').append(bestEpoch).append(' ').append(patience).append('\n');
        }

        @Override
        public void onStop(String reason, int bestEpoch) {
            text.append("stop ").append(reason).append(' ').append(bestEpoch).append('\n');
        }

        String digest() {
            return sha256(text.toString());
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
