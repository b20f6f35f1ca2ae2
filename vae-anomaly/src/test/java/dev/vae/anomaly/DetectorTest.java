package dev.vae.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vae.anomaly.score.Scorer;
import dev.vae.anomaly.threshold.DetectorFitting;
import dev.vae.anomaly.threshold.ThresholdSpec;
import dev.vae.core.Threshold;
import dev.vae.core.VaeModel;
import dev.vae.core.testing.SharedData;
import dev.vae.train.TrainingConfig;
import dev.vae.train.TrainingResult;
import dev.vae.train.VaeTrainer;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DetectorTest {

    @Test
    void givenDetectorOnPima_whenScoring_thenMetersCountRowsThresholdAndExcessOnly() throws Exception {
        Table data = CsvReader.read(SharedData.require("data/pima/pima.csv"), CsvOptions.withLabel("label", Set.of()));
        TrainingResult r = new VaeTrainer(TrainingConfig.defaults().withEpochs(20)).fit(data);
        VaeModel model = DetectorFitting.fitThreshold(r.model(), r.validation(), ThresholdSpec.contamination(0.1));
        Threshold t = model.threshold();
        assertThat(t.method()).isEqualTo("contamination:0.1");
        assertThat(t.fittedOn()).contains(r.validation().rows() + " rows");

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Detector detector = new Detector(new Scorer(model), t, registry);
        double[] scores = detector.score(data.values(), data.rows());
        boolean[] flags = detector.detect(data.values(), data.rows());

        long anomalous = 0;
        double excess = 0;
        for (int i = 0; i < scores.length; i++) {
            assertThat(flags[i]).isEqualTo(scores[i] > t.value());
            if (flags[i]) {
                anomalous++;
                excess += scores[i] - t.value();
            }
        }
        int n = data.rows();
        assertThat(anomalous).isBetween(1L, (long) n / 2);
        assertThat(registry.get("vae.score").tag("backend", "native").timer().count()).isEqualTo(2);
        assertThat(registry.get("vae.anomaly.events").tag("result", "anomalous").counter().count()).isEqualTo(2.0 * anomalous);
        assertThat(registry.get("vae.anomaly.events").tag("result", "normal").counter().count()).isEqualTo(2.0 * (n - anomalous));
        assertThat(registry.get("vae.anomaly.threshold").gauge().value()).isEqualTo(t.value());
        var summary = registry.get("vae.anomaly.excess").summary();
        // Every row is recorded (normal rows as 0), and the total is the excess over the threshold, never raw scores.
        assertThat(summary.count()).isEqualTo(2L * n);
        assertThat(summary.totalAmount()).isCloseTo(2 * excess, within(1e-6 * (1 + excess)));
    }

    @Test
    void givenAThresholdFittedOnTheDefaultScore_whenADetectorScoresAnother_thenRefusedNamingBoth() {
        VaeModel model = VaeModel.builder(dev.vae.core.nn.NativeNetwork.initialize(dev.vae.core.nn.Architecture.defaults(3), 1))
                .threshold(new Threshold(5, "fixed:5", "test", dev.vae.core.ScoreSettings.defaults())).build();
        dev.vae.core.ScoreSettings reconstruction = new dev.vae.core.ScoreSettings(dev.vae.core.ScoreKind.RECONSTRUCTION, 0);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new Detector(new Scorer(model, reconstruction), model.threshold(), new SimpleMeterRegistry()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative-elbo at z = mu").hasMessageContaining("reconstruction at z = mu");
        assertThat(new Detector(new Scorer(model), model.threshold(), new SimpleMeterRegistry()).threshold())
                .isEqualTo(model.threshold());
    }

    @Test
    void givenTwoDetectorsOnOneRegistry_whenTheSecondHasAnotherThreshold_thenTheGaugeReportsTheSecond() {
        SplittableRandom r = new SplittableRandom(7);
        double[][] rows = new double[200][3];
        for (double[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                row[j] = r.nextGaussian();
            }
        }
        Table data = Table.of(List.of("a", "b", "c"), rows, null);
        Scorer scorer = new Scorer(new VaeTrainer(TrainingConfig.defaults().withEpochs(1)).fit(data).model());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        new Detector(scorer, new Threshold(5.0, "fixed:5.0", "given by the user", scorer.settings()), registry);
        Detector second = new Detector(scorer, new Threshold(9.0, "fixed:9.0", "given by the user", scorer.settings()), registry);

        assertThat(registry.get("vae.anomaly.threshold").gauges()).hasSize(1);
        assertThat(registry.get("vae.anomaly.threshold").gauge().value()).isEqualTo(9.0);
        // The shared counters keep counting across detectors.
        second.score(data.values(), data.rows());
        assertThat(registry.get("vae.anomaly.events").counters().stream().mapToDouble(c -> c.count()).sum())
                .isEqualTo(data.rows());
    }
}
