package dev.vae.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.core.likelihood.Likelihood;
import dev.vae.core.likelihood.Likelihoods;
import dev.vae.core.nn.Activation;
import dev.vae.core.nn.ModelType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parts of a {@link TrainingConfig}: what the builder puts in each, and what each part refuses. */
class TrainingConfigTest {

    @Test
    void givenEverySettingOfTheBuilder_whenBuilt_thenEachLandsInItsPartAndTheFlatAccessorReadsIt() {
        Likelihood bernoulli = Likelihoods.parse("bernoulli");
        TrainingConfig c = TrainingConfig.builder().hidden(List.of(12, 6)).latent(3)
                .likelihood(bernoulli).modelType(ModelType.AE).activation(Activation.RELU)
                .epochs(7).batchSize(33).learningRate(2e-3).beta(0.5).klWarmupEpochs(4).clipNorm(5.0)
                .validationFraction(0.2).patience(3).validationSeed(11L)
                .trimFraction(0.25).trimAdaptive(false).trimWarmupEpochs(2)
                .seed(99).threads(1).build();

        assertThat(c.network()).isEqualTo(new TrainingConfig.NetworkSpec(List.of(12, 6), 3, bernoulli, ModelType.AE, Activation.RELU));
        assertThat(c.optimiser()).isEqualTo(new TrainingConfig.OptimiserSpec(7, 33, 2e-3, 0.5, 4, 5.0));
        assertThat(c.validation()).isEqualTo(new TrainingConfig.ValidationSpec(0.2, 3, 11L));
        assertThat(c.trimming()).isEqualTo(new TrainingConfig.TrimmingSpec(0.25, false, 2));
        assertThat(c.seed()).isEqualTo(99);
        assertThat(c.threads()).isEqualTo(1);
        assertThat(c.epochs()).isEqualTo(7);
        assertThat(c.validationSeed()).isEqualTo(11L);
        assertThat(c.trimWarmupEpochs()).isEqualTo(2);
        assertThat(c.toBuilder().build()).isEqualTo(c);
    }

    @Test
    void givenAFourEpochKlWarmup_whenBetaIsAskedPerEpoch_thenItRisesByAQuarterOfBetaEachEpoch() {
        TrainingConfig.OptimiserSpec o = new TrainingConfig.OptimiserSpec(10, 8, 1e-3, 2.0, 4, 0);

        // beta * e / 4 for e < 4, then beta: 0.5, 1.0, 1.5, 2.0, 2.0
        assertThat(List.of(o.betaAt(1), o.betaAt(2), o.betaAt(3), o.betaAt(4), o.betaAt(9)))
                .containsExactly(0.5, 1.0, 1.5, 2.0, 2.0);
        assertThat(TrainingConfig.builder().beta(2.0).klWarmupEpochs(4).threads(1).build().betaAt(3)).isEqualTo(1.5);
    }

    @Test
    void givenABadValueInEachPart_whenThePartIsBuilt_thenItsMessageNamesTheValue() {
        assertThatThrownBy(() -> new TrainingConfig.NetworkSpec(List.of(0), 0, null, ModelType.VAE, Activation.TANH))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Invalid hidden layer width: 0");
        assertThatThrownBy(() -> new TrainingConfig.OptimiserSpec(1, 8, 0, 1, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid learning rate: 0.0 (expected 0 < lr <= 10)");
        assertThatThrownBy(() -> new TrainingConfig.ValidationSpec(1.0, 0, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid validation fraction: 1.0 (expected 0 <= f < 1)");
        assertThatThrownBy(() -> new TrainingConfig.TrimmingSpec(0.5, true, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid trim fraction: 0.5 (expected 0 <= f < 0.5, 0 = off)");
        assertThatThrownBy(() -> TrainingConfig.builder().threads(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid thread count: 0 (expected 1..256)");
        assertThatThrownBy(() -> TrainingConfig.builder().epochs(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid number of epochs: 0 (expected 1..1000000)");
    }

    @Test
    void givenTheCatalogueDefaults_whenParsedAsTheCommandLineDoes_thenTheyAreTheDefaultConfiguration() {
        TrainingConfig d = TrainingConfig.defaults();

        assertThat(ModelType.parse(TrainingOptions.MODEL_TYPE.defaultValue())).isEqualTo(d.modelType());
        assertThat(Activation.parse(TrainingOptions.ACTIVATION.defaultValue())).isEqualTo(d.activation());
        assertThat(Integer.parseInt(TrainingOptions.LATENT.defaultValue())).isEqualTo(d.latent());
        assertThat(Integer.parseInt(TrainingOptions.EPOCHS.defaultValue())).isEqualTo(d.epochs()).isEqualTo(100);
        assertThat(Integer.parseInt(TrainingOptions.BATCH.defaultValue())).isEqualTo(d.batchSize()).isEqualTo(128);
        assertThat(Double.parseDouble(TrainingOptions.LEARNING_RATE.defaultValue())).isEqualTo(d.learningRate())
                .isEqualTo(1e-3);
        assertThat(Double.parseDouble(TrainingOptions.BETA.defaultValue())).isEqualTo(d.beta()).isEqualTo(1.0);
        assertThat(Long.parseLong(TrainingOptions.SEED.defaultValue())).isEqualTo(d.seed()).isEqualTo(42L);
        assertThat(Double.parseDouble(TrainingOptions.VALIDATION_FRACTION.defaultValue()))
                .isEqualTo(d.validationFraction()).isEqualTo(0.1);
        assertThat(Integer.parseInt(TrainingOptions.PATIENCE.defaultValue())).isEqualTo(d.patience()).isEqualTo(10);
        assertThat(Integer.parseInt(TrainingOptions.KL_WARMUP.defaultValue())).isEqualTo(d.klWarmupEpochs()).isZero();
        assertThat(Double.parseDouble(TrainingOptions.CLIP_NORM.defaultValue())).isEqualTo(d.clipNorm()).isZero();
        assertThat(TrainingOptions.TRIM.defaultValue()).isEqualTo("auto:0.3");
        assertThat(d.trimAdaptive()).isTrue();
        assertThat(d.trimFraction()).isEqualTo(0.3);
        assertThat(Integer.parseInt(TrainingOptions.TRIM_WARMUP.defaultValue())).isEqualTo(d.trimWarmupEpochs())
                .isEqualTo(5);
        assertThat(d.hidden()).isEmpty();
        assertThat(d.likelihood()).isNull();
        assertThat(d.validationSeed()).isNull();
    }
}
