package dev.vae.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.likelihood.BernoulliLikelihood;
import dev.vae.core.testing.SharedData;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A short run of the MNIST set-up (784-400-20 Bernoulli, batch 128) on 2,000 real digits: the loss falls. */
class MnistSmokeTest {

    @Test
    void givenTwoThousandDigits_whenTrainedForOneEpoch_thenTheBatchLossFallsFromItsStart() throws Exception {
        Table test = CsvReader.read(SharedData.require("data/mnist/mnist_test.csv.gz"),
                CsvOptions.withLabel("digit", Set.of()));
        int[] idx = new int[2000];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Table rows = test.select(idx);
        TrainingConfig config = TrainingConfig.builder().hidden(List.of(400)).latent(20)
                .likelihood(BernoulliLikelihood.INSTANCE).batchSize(128).epochs(1).validationFraction(0).build();
        TrainingResult r = new VaeTrainer(config).fit(rows);
        EpochStats e = r.history().get(0);
        // An untrained decoder (logits ~ 0) costs 784 log 2 = 543 nats per digit; one epoch must do far better.
        assertThat(e.loss()).isLessThan(400.0);
        assertThat(e.reconstruction()).isLessThan(e.loss());
        assertThat(r.model().provenance()).containsEntry("data.train-rows", "2000");
    }
}
