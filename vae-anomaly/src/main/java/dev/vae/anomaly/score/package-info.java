/**
 * Scoring rows with a {@link dev.vae.core.VaeModel}. Every score is per row, in nats, and higher means more
 * anomalous. Sampled scores draw their noise from the model's seed and the row's own values, so a row's score is
 * the same bit for bit whatever batch, thread or order it is scored in.
 */
@NullMarked
package dev.vae.anomaly.score;

import org.jspecify.annotations.NullMarked;
