package dev.vae.cli;

import picocli.CommandLine.Option;

/** Options every subcommand takes. */
final class CommonOptions {

    @Option(names = "--verbose", description = "Print stack traces with errors.")
    boolean verbose;
}
