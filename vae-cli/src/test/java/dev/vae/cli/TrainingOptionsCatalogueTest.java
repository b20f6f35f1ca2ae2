package dev.vae.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.core.likelihood.Likelihoods;
import dev.vae.core.nn.Activation;
import dev.vae.core.nn.ModelType;
import dev.vae.train.TrainingConfig;
import dev.vae.train.TrainingOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** {@code vae train}'s training options and {@link TrainingOptions}, the catalogue they are generated from. */
class TrainingOptionsCatalogueTest {

    /** Options of {@code vae train} about the data, the output, the run or the threshold rather than the training. */
    private static final Set<String> NOT_TRAINING = Set.of("--data", "--label-column", "--drop-columns", "--metrics",
            "--normal-only", "--out", "--checkpoint", "--checkpoint-every", "--resume", "--history", "--threshold",
            "--time-column", "--window", "--stride", "--point-rule", "--verbose", "--help", "--version");

    /** Every training option set to a value other than its default. */
    private static final List<String> EVERY_OPTION_SET = List.of("--model-type", "ae", "--likelihood",
            "student-t:nu=3", "--hidden", "16,8", "--hidden", "4", "--activation", "relu", "--latent", "3", "--epochs",
            "7", "--batch", "64", "--learning-rate", "0.002", "--beta", "0.5", "--seed", "7", "--validation-fraction",
            "0.2", "--patience", "3", "--validation-seed", "9", "--kl-warmup", "2", "--clip-norm", "5", "--trim",
            "auto:0.2", "--trim-warmup", "1", "--ensemble", "2", "--threads", "1");

    private static CommandLine train() {
        return VaeCommand.commandLine().getSubcommands().get("train");
    }

    private static List<OptionSpec> trainingOptionsOfTheCommand() {
        return train().getCommandSpec().options().stream()
                .filter(o -> !NOT_TRAINING.contains(o.longestName()))
                .toList();
    }

    /** The training configuration {@code vae train} takes from {@code trainingArgs}. */
    private static TrainingConfig configOf(List<String> trainingArgs) {
        List<String> args = new ArrayList<>(List.of("train", "--data", "d.csv", "--out", "m.vae"));
        args.addAll(trainingArgs);
        CommandLine vae = VaeCommand.commandLine();
        vae.parseArgs(args.toArray(String[]::new));
        return ((TrainCommand) vae.getSubcommands().get("train").getCommand()).training.config();
    }

    @Test
    void givenEachTrainingOptionOfVaeTrain_whenLookedUpInTheCatalogue_thenItIsThereWithTheSameDefault() {
        List<OptionSpec> options = trainingOptionsOfTheCommand();

        assertThat(options).isNotEmpty();
        for (OptionSpec o : options) {
            assertThat(TrainingOptions.named(o.longestName()))
                    .as("%s of vae train in TrainingOptions", o.longestName()).isPresent()
                    .get().extracting(TrainingOptions.Description::defaultValue)
                    .as("default of %s", o.longestName()).isEqualTo(o.defaultValue());
        }
    }

    @Test
    void givenTheCatalogue_whenComparedWithVaeTrain_thenItsEntriesAreTheTrainingOptionsInTheSameOrder() {
        assertThat(trainingOptionsOfTheCommand()).extracting(OptionSpec::longestName)
                .containsExactlyElementsOf(TrainingOptions.all().stream().map(TrainingOptions.Description::name)
                        .toList());
    }

    @Test
    void givenEveryTrainingOptionSet_whenParsed_thenTheConfigurationIsTheOneBuiltByHand() {
        TrainingConfig parsed = configOf(EVERY_OPTION_SET);

        TrainingConfig expected = TrainingConfig.builder().modelType(ModelType.AE)
                .likelihood(Likelihoods.parse("student-t:nu=3")).hidden(List.of(16, 8, 4))
                .activation(Activation.RELU).latent(3).epochs(7).batchSize(64).learningRate(0.002).beta(0.5).seed(7)
                .validationFraction(0.2).patience(3).validationSeed(9L).klWarmupEpochs(2).clipNorm(5)
                .trimFraction(0.2).trimAdaptive(true).trimWarmupEpochs(1).members(2).threads(1).build();
        // Likelihoods have no value equality: compared by their id.
        assertThat(parsed.likelihood().id()).isEqualTo(expected.likelihood().id()).startsWith("student-t:nu=3");
        assertThat(parsed.toBuilder().likelihood(null).build())
                .isEqualTo(expected.toBuilder().likelihood(null).build());
        Set<String> given = EVERY_OPTION_SET.stream().filter(a -> a.startsWith("--")).collect(Collectors.toSet());
        assertThat(given).as("the test sets every option of the catalogue")
                .isEqualTo(TrainingOptions.all().stream().map(TrainingOptions.Description::name)
                        .collect(Collectors.toSet()));
    }

