/**
 * Anomaly detection on top of a trained model: scores (negative ELBO and friends, in nats, higher = more
 * anomalous), thresholds, evaluation metrics, and the Tribuo adapter.
 */
@NullMarked
package dev.vae.anomaly;

import org.jspecify.annotations.NullMarked;
