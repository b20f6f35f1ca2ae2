/**
 * The model itself: its {@link dev.vae.core.nn.Architecture}, the immutable trained {@link dev.vae.core.VaeModel},
 * and the small value types every module shares (model type, threshold, score settings).
 *
 * <p>Conventions that hold across the whole project: scores and log-densities are in nats, a higher
 * score means more anomalous, parameters and activations are float32 in contiguous row-major arrays,
 * and randomness always comes from an explicit seed.
 */
@NullMarked
package dev.vae.core;

import org.jspecify.annotations.NullMarked;
