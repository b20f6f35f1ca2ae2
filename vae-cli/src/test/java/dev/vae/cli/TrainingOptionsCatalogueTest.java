package dev.vae.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.train.TrainingOptions;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.OptionSpec;

/** {@code vae train}'s training options and {@link TrainingOptions}, the catalogue they are described in. */
class TrainingOptionsCatalogueTest {

    /** Options of {@code vae train} about the data, the output, the run or the threshold rather than the training. */
    private static final Set<String> NOT_TRAINING = Set.of("--data", "--label-column", "--drop-columns", "--metrics",
            "--normal-only", "--out", "--checkpoint", "--checkpoint-every", "--resume", "--history", "--threshold",
            "--time-column", "--window", "--stride", "--point-rule", "--verbose", "--help", "--version");

    private static List<OptionSpec> trainingOptionsOfTheCommand() {
        return VaeCommand.commandLine().getSubcommands().get("train").getCommandSpec().options().stream()
                .filter(o -> !NOT_TRAINING.contains(o.longestName()))
                .toList();
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
    void givenTheCatalogue_whenComparedWithVaeTrain_thenEveryEntryIsATrainingOptionOfTheCommand() {
        Set<String> names = trainingOptionsOfTheCommand().stream().map(OptionSpec::longestName)
                .collect(Collectors.toSet());

        assertThat(TrainingOptions.all()).extracting(TrainingOptions.Description::name)
                .doesNotHaveDuplicates().allMatch(names::contains);
    }
}
