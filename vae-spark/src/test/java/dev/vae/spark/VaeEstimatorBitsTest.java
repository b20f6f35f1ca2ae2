package dev.vae.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.anomaly.score.Scorer;
import dev.vae.core.VaeModel;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import dev.vae.core.testing.ModelFingerprint;
import dev.vae.core.testing.RecordedLines;
import dev.vae.train.TrainingConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The estimator gives the thresholds, scores and model bits it gave before its training and threshold fitting moved
 * to {@code Detector.builder()}: the expected lines ({@code estimator-bits.txt}) were recorded with the code before
 * that change. The sample is every normal row of breastw (fewer than the sample bound), read from one file in one
 * partition, so it is the same rows in the same order every time. The model is small enough (8 hidden units, batches
 * of 32) that no matrix product reaches the native BLAS; the estimator has no thread setting and trains with
 * {@link TrainingConfig#defaultThreads()}, whose shard count changes the bits, so both possible counts are recorded
 * (1: a multi-threaded OpenBLAS or one core; 2: {@code OPENBLAS_NUM_THREADS=1} on two cores or more), each checked
 * to be the same with {@code -Dvae.kernels=java}.
 */
class VaeEstimatorBitsTest {

    @Test
    void givenBreastwAndASeed_whenFitted_thenThresholdScoresAndModelBitsAreTheRecordedOnes() throws Exception {
        Dataset<Row> breastw = LocalSpark.session().read().option("header", "true").option("inferSchema", "true")
                .csv(LocalSpark.breastwCsv().toString());
        Table rows = CsvReader.read(LocalSpark.breastwCsv(), CsvOptions.withLabel("label", Set.of()));
        List<String> actual = new ArrayList<>();
        for (VaeEstimator estimator : List.of(
                new VaeEstimator("bits-adaptive").setThresholdQuantile(0.95),
                new VaeEstimator("bits-fixed-trim").setThresholdQuantile(0.9).setTrimFraction(0.1)
                        .setTrimAdaptive(false))) {
            VaeModel model = estimator.setLabelCol("label").setHidden(8).setLatent(2).setBatchSize(32).setEpochs(7)
                    .setSeed(7L).fit(breastw).model();
            double[] scores = new Scorer(model).score(Arrays.copyOf(rows.values(), 3 * rows.width()), 3);
            actual.add(model.threshold() + " " + model.properties() + " scores " + Arrays.toString(scores) + " model "
                    + ModelFingerprint.of(model));
        }
        assertThat(actual)
                .isEqualTo(RecordedLines.of(getClass(), "estimator-bits.txt", TrainingConfig.defaultThreads()));
    }
}
