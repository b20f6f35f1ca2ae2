/**
 * The {@code vae} command line: one picocli subcommand per task (train, score, evaluate, encode, sample, ...).
 * Every command validates its flags, prints one clear line and exits non-zero on bad input, and shows a stack
 * trace only with {@code --verbose}.
 */
@NullMarked
package dev.vae.cli;

import org.jspecify.annotations.NullMarked;