    @Test
    void givenNoTrainingOption_whenParsed_thenTheConfigurationIsTheLibrarysDefault() {
        assertThat(configOf(List.of())).isEqualTo(TrainingConfig.defaults());
    }

    @Test
    void givenACatalogueEntry_whenItsOptionIsGenerated_thenItTakesTheEntrysNameLabelTypeDefaultAndDoc() {
        TrainingOptions.Description<int[]> widths = new TrainingOptions.Description<>("--widths", null,
                "Some widths.", "each >= 1", TrainingOptions.Range.wholeAtLeast(1), "W,W", int[].class, (b, w) -> b.hidden(Arrays.stream(w).boxed().toList()));
        TrainingOptions.Description<Double> rate = new TrainingOptions.Description<>("--rate", "0.5", "A rate.",
                TrainingOptions.Range.real("r", 0, false, 1, true), "F", Double.class,
                TrainingConfig.Builder::learningRate);

        OptionSpec w = TrainingOptionsMixin.option(widths);
        OptionSpec r = TrainingOptionsMixin.option(rate);

        assertThat(w.longestName()).isEqualTo("--widths");
        assertThat(w.paramLabel()).isEqualTo("W,W");
        assertThat(w.type()).isEqualTo(int[].class);
        assertThat(w.splitRegex()).isEqualTo(",");
        assertThat(w.defaultValue()).isNull();
        assertThat(w.description()).containsExactly("Some widths.");
        assertThat(r.paramLabel()).isEqualTo("F");
        assertThat(r.type()).isEqualTo(Double.class);
        assertThat(r.splitRegex()).isEmpty();
        assertThat(r.defaultValue()).isEqualTo("0.5");
        assertThat(r.description()).containsExactly("A rate.");
    }

    /** Whether {@code d}'s value is a number or an array of numbers. */
    private static boolean numeric(TrainingOptions.Description<?> d) {
        return Number.class.isAssignableFrom(d.type()) || d.type().isArray() && d.type().getComponentType().isPrimitive();
    }

    /** {@code x} as typed for an option of {@code d}'s type: a whole number unless the type is real. */
    private static String typed(TrainingOptions.Description<?> d, double x) {
        return d.type() == Double.class || d.type() == double[].class ? Double.toString(x) : Long.toString((long) x);
    }

    @Test
    void givenEachNumericCatalogueEntry_whenGivenJustOutsideEachEnd_thenVaeTrainRefusesItWithTheCataloguesRange() {
        int refusals = 0;
        for (TrainingOptions.Description<?> d : TrainingOptions.all()) {
            if (!numeric(d)) {
                continue;
            }
            TrainingOptions.Range r = d.bounds();
            assertThat(r).as("range of %s", d.name()).isNotNull();
            List<Double> outside = new ArrayList<>();
            List<Double> accepted = new ArrayList<>();
            if (Double.isFinite(r.min())) {
                outside.add(!r.minInclusive() ? r.min() : r.whole() ? r.min() - 1 : Math.nextDown(r.min()));
                accepted.add(r.minInclusive() ? r.min() : Math.nextUp(r.min()));
            }
            if (Double.isFinite(r.max())) {
                outside.add(!r.maxInclusive() ? r.max() : r.whole() ? r.max() + 1 : Math.nextUp(r.max()));
                accepted.add(r.maxInclusive() ? r.max() : Math.nextDown(r.max()));
            } else if (!r.whole() && !r.maxInclusive()) {
                outside.add(Double.POSITIVE_INFINITY);
            }
            for (double x : outside) {
                String text = typed(d, x);
                assertThatThrownBy(() -> configOf(List.of(d.name(), text))).as("%s %s", d.name(), text)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("Invalid " + d.name() + ": " + text + " (expected " + r + ")");
                refusals++;
            }
            for (double x : accepted) {
                assertThat(configOf(List.of(d.name(), typed(d, x)))).as("%s %s", d.name(), typed(d, x)).isNotNull();
            }
        }
        // Ends of epochs, batch, latent, threads, learning rate, beta, validation fraction and hidden, lower ends of
        // patience, warm-ups and clipping, and clipping's infinity.
        assertThat(refusals).isGreaterThanOrEqualTo(20);
    }
}
