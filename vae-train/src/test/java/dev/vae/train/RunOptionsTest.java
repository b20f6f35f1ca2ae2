package dev.vae.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import dev.vae.core.testing.SharedData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Listeners and checkpoints come with each run ({@link RunOptions}), not with the trainer: one trainer serves runs
 * that hear only their own events, the options change no bit, and a resume with options continues to the
 * uninterrupted run's bits.
 */
class RunOptionsTest {

    static Table breastw;

    @TempDir
    Path dir;

    @BeforeAll
    static void readData() throws IOException {
        breastw = CsvReader.read(SharedData.require("data/breastw/breastw.csv"), CsvOptions.withLabel("label", Set.of()));
    }

    static TrainingConfig.Builder small() {
        return TrainingConfig.builder().hidden(List.of(8)).latent(2).batchSize(32).seed(7).threads(1);
    }

    /** The first {@code n} rows of {@code t}. */
    static Table head(Table t, int n) {
        int[] idx = new int[n];
        Arrays.setAll(idx, i -> i);
        return t.select(idx);
    }

    /** Records what one run tells it: the rows at the start, each epoch's stats (the very objects), the stops. */
    static final class Recorder implements TrainingListener {
        final List<Integer> startTrainRows = new ArrayList<>();
        final List<EpochStats> epochs = new ArrayList<>();
        final List<Integer> batchEpochs = new ArrayList<>();
        final List<String> stops = new ArrayList<>();
        private final @Nullable CyclicBarrier bothStarted;

        /** A recorder that, if {@code bothStarted} is given, waits in onStart until the other run has started too. */
        Recorder(@Nullable CyclicBarrier bothStarted) {
            this.bothStarted = bothStarted;
        }

        Recorder() {
            this(null);
        }

        @Override
        public void onStart(TrainingConfig config, int trainRows, int validationRows) {
            startTrainRows.add(trainRows);
            if (bothStarted != null) {
                try {
                    bothStarted.await(5, TimeUnit.MINUTES);
                } catch (Exception e) {
                    throw new IllegalStateException("The other run did not start", e);
                }
            }
        }

        @Override
        public void onEpochEnd(EpochStats stats) {
            epochs.add(stats);
        }

        @Override
        public void onBatchEnd(int epoch, int batch, int rows) {
            batchEpochs.add(epoch);
        }

        @Override
        public void onStop(String reason, int bestEpoch) {
            stops.add(reason);
        }

        /** Whether this recorder heard exactly {@code result}'s run: its history's very objects, one start, one stop. */
        void assertHeardOnly(TrainingResult result, int trainRows) {
            assertThat(startTrainRows).containsExactly(trainRows);
            assertThat(epochs).hasSameSizeAs(result.history());
            for (int i = 0; i < epochs.size(); i++) {
                assertThat(epochs.get(i)).isSameAs(result.history().get(i));
            }
            int batchesPerEpoch = (trainRows + 31) / 32;
            assertThat(batchEpochs).hasSize(batchesPerEpoch * result.history().size());
            assertThat(stops).containsExactly(result.stopReason());
        }
    }

    @Test
    void givenOneTrainer_whenTwoRunsWithTheirOwnListenersTrainAtTheSameTime_thenEachHearsOnlyItsOwnAndBitsAreUnchanged()
            throws Exception {
        VaeTrainer trainer = new VaeTrainer(small().epochs(4).build());
        Table first = breastw;
        Table second = head(breastw, 400);
        CyclicBarrier bothStarted = new CyclicBarrier(2);
        Recorder a = new Recorder(bothStarted);
        Recorder b = new Recorder(bothStarted);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        TrainingResult ra;
        TrainingResult rb;
        try {
            Future<TrainingResult> fa = pool.submit(() -> trainer.fit(first, RunOptions.none().withListener(a)));
            Future<TrainingResult> fb = pool.submit(() -> trainer.fit(second, RunOptions.none().withListener(b)));
            ra = fa.get();
            rb = fb.get();
        } finally {
            pool.shutdownNow();
        }

        a.assertHeardOnly(ra, first.rows() - ra.validation().rows());
        b.assertHeardOnly(rb, second.rows() - rb.validation().rows());
        assertThat(a.startTrainRows).isNotEqualTo(b.startTrainRows);
        // Neither run disturbed the other, and listening changed nothing: the same bits as lone runs without options.
        assertThat(ra.model().nativeNetwork().parameters())
                .isEqualTo(trainer.fit(first).model().nativeNetwork().parameters());
        assertThat(rb.model().nativeNetwork().parameters())
                .isEqualTo(trainer.fit(second).model().nativeNetwork().parameters());
    }

