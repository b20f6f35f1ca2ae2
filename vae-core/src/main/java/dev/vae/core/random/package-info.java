/**
 * Explicit, reproducible randomness: standard normal draws from a seeded generator, and per-row noise derived
 * from a model's seed and the row's own values so that sampled scores are deterministic whatever the batch,
 * thread count or row order. Nothing here is global or time-seeded.
 */
@NullMarked
package dev.vae.core.random;

import org.jspecify.annotations.NullMarked;
