/**
 * Optimisers over flat parameter arrays. They take d(loss)/d(parameter) and subtract a step: the one place the
 * gradient's sign is turned into a descent direction. {@link dev.vae.train.optim.Optimiser} is what the trainer
 * steps, {@link dev.vae.train.optim.OptimiserFactory} what a configuration holds (each run makes its own), and
 * {@link dev.vae.train.optim.Adam} the default; {@code dev.vae.anomaly.tribuo.TribuoOptimiserFactory} adapts Tribuo's.
 */
@NullMarked
package dev.vae.train.optim;

import org.jspecify.annotations.NullMarked;