    @Test
    void givenOneTrainer_whenTwoRunsFollowEachOther_thenTheFirstRunsListenerHearsNothingOfTheSecond() {
        VaeTrainer trainer = new VaeTrainer(small().epochs(3).build());
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        TrainingResult ra = trainer.fit(breastw, RunOptions.none().withListener(a));
        TrainingResult rb = trainer.fit(breastw, RunOptions.none().withListener(b));
        TrainingResult quiet = trainer.fit(breastw);

        int trainRows = breastw.rows() - ra.validation().rows();
        a.assertHeardOnly(ra, trainRows);
        b.assertHeardOnly(rb, trainRows);
        assertThat(rb.model().nativeNetwork().parameters()).isEqualTo(ra.model().nativeNetwork().parameters());
        assertThat(quiet.model().nativeNetwork().parameters()).isEqualTo(ra.model().nativeNetwork().parameters());
    }

    @Test
    void givenTwoListeners_whenARunEnds_thenBothHeardItInTheOrderGiven() {
        List<String> calls = new ArrayList<>();
        RunOptions options = RunOptions.none().withListener(new TrainingListener() {
            @Override
            public void onEpochEnd(EpochStats stats) {
                calls.add("first " + stats.epoch());
            }
        }).withListener(new TrainingListener() {
            @Override
            public void onEpochEnd(EpochStats stats) {
                calls.add("second " + stats.epoch());
            }
        });
        new VaeTrainer(small().epochs(2).build()).fit(breastw, options);
        assertThat(calls).containsExactly("first 1", "second 1", "first 2", "second 2");
    }

    /**
     * A run interrupted after its epoch-2 checkpoint resumes with its own listener and a checkpoint every 4 epochs:
     * it ends on the uninterrupted run's bits, its listener hears epochs 3 to 6 only, and its checkpoint falls on
     * epoch 4 of the run (counted from the run's start, not the resume) with the uninterrupted run's state there.
     */
    @Test
    void givenACheckpointedRun_whenResumedWithRunOptions_thenItEndsOnTheUninterruptedBitsAndHearsOnlyTheRest()
            throws IOException {
        TrainingConfig c = small().epochs(6).threads(2).trimWarmupEpochs(1).build();
        VaeTrainer trainer = new VaeTrainer(c);
        Path straightFile = dir.resolve("straight.ckpt");
        TrainingResult straight = trainer.fit(breastw, RunOptions.none().withCheckpoints(straightFile, 4));
        Checkpoint straightAt4 = Checkpoint.read(straightFile);
        assertThat(straightAt4.epoch()).isEqualTo(4);

        Path first = dir.resolve("first.ckpt");
        RunOptions crashInEpoch3 = RunOptions.none().withCheckpoints(first, 2).withListener(new TrainingListener() {
            @Override
            public void onEpochEnd(EpochStats stats) {
                if (stats.epoch() == 3) {
                    throw new IllegalStateException("simulated crash in epoch 3");
                }
            }
        });
        assertThatThrownBy(() -> trainer.fit(breastw, crashInEpoch3)).hasMessageContaining("simulated crash");
        Checkpoint at2 = Checkpoint.read(first);
        assertThat(at2.epoch()).isEqualTo(2);

        Path second = dir.resolve("second.ckpt");
        Recorder rest = new Recorder();
        TrainingResult resumed = trainer.resume(breastw, at2,
                RunOptions.none().withListener(rest).withCheckpoints(second, 4));

        assertThat(resumed.model().nativeNetwork().parameters())
                .isEqualTo(straight.model().nativeNetwork().parameters());
        assertThat(rest.epochs).extracting(EpochStats::epoch).containsExactly(3, 4, 5, 6);
        assertThat(rest.stops).containsExactly(straight.stopReason());
        Checkpoint resumedAt4 = Checkpoint.read(second);
        assertThat(resumedAt4.epoch()).isEqualTo(4);
        assertThat(resumedAt4.parameters()).isEqualTo(straightAt4.parameters());
        assertThat(resumedAt4.adamFirst()).isEqualTo(straightAt4.adamFirst());
        assertThat(resumedAt4.adamSecond()).isEqualTo(straightAt4.adamSecond());
        assertThat(resumedAt4.adamSteps()).isEqualTo(straightAt4.adamSteps());
        assertThat(resumedAt4.rowLosses()).isEqualTo(straightAt4.rowLosses());
    }

