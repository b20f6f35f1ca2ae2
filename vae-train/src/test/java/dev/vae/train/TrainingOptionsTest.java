package dev.vae.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.train.TrainingOptions.Description;
import dev.vae.train.TrainingOptions.Range;
import java.util.ArrayList;
import java.util.List;
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

    @Test
    void givenRangesOfEachShape_whenPrinted_thenTheyReadAsTheMessagesStateThem() {
        assertThat(Range.wholeNumbers(1, 1_000_000)).hasToString("1..1000000");
        assertThat(Range.wholeAtLeast(0)).hasToString(">= 0");
        assertThat(Range.real("lr", 0, false, 10, true)).hasToString("0 < lr <= 10");
        assertThat(Range.real("beta", 0, true, 1e6, true)).hasToString("0 <= beta <= 1000000");
        assertThat(Range.real("f", 0, true, 0.5, false).withNote("0 = off")).hasToString("0 <= f < 0.5, 0 = off");
        assertThat(Range.real("f", 0, true, 0.5, false).withSymbol("F")).hasToString("0 <= F < 0.5");
        assertThat(Range.realAtLeast(0).withNote("0 = off")).hasToString(">= 0, 0 = off");
        assertThat(Range.anyWholeNumber()).hasToString("any whole number");
    }

    @Test
    void givenValuesAtAndAcrossEachEnd_whenTested_thenOnlyTheAcceptedOnesAreInTheRange() {
        Range lr = Range.real("lr", 0, false, 10, true);
        assertThat(lr.contains(0)).isFalse();
        assertThat(lr.contains(Double.MIN_VALUE)).isTrue();
        assertThat(lr.contains(10)).isTrue();
        assertThat(lr.contains(Math.nextUp(10.0))).isFalse();
        assertThat(lr.contains(Double.NaN)).isFalse();
        Range finite = Range.realAtLeast(0);
        assertThat(finite.contains(0)).isTrue();
        assertThat(finite.contains(-0.0)).isTrue();
        assertThat(finite.contains(Double.MAX_VALUE)).isTrue();
        assertThat(finite.contains(Double.POSITIVE_INFINITY)).isFalse();
        assertThat(Range.wholeAtLeast(0).contains(Integer.MAX_VALUE)).isTrue();
        assertThat(Range.anyWholeNumber().contains(Long.MIN_VALUE)).isTrue();
        assertThatThrownBy(() -> new Range(0, false, 5, true, true, "", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole");
        assertThatThrownBy(() -> Range.wholeNumbers(5, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid range: lower end 5.0 above upper end 1.0");
    }

    /** Every entry whose value is a number or an array of numbers. */
    static List<Description<?>> numericEntries() {
        return TrainingOptions.all().stream().filter(d -> Number.class.isAssignableFrom(d.type())
                || d.type().isArray() && d.type().getComponentType().isPrimitive()).toList();
    }

    /** {@code value} as a value of {@code d}'s type. */
    private static Object valueOf(Description<?> d, double value) {
        Class<?> t = d.type();
        return t == Integer.class ? (Object) (int) value : t == Long.class ? (Object) (long) value
                : t == Double.class ? (Object) value : t == int[].class ? new int[] {(int) value}
                : fail(d.name() + " has a numeric type this test does not know: " + t);
    }

    private static Object fail(String message) {
        throw new AssertionError(message);
    }

    /** The accepted ends of a range, and the values just outside it (the ends themselves when they are open). */
    static List<Double> acceptedEnds(Range r) {
        List<Double> ends = new ArrayList<>();
        if (Double.isFinite(r.min()) && r.minInclusive()) {
            ends.add(r.min());
        }
        if (Double.isFinite(r.max()) && r.maxInclusive()) {
            ends.add(r.max());
        }
        return ends;
    }

    /** The values just outside each end of {@code r} that the option's type can hold. */
    static List<Double> justOutside(Range r) {
        List<Double> outside = new ArrayList<>();
        if (Double.isFinite(r.min())) {
            outside.add(!r.minInclusive() ? r.min() : r.whole() ? r.min() - 1 : Math.nextDown(r.min()));
        }
        if (Double.isFinite(r.max())) {
            outside.add(!r.maxInclusive() ? r.max() : r.whole() ? r.max() + 1 : Math.nextUp(r.max()));
        } else if (!r.whole() && !r.maxInclusive()) {
            outside.add(Double.POSITIVE_INFINITY);
        }
        return outside;
    }

    @Test
    void givenEachNumericEntry_whenItsEndsAndTheValuesJustOutsideAreChecked_thenTheCatalogueAndTheConfigAgree() {
        assertThat(numericEntries()).hasSizeGreaterThanOrEqualTo(14);
        for (Description<?> d : numericEntries()) {
            Range r = d.bounds();
            assertThat(r).as("range of %s", d.name()).isNotNull();
            for (double end : acceptedEnds(r)) {
                Object value = valueOf(d, end);
                d.checkRange(value);
                TrainingConfig.Builder builder = TrainingConfig.builder().threads(1);
                d.apply(builder, value);
                assertThat(builder.build()).as("%s %s", d.name(), end).isNotNull();
            }
            for (double out : justOutside(r)) {
                Object value = valueOf(d, out);
                String shown = d.type() == Double.class ? Double.toString(out) : Long.toString((long) out);
                assertThatThrownBy(() -> d.checkRange(value)).as("%s %s", d.name(), shown)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("Invalid " + d.name() + ": " + shown + " (expected " + r + ")");
                TrainingConfig.Builder builder = TrainingConfig.builder().threads(1);
                assertThatThrownBy(() -> {
                    d.apply(builder, value);
                    builder.build();
                }).as("TrainingConfig with %s %s", d.name(), shown).isInstanceOf(IllegalArgumentException.class);
            }
        }
    }

    @Test
    void givenTheTrimFraction_whenAtAndAcrossItsEnds_thenTheTrimTextFollowsTheCatalogueRange() {
        assertThat(TrainingOptions.TRIM.bounds()).isEqualTo(TrainingOptions.TRIM_FRACTION_RANGE);
        assertThat(withTrim("0").trimFraction()).isZero();
        assertThat(withTrim(Double.toString(Math.nextDown(0.5))).trimFraction()).isEqualTo(Math.nextDown(0.5));
        assertThatThrownBy(() -> withTrim("-4.9E-324")).hasMessage("Invalid --trim: -4.9E-324 (expected 0 <= F < 0.5,"
                + " 0 = off)");
    }
}
