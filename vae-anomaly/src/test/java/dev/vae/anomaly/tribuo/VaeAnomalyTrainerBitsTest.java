package dev.vae.anomaly.tribuo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.anomaly.threshold.ThresholdSpec;
import dev.vae.core.ScoreKind;
import dev.vae.core.ScoreSettings;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import dev.vae.core.testing.ModelFingerprint;
import dev.vae.core.testing.RecordedLines;
import dev.vae.core.testing.SharedData;
import dev.vae.train.TrainingConfig;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * The Tribuo trainer gives the thresholds, scores and model bits it gave before its training and threshold fitting
 * moved to {@code Detector.builder()}: the expected lines were recorded with the code before that change.
 *
 * <p>The model is small enough (8 hidden units, batches of 32) that no matrix product reaches the native BLAS, so
 * the bits are the portable kernels' on every machine. The trainer has no thread setting: it trains with
 * {@link TrainingConfig#defaultThreads()}, whose shard count changes the bits, so both possible counts are recorded
 * in {@code trained-bits.txt} (1: a multi-threaded OpenBLAS or one core; 2: {@code OPENBLAS_NUM_THREADS=1} on two
 * cores or more), each checked to be the same with {@code -Dvae.kernels=java}.
 */
class VaeAnomalyTrainerBitsTest {

    private static MutableDataset<Event> expected;

    @BeforeAll
    static void loadBreastwNormalRows() throws Exception {
        Table t = CsvReader.read(SharedData.require("data/breastw/breastw.csv"),
                CsvOptions.withLabel("label", Set.of()));
        AnomalyFactory factory = new AnomalyFactory();
        // A fixed creation time: the data set's description, which holds it, is part of the threshold and provenance.
        expected = new MutableDataset<>(new SimpleDataSourceProvenance("breastw normal rows",
                OffsetDateTime.parse("2025-01-01T00:00:00Z"), factory), factory);
        String[] names = t.columns().toArray(new String[0]);
        for (int i = 0; i < t.rows(); i++) {
            if (t.labels()[i] != 0) {
                continue;
            }
            double[] v = new double[t.width()];
            for (int j = 0; j < v.length; j++) {
                v[j] = t.values()[i * t.width() + j];
            }
            expected.add(new ArrayExample<>(AnomalyFactory.EXPECTED_EVENT, names, v));
        }
    }

    @Test
    void givenBreastwAndASeed_whenTrained_thenThresholdScoresAndModelBitsAreTheRecordedOnes() {
        TrainingConfig config = TrainingConfig.builder().hidden(List.of(8)).latent(2).batchSize(32).epochs(4)
                .trimWarmupEpochs(2).build();
        List<String> actual = new ArrayList<>();
        actual.add(line(new VaeAnomalyTrainer(config, ThresholdSpec.split(), ScoreSettings.defaults(), 7L)
                .train(expected)));
        actual.add(line(new VaeAnomalyTrainer(config, ThresholdSpec.pot(0.01, 0.8),
                new ScoreSettings(ScoreKind.RECONSTRUCTION, 4), 7L).train(expected)));
        assertThat(actual).isEqualTo(RecordedLines.of(getClass(), "trained-bits.txt", TrainingConfig.defaultThreads()));
    }

    private static String line(VaeAnomalyModel model) {
        List<Double> scores = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            scores.add(model.predict(expected.getExample(i)).getOutput().getScore());
        }
        return model.threshold() + " " + model.vaeModel().properties() + " scores " + scores + " model "
                + ModelFingerprint.of(model.vaeModel());
    }
}
