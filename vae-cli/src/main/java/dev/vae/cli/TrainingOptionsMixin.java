package dev.vae.cli;

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
     * 1..1000000)}. Each entry checks against its catalogue {@linkplain Description#bounds() range}; a text value
     * (such as {@code --trim}'s) is named by its own parser.
     */
    private void checkRanges() {
        for (Description<?> d : TrainingOptions.all()) {
            d.checkRange(spec().findOption(d.name()).getValue());
        }
    }

    private CommandSpec spec() {
        if (options == null) {
            throw new IllegalStateException("The training options are read before picocli built them");
        }
        return options;
    }
}
