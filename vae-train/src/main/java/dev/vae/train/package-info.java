/**
 * Fitting models: {@link dev.vae.train.VaeTrainer} turns a {@link dev.vae.train.TrainingConfig} and data into an
 * immutable {@link dev.vae.core.VaeModel} with its training history. The trainer holds out a validation split,
 * stops early and restores the best epoch's weights, ramps beta during KL warm-up, clips gradient norms, stops on a
 * non-finite loss or gradient ({@link dev.vae.train.TrainingDivergedException}, naming epoch and batch), computes
 * each minibatch's gradient on several threads in fixed shards, and writes {@link dev.vae.train.Checkpoint}s it can
 * resume from. The validation split and initial weights derive from the configured seed and every epoch's shuffle
 * and noise from (seed, epoch), so the same data, settings, seed and thread count give a bit-identical model, and a
 * resumed run ends on the same bits as an uninterrupted one. The trainer is immutable: what a run does besides
 * training comes with each call in {@link dev.vae.train.RunOptions}, its {@link dev.vae.train.TrainingListener}s and
 * its {@link dev.vae.train.CheckpointPolicy}.
 */
@NullMarked
package dev.vae.train;

import org.jspecify.annotations.NullMarked;
