/**
 * Fitting models: {@link dev.vae.train.VaeTrainer} turns a {@link dev.vae.train.TrainingConfig} and data into an
 * immutable {@link dev.vae.core.VaeModel} with its training history. Every fit derives all its randomness
 * (validation split, initialisation, shuffling, noise) from the configured seed, so the same data, settings and
 * seed give a bit-identical model.
 */
@NullMarked
package dev.vae.train;

import org.jspecify.annotations.NullMarked;
