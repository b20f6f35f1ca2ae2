package dev.vae.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link TrainingOptions}: how the catalogue's entries set a {@link TrainingConfig.Builder}. */
class TrainingOptionsTest {

    private static TrainingConfig withTrim(String text) {
        TrainingConfig.Builder builder = TrainingConfig.builder();
        TrainingOptions.TRIM.apply(builder, text);
        return builder.build();
    }

    @Test
    void givenEachFormOfTheTrimText_whenApplied_thenTheShareAndWhetherItIsAdaptiveAreSet() {
        assertThat(withTrim("auto")).extracting(TrainingConfig::trimFraction, TrainingConfig::trimAdaptive)
                .containsExactly(TrainingConfig.DEFAULT_TRIM_FRACTION, true);
        assertThat(withTrim(" AUTO:0.15 ")).extracting(TrainingConfig::trimFraction, TrainingConfig::trimAdaptive)
                .containsExactly(0.15, true);
        assertThat(withTrim("0.2")).extracting(TrainingConfig::trimFraction, TrainingConfig::trimAdaptive)
                .containsExactly(0.2, false);
        assertThat(withTrim("0")).extracting(TrainingConfig::trimFraction, TrainingConfig::trimAdaptive)
                .containsExactly(0.0, false);
        assertThat(withTrim(TrainingOptions.TRIM.defaultValue())).isEqualTo(TrainingConfig.defaults());
    }

    @Test
    void givenABadTrimText_whenApplied_thenTheMessageNamesTheOptionAndTheText() {
        assertThatThrownBy(() -> withTrim("auto:x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid --trim: 'auto:x' (expected auto, auto:F or F, 0 <= F < 0.5)");
        assertThatThrownBy(() -> withTrim("0.5")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid --trim: 0.5 (expected 0 <= F < 0.5, 0 = off)");
        assertThatThrownBy(() -> withTrim("auto:-0.1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid --trim: auto:-0.1 (expected 0 <= F < 0.5, 0 = off)");
    }

    @Test
    void givenNoValue_whenApplied_thenTheBuildersDefaultStays() {
        TrainingConfig.Builder builder = TrainingConfig.builder().threads(1);
        for (TrainingOptions.Description<?> d : TrainingOptions.all()) {
            d.apply(builder, null);
        }

        assertThat(builder.build()).isEqualTo(TrainingConfig.defaults().toBuilder().threads(1).build());
    }

    @Test
    void givenAValueOfAnotherType_whenApplied_thenItIsRefusedBeforeReachingTheBuilder() {
        assertThatThrownBy(() -> TrainingOptions.EPOCHS.apply(TrainingConfig.builder(), "7"))
                .isInstanceOf(ClassCastException.class);
    }

    @Test
    void givenTheCatalogue_whenListed_thenNamesAreUniqueAndEachIsFoundByName() {
        assertThat(TrainingOptions.all()).extracting(TrainingOptions.Description::name).doesNotHaveDuplicates()
                .allMatch(n -> TrainingOptions.named(n).orElseThrow().name().equals(n));
        assertThat(TrainingOptions.named("--out")).isEmpty();
    }
}
