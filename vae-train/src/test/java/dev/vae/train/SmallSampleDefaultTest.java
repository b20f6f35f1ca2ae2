package dev.vae.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import dev.vae.core.likelihood.Likelihoods;
import dev.vae.core.nn.Architecture;
import dev.vae.core.testing.SharedData;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The default likelihood follows the training table's shape: shared variances when it has fewer rows than columns. */
class SmallSampleDefaultTest {

    @Test
    void givenTablesOfEveryShape_whenTheDefaultArchitectureIsResolved_thenOnlyFewerRowsThanColumnsShareVariances() {
        TrainingConfig defaults = TrainingConfig.defaults();
        assertThat(defaults.architecture(60, 59).likelihood()).isEqualTo(Architecture.SMALL_SAMPLE_LIKELIHOOD);
        assertThat(defaults.architecture(60, 60).likelihood()).isEqualTo(Architecture.DEFAULT_LIKELIHOOD);
        assertThat(defaults.architecture(60, 1_000_000).likelihood()).isEqualTo(Architecture.DEFAULT_LIKELIHOOD);
        assertThat(Architecture.SMALL_SAMPLE_LIKELIHOOD.id()).isEqualTo("gaussian-shared");
        assertThat(Architecture.DEFAULT_LIKELIHOOD.id()).isEqualTo("gaussian:logvar-bound=2");
        // The words every option description uses name both, so that they cannot drift from the constants.
        assertThat(Architecture.DEFAULT_LIKELIHOOD_DESCRIPTION).startsWith(Architecture.DEFAULT_LIKELIHOOD.id() + ";")
                .contains(Architecture.SMALL_SAMPLE_LIKELIHOOD.id() + " when")
                .contains(Architecture.NEAR_CONSTANT_LIKELIHOOD.id() + " when");
        // Everything else is the width's defaults.
        assertThat(defaults.architecture(60, 59).withLikelihood(Architecture.DEFAULT_LIKELIHOOD))
                .isEqualTo(defaults.architecture(60, 60));
        // A likelihood the user sets is kept whatever the shape.
        TrainingConfig chosen = defaults.toBuilder().likelihood(Likelihoods.parse("student-t")).build();
        assertThat(chosen.architecture(60, 10).likelihood().id()).isEqualTo("student-t");
    }

    @Test
    void givenFortyRowsOfSonarsSixtyColumns_whenTrainedWithDefaults_thenTheModelSharesItsVariances() throws java.io.IOException {
        Table sonar = CsvReader.read(SharedData.require("data/sonar/sonar.csv"), CsvOptions.withLabel("label", Set.of()));
        Table few = sonar.select(IntStream.range(0, 40).toArray());
        Table enough = sonar.select(IntStream.range(0, 60).toArray());
        TrainingConfig c = TrainingConfig.defaults().toBuilder().epochs(2).threads(1).build();

        assertThat(new VaeTrainer(c).fit(few).model().architecture().likelihood())
                .isEqualTo(Architecture.SMALL_SAMPLE_LIKELIHOOD);
        assertThat(new VaeTrainer(c).fit(enough).model().architecture().likelihood())
                .isEqualTo(Architecture.DEFAULT_LIKELIHOOD);
    }
}
