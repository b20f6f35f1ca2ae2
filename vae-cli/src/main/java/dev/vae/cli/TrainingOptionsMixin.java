package dev.vae.cli;

import static dev.vae.train.TrainingOptions.BATCH;
import static dev.vae.train.TrainingOptions.BETA;
import static dev.vae.train.TrainingOptions.EPOCHS;
import static dev.vae.train.TrainingOptions.HIDDEN;
import static dev.vae.train.TrainingOptions.LATENT;
import static dev.vae.train.TrainingOptions.LEARNING_RATE;
import static dev.vae.train.TrainingOptions.PATIENCE;
import static dev.vae.train.TrainingOptions.TRIM_WARMUP;
import static dev.vae.train.TrainingOptions.VALIDATION_FRACTION;

import dev.vae.core.nn.Architecture;
import dev.vae.train.TrainingConfig;
import dev.vae.train.TrainingOptions;
import dev.vae.train.TrainingOptions.Description;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * {@code vae train}'s training options, generated from the {@link TrainingOptions} catalogue: one option per entry,
 * in the catalogue's order, with the entry's name, value label, value type and default, so that a training option
 * is added to the catalogue alone. Its help text is the entry's doc unless {@code OptionWording.properties} words it
 * for {@code vae train} (key {@code vae.train.<name without dashes>}), as it does for every option of the catalogue
 * today. An entry whose type is an array takes comma-separated values ({@code --hidden 64,32}).
 */
final class TrainingOptionsMixin {

    private @Nullable CommandSpec options;

    /**
     * Adds the catalogue's options. Picocli calls this with the mixin's own spec while it builds the command, before
     * it adds the mixin's options to the command where the {@code @Mixin} field stands, so they keep that place in
     * the help.
     */
    @Spec
    void addCatalogue(CommandSpec mixin) {
        for (Description<?> d : TrainingOptions.all()) {
            mixin.addOption(option(d));
        }
        options = mixin;
    }

    /** The command-line option of catalogue entry {@code d}. */
    static OptionSpec option(Description<?> d) {
        OptionSpec.Builder option = OptionSpec.builder(d.name())
                .paramLabel(d.valueLabel())
                .type(d.type())
                .defaultValue(d.defaultValue())
                .description(d.doc());
        if (d.type().isArray()) {
            option.splitRegex(",");
        }
        return option.build();
    }

    /** The value given for {@code d} (or its default); null for an option without default that was not given. */
    <T> @Nullable T value(Description<T> d) {
        return d.type().cast(spec().findOption(d.name()).getValue());
    }

    /**
     * The training configuration the options give.
     *
     * @throws IllegalArgumentException naming the option as typed, its value and the accepted range, when a value is
     *                                  out of range or does not parse
     */
    TrainingConfig config() {
        checkRanges();
        TrainingConfig.Builder builder = TrainingConfig.builder();
        for (Description<?> d : TrainingOptions.all()) {
            d.apply(builder, spec().findOption(d.name()).getValue());
        }
        return builder.build();
    }

    /**
     * Range checks before the values reach {@link TrainingConfig}, whose messages name its fields ("Invalid number of
     * epochs"), so that the message names the option as the user typed it: {@code Invalid --epochs: 0 (expected
     * 1..1000000)}. Options not checked here are named by their own parser or by {@link TrainingConfig}.
     */
    private void checkRanges() {
        Errors.flag(EPOCHS.name(), required(EPOCHS), 1, 1_000_000);
        Errors.flag(BATCH.name(), required(BATCH), 1, 1 << 20);
        Errors.flag(LATENT.name(), required(LATENT), 0, Architecture.MAX_WIDTH);
        Errors.flag(PATIENCE.name(), required(PATIENCE), 0, Integer.MAX_VALUE);
        Errors.flag(LEARNING_RATE.name(), required(LEARNING_RATE), 0, true, 10);
        Errors.flag(BETA.name(), required(BETA), 0, false, 1e6);
        int[] hidden = value(HIDDEN);
        for (int h : hidden == null ? new int[0] : hidden) {
            Errors.flag(HIDDEN.name(), h, 1, Architecture.MAX_WIDTH);
        }
        double validationFraction = required(VALIDATION_FRACTION);
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("Invalid " + VALIDATION_FRACTION.name() + ": " + validationFraction
                    + " (expected " + VALIDATION_FRACTION.range() + ")");
        }
        Errors.flag(TRIM_WARMUP.name(), required(TRIM_WARMUP), 0, Integer.MAX_VALUE);
    }

    /** The value of an option with a default, which picocli always sets. */
    private <T> T required(Description<T> d) {
        T v = value(d);
        if (v == null) {
            throw new IllegalStateException(d.name() + " has no value: the catalogue gives it no default");
        }
        return v;
    }

    private CommandSpec spec() {
        if (options == null) {
            throw new IllegalStateException("The training options are read before picocli built them");
        }
        return options;
    }
}