    @Test
    void givenACheckpointIntervalBelowOneEpoch_whenGiven_thenRefusedNamingTheIntervalAndFile() {
        Path file = Path.of("run.ckpt");
        assertThatThrownBy(() -> new CheckpointPolicy(file, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid checkpoint interval for run.ckpt: 0 epochs (expected >= 1)");
        assertThatThrownBy(() -> RunOptions.none().withCheckpoints(file, -3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid checkpoint interval for run.ckpt: -3 epochs (expected >= 1)");
        assertThat(new CheckpointPolicy(file, 1).everyEpochs()).isEqualTo(1);
    }

    @Test
    void givenNoCheckpointFile_whenGiven_thenRefusedSayingTheFileIsMissing() {
        assertThatThrownBy(() -> new CheckpointPolicy(null, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("A checkpoint policy needs the file to write the checkpoints to, got none (null)");
        assertThatThrownBy(() -> RunOptions.none().withCheckpoints(null, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs the file");
        assertThatThrownBy(() -> RunOptions.none().withCheckpoints((CheckpointPolicy) null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("The checkpoint policy to add is null");
    }

    @Test
    void givenANullListener_whenGiven_thenRefusedNamingItsPlace() {
        TrainingListener quiet = new TrainingListener() {
        };
        assertThatThrownBy(() -> new RunOptions(Arrays.asList(quiet, null), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Listener 1 of 2 is null");
        assertThatThrownBy(() -> RunOptions.none().withListener(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("The listener to add is null");
        assertThatThrownBy(() -> new RunOptions(null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("list of listeners");
        assertThatThrownBy(() -> new VaeTrainer(small().build()).fit(breastw, null))
                .isInstanceOf(NullPointerException.class).hasMessage("options");
    }

    @Test
    void givenRunOptions_whenTheGivenListOrTheOriginalChangesLater_thenTheOptionsDoNot() {
        TrainingListener one = new TrainingListener() {
        };
        TrainingListener two = new TrainingListener() {
        };
        List<TrainingListener> given = new ArrayList<>(List.of(one));
        RunOptions options = new RunOptions(given, null);
        given.add(two);
        RunOptions more = options.withListener(two).withCheckpoints(Path.of("a.ckpt"), 2);

        assertThat(options.listeners()).containsExactly(one);
        assertThat(options.checkpointPolicy()).isNull();
        assertThat(more.listeners()).containsExactly(one, two);
        assertThat(more.checkpointPolicy()).isEqualTo(new CheckpointPolicy(Path.of("a.ckpt"), 2));
        assertThatThrownBy(() -> more.listeners().add(one)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(RunOptions.none().listeners()).isEmpty();
        assertThat(RunOptions.none().checkpointPolicy()).isNull();
    }
}
