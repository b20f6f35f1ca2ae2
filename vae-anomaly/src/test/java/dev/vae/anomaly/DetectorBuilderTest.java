package dev.vae.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.anomaly.score.Scorer;
import dev.vae.anomaly.threshold.DetectorFitting;
import dev.vae.anomaly.threshold.ThresholdSpec;
import dev.vae.core.ScoreKind;
import dev.vae.core.ScoreSettings;
import dev.vae.core.VaeModel;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import dev.vae.core.series.PointRule;
import dev.vae.core.series.SeriesLayout;
import dev.vae.core.series.TimeSeries;
import dev.vae.core.series.Windows;
import dev.vae.core.testing.ModelFingerprint;
import dev.vae.core.testing.SharedData;
import dev.vae.train.Checkpoint;
import dev.vae.train.EpochStats;
import dev.vae.train.RunOptions;
import dev.vae.train.TrainingConfig;
import dev.vae.train.TrainingListener;
import dev.vae.train.TrainingResult;
import dev.vae.train.VaeTrainer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectorBuilderTest {

    /** Small and quick; one thread, so the bits do not depend on the machine's cores. */
    private static final TrainingConfig SMALL = TrainingConfig.builder().hidden(List.of(8)).latent(2).batchSize(32)
            .epochs(4).trimWarmupEpochs(2).threads(1).seed(3).build();

    private static Table breastw;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws Exception {
        breastw = CsvReader.read(SharedData.require("data/breastw/breastw.csv"),
                CsvOptions.withLabel("label", Set.of()));
    }

    @Test
    void givenSettings_whenFitted_thenTheModelIsTheTrainersWithTheThresholdFittedOnItsValidationRows()
            throws Exception {
        TrainedDetector trained = Detector.builder().training(SMALL).threshold(ThresholdSpec.contamination(0.1))
                .fit(breastw);

        // The same two steps by hand: train, then fit the threshold on the held-out rows.
        TrainingResult byHand = new VaeTrainer(SMALL).fit(breastw);
        VaeModel expected = DetectorFitting.fitThreshold(byHand.model(), byHand.validation(),
                ThresholdSpec.contamination(0.1));
        assertThat(ModelFingerprint.of(trained.model())).isEqualTo(ModelFingerprint.of(expected));
        assertThat(trained.threshold()).isEqualTo(expected.threshold());
        assertThat(trained.thresholdRows()).isSameAs(trained.training().validation());
        assertThat(trained.thresholdRows().rows()).isEqualTo(68);
        assertThat(trained.threshold().fittedOn()).contains("68 rows");
        assertThat(trained.training().history()).hasSize(4);
        assertThat(trained.training().model().threshold()).isNull();
        // contamination:0.1 leaves a tenth of the threshold rows above it (the 0.9-quantile interpolates between two).
        double[] scores = new Scorer(trained.model()).score(trained.thresholdRows().values(), 68);
        assertThat(java.util.Arrays.stream(scores).filter(trained.threshold()::isAnomalous).count()).isEqualTo(7);
    }

    @Test
    void givenNoValidationSplit_whenFitted_thenTheThresholdIsFittedOnTheTrainingRows() {
        TrainedDetector trained = Detector.builder().training(SMALL.toBuilder().validationFraction(0).build())
                .threshold(ThresholdSpec.quantile(0.9)).fit(breastw);
        assertThat(trained.training().validation()).isNull();
        assertThat(trained.thresholdRows()).isSameAs(breastw);
        assertThat(trained.threshold().fittedOn()).contains(breastw.rows() + " rows");
    }

    @Test
    void givenAScoreAndProvenance_whenFitted_thenTheModelScoresSoAndItsThresholdIsOnThatScore() {
        ScoreSettings reconstruction = new ScoreSettings(ScoreKind.RECONSTRUCTION, 4);
        TrainedDetector trained = Detector.builder().training(SMALL).score(reconstruction)
                .threshold(ThresholdSpec.pot(0.01, 0.8)).provenance("source.note", "breastw, all rows").fit(breastw);
        assertThat(trained.model().scoreSettings()).isEqualTo(reconstruction);
        assertThat(trained.threshold().score()).isEqualTo(reconstruction);
        assertThat(trained.model().provenance()).containsEntry("source.note", "breastw, all rows");
        assertThat(trained.model().properties()).containsKeys("threshold.pot.gamma", "threshold.pot.peaks");
        assertThat(trained.detector().scorer().settings()).isEqualTo(reconstruction);
    }

    @Test
    void givenAStrategyThatNeedsLabels_whenTheDataHaveNone_thenRefusedBeforeTraining() {
        Table unlabelled = new Table(breastw.columns(), breastw.values(), breastw.rows(), null, "unlabelled breastw");
        List<Integer> epochs = new ArrayList<>();
        DetectorBuilder builder = Detector.builder().training(SMALL).threshold(ThresholdSpec.bestF1());
        RunOptions countEpochs = RunOptions.none().withListener(new TrainingListener() {
            @Override
            public void onEpochEnd(EpochStats stats) {
                epochs.add(stats.epoch());
            }
        });
        assertThatThrownBy(() -> builder.fit(unlabelled, countEpochs)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Threshold 'f1' needs labels, but unlabelled breastw has none");
        assertThat(epochs).isEmpty();
        // With labels, f1 takes them from the validation rows.
        assertThat(builder.fit(breastw, countEpochs).threshold().method()).isEqualTo("f1");
        assertThat(epochs).containsExactly(1, 2, 3, 4);
    }

    @Test
    void givenARegistry_whenTheDetectorIsAskedFor_thenItsMetersAppearThenAndCountEveryRow() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TrainedDetector trained = Detector.builder().training(SMALL).meterRegistry(registry).fit(breastw);
        assertThat(registry.getMeters()).as("no meter before the detector is made").isEmpty();

        Detector detector = trained.detector();
        assertThat(trained.detector()).isSameAs(detector);
        assertThat(detector.threshold()).isEqualTo(trained.threshold());
        boolean[] flags = detector.detect(breastw.values(), breastw.rows());
        long flagged = 0;
        for (boolean f : flags) {
            flagged += f ? 1 : 0;
        }
        assertThat(registry.get("vae.anomaly.events").tags("result", "anomalous").counter().count()).isEqualTo(flagged);
        assertThat(registry.get("vae.anomaly.events").tags("result", "normal").counter().count())
                .isEqualTo(breastw.rows() - flagged);
        assertThat(registry.get("vae.anomaly.threshold").gauge().value()).isEqualTo(trained.threshold().value());
    }

    @Test
    void givenACheckpoint_whenResumedToTheEnd_thenTheSameBitsAsOneUninterruptedRun() throws Exception {
        Path checkpoint = dir.resolve("run.ckpt");
        Detector.builder().training(SMALL.withEpochs(2)).fit(breastw, RunOptions.none().withCheckpoints(checkpoint, 1));
        assertThat(Files.exists(checkpoint)).isTrue();
        Checkpoint after2 = Checkpoint.read(checkpoint);
        assertThat(after2.epoch()).isEqualTo(2);

        TrainedDetector resumed = Detector.builder().training(SMALL).resumeFrom(after2).fit(breastw);
        TrainedDetector straight = Detector.builder().training(SMALL).fit(breastw);
        // Everything is the same but the resumed model's note that it was resumed.
        assertThat(resumed.model().provenance()).containsEntry("result.resumed-after-epoch", "2");
        VaeModel straightWithTheNote = straight.model().toBuilder().provenance("result.resumed-after-epoch", "2")
                .build();
        assertThat(ModelFingerprint.of(resumed.model())).isEqualTo(ModelFingerprint.of(straightWithTheNote));
        assertThat(resumed.threshold()).isEqualTo(straight.threshold());
    }

    @Test
    void givenASeriesAndRunOptions_whenFittedOnWindows_thenTheListenerHearsTheWindowRunAndTheBitsAreThoseWithout()
            throws Exception {
        Path csv = SharedData.require("data/nab/realAWSCloudwatch__ec2_cpu_utilization_5f5533.csv");
        TimeSeries raw = TimeSeries.read(csv, "timestamp", List.of("value"), "label", Set.of(), Double.NaN, 1);
        SeriesLayout layout = SeriesLayout.choose(raw, "timestamp", 0, PointRule.CENTER);
        TimeSeries series = raw.regrid(layout.interval(), layout.keepPerGap());
        int stride = 4;
        List<Integer> trainRows = new ArrayList<>();
        List<EpochStats> epochs = new ArrayList<>();
        RunOptions options = RunOptions.none().withListener(new TrainingListener() {
            @Override
            public void onStart(TrainingConfig config, int rows, int validationRows) {
                trainRows.add(rows + validationRows);
            }

            @Override
            public void onEpochEnd(EpochStats stats) {
                epochs.add(stats);
            }
        });

        DetectorBuilder builder = Detector.builder().windows(layout).training(SMALL);
        TrainedDetector heard = builder.fit(series, stride, options);
        TrainedDetector quiet = builder.fit(series, stride);

        assertThat(trainRows).containsExactly(Windows.table(series, layout, stride).rows());
        assertThat(epochs).containsExactlyElementsOf(heard.training().history());
        assertThat(ModelFingerprint.of(heard.model()))
                .isEqualTo(ModelFingerprint.of(quiet.model()));
        assertThat(heard.threshold()).isEqualTo(quiet.threshold());
    }

    @Test
    void givenNullOrBadSettings_whenGiven_thenRefusedNamingThem() {
        DetectorBuilder builder = Detector.builder();
        assertThatThrownBy(() -> builder.fit(breastw, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("options");
        assertThatThrownBy(() -> builder.threshold(null)).isInstanceOf(NullPointerException.class).hasMessage("spec");
        assertThatThrownBy(() -> builder.training(null)).isInstanceOf(NullPointerException.class).hasMessage("config");
    }
}
