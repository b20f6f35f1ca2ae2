package dev.vae.train.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.testing.SharedData;
import dev.vae.train.EpochStats;
import dev.vae.train.RunOptions;
import dev.vae.train.TrainingConfig;
import dev.vae.train.TrainingResult;
import dev.vae.train.VaeTrainer;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MicrometerTrainingListenerTest {

    @Test
    void givenARunOnRealData_whenListenedTo_thenTheMetersCarryTheHistorysValues() throws Exception {
        Table data = CsvReader.read(SharedData.require("data/satimage-2/satimage-2.csv"),
                CsvOptions.withLabel("label", Set.of()));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TrainingConfig config = TrainingConfig.builder().hidden(List.of(32)).latent(4).epochs(3).threads(1).build();
        TrainingResult r = new VaeTrainer(config).fit(data,
                RunOptions.none().withListener(new MicrometerTrainingListener(registry, Tags.of("model", "satimage"))));

        List<EpochStats> h = r.history();
        EpochStats last = h.get(h.size() - 1);
        Timer epochs = registry.get("vae.train.epoch").tags("model", "satimage").timer();
        assertThat(epochs.count()).isEqualTo(h.size());
        double seconds = h.stream().mapToDouble(EpochStats::seconds).sum();
        assertThat(epochs.totalTime(TimeUnit.SECONDS)).isCloseTo(seconds, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(registry.get("vae.train.loss").gauge().value()).isEqualTo(last.loss());
        assertThat(registry.get("vae.train.reconstruction").gauge().value()).isEqualTo(last.reconstruction());
        assertThat(registry.get("vae.train.kl").gauge().value()).isEqualTo(last.kl());
        assertThat(registry.get("vae.train.validation.loss").gauge().value()).isEqualTo(last.validationLoss());
        assertThat(registry.get("vae.train.loss").gauge().getId().getBaseUnit()).isEqualTo("nats");
        int trainRows = data.rows() - r.validation().rows();
        assertThat(registry.get("vae.train.rows").counter().count()).isEqualTo((double) trainRows * h.size());
    }

    @Test
    void givenTwoRunsOnOneRegistry_whenBothListened_thenTheGaugesReportTheSecondRun() {
        SplittableRandom r = new SplittableRandom(11);
        double[][] rows = new double[300][4];
        for (double[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                row[j] = r.nextGaussian() * (j + 1);
            }
        }
        Table data = Table.of(List.of("a", "b", "c", "d"), rows, null);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TrainingConfig config = TrainingConfig.builder().hidden(List.of(8)).latent(2).epochs(2).threads(1).build();

        TrainingResult first = new VaeTrainer(config)
                .fit(data, RunOptions.none().withListener(new MicrometerTrainingListener(registry)));
        TrainingResult second = new VaeTrainer(config.withEpochs(1).withSeed(99))
                .fit(data, RunOptions.none().withListener(new MicrometerTrainingListener(registry)));

        EpochStats a = first.history().get(first.history().size() - 1);
        EpochStats b = second.history().get(second.history().size() - 1);
        assertThat(b.loss()).isNotEqualTo(a.loss());
        assertThat(registry.get("vae.train.loss").gauges()).hasSize(1);
        assertThat(registry.get("vae.train.loss").gauge().value()).isEqualTo(b.loss());
        assertThat(registry.get("vae.train.reconstruction").gauge().value()).isEqualTo(b.reconstruction());
        assertThat(registry.get("vae.train.kl").gauge().value()).isEqualTo(b.kl());
        assertThat(registry.get("vae.train.validation.loss").gauge().value()).isEqualTo(b.validationLoss());
        // The timer accumulates over both runs.
        assertThat(registry.get("vae.train.epoch").timer().count())
                .isEqualTo(first.history().size() + second.history().size());
        // Gauges of the same name with other tags are another series and stay.
        new MicrometerTrainingListener(registry, Tags.of("model", "other"));
        assertThat(registry.get("vae.train.loss").gauges()).hasSize(2)
                .anySatisfy(g -> assertThat(g.value()).isEqualTo(b.loss()));
    }
}
