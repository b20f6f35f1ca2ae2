package dev.vae.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code --help} of {@code vae} and of every subcommand, byte for byte, against the texts in
 * {@code src/test/resources/dev/vae/cli/help/COMMAND.txt}, so that a change to how options are declared (mixins,
 * options generated from a catalogue, reworded shared options) cannot change the help unnoticed. The texts were
 * recorded at commit 990aa5a, before vae train generated its training options and the commands shared their options
 * through more mixins. After a deliberate change to the help, run this test with {@code -Dvae.help.record=true}: it
 * writes the new texts there (review them with git diff) and fails once.
 */
class HelpTextTest {

    private static final Path RECORDED = Path.of("src/test/resources/dev/vae/cli/help");

    /** {@code vae}'s subcommands, and {@code vae} itself. */
    private static List<String> commands() {
        List<String> commands = new ArrayList<>(VaeCommand.commandLine().getSubcommands().keySet());
        commands.add("vae");
        return commands;
    }

    private static String recorded(String command) throws IOException {
        try (InputStream in = HelpTextTest.class.getResourceAsStream("help/" + command + ".txt")) {
            return in == null ? "(no recorded help for " + command + ")" : new String(in.readAllBytes(),
                    StandardCharsets.UTF_8);
        }
    }

    @Test
    void givenEachCommand_whenHelpIsShown_thenItIsTheRecordedTextByteForByte() throws IOException {
        boolean record = Boolean.getBoolean("vae.help.record");
        List<String> changed = new ArrayList<>();
        for (String command : commands()) {
            Cli.Result help = command.equals("vae") ? Cli.run("--help") : Cli.run(command, "--help");
            assertThat(help.exit()).as(command).isZero();
            if (!help.out().equals(recorded(command))) {
                changed.add(command);
                if (record) {
                    Files.writeString(RECORDED.resolve(command + ".txt"), help.out(), StandardCharsets.UTF_8);
                }
            }
        }

        assertThat(changed).as(record ? "re-recorded (review with git diff, then run again)"
                : "help differs from the recorded text (after a deliberate change: -Dvae.help.record=true)").isEmpty();
        assertThat(commands()).hasSize(12);
    }
}
