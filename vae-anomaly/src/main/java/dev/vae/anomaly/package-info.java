/**
 * Anomaly detection on top of a trained model: scores (negative ELBO and friends, in nats, higher = more
 * anomalous), thresholds, evaluation metrics, and the Tribuo adapter. {@link dev.vae.anomaly.Detector} joins a
 * scorer and a threshold and reports to Micrometer ({@code vae.score}, {@code vae.anomaly.events},
 * {@code vae.anomaly.threshold}, {@code vae.anomaly.excess}); {@link dev.vae.anomaly.Detector#builder()} trains one
 * from data (a model, then its threshold on the rows training held out) into a
 * {@link dev.vae.anomaly.TrainedDetector}, the one way every trainer of the project (command line, Tribuo, Spark)
 * goes.
 */
@NullMarked
package dev.vae.anomaly;

import org.jspecify.annotations.NullMarked;
