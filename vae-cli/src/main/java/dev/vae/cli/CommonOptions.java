package dev.vae.cli;

import java.io.PrintWriter;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options every subcommand takes, and the command's output streams (those a test may replace). */
final class CommonOptions {

    @Option(names = "--verbose", description = "Print stack traces with errors.")
    boolean verbose;

    /** The command this mixin is part of; picocli sets it. */
    @Spec(Spec.Target.MIXEE)
    @Nullable CommandSpec command;

    /** The command's standard output. */
    PrintWriter out() {
        return command().commandLine().getOut();
    }

    /** The command's standard error: progress, warnings and summaries. */
    PrintWriter err() {
        return command().commandLine().getErr();
    }

    private CommandSpec command() {
        if (command == null) {
            throw new IllegalStateException("CommonOptions is used outside a picocli command");
        }
        return command;
    }
}
