/**
 * The Tribuo adapter: {@link dev.vae.anomaly.tribuo.VaeAnomalyTrainer} is a {@code Trainer<Event>} that trains a VAE
 * on a {@code Dataset<Event>} of expected events (like Tribuo's own one-class trainers), and
 * {@link dev.vae.anomaly.tribuo.VaeAnomalyModel} is the {@code Model<Event>} it returns: it predicts
 * {@code ANOMALOUS} or {@code EXPECTED} events carrying the score (nats, higher = more anomalous), reads sparse
 * examples through Tribuo's feature map and {@code SparseVector}, explains a prediction by its per-feature
 * reconstruction terms, and records Tribuo provenance from which OLCUT rebuilds the trainer, so Tribuo's
 * {@code AnomalyEvaluator} and provenance tools work on it. {@link dev.vae.anomaly.tribuo.TribuoOptimiserFactory}
 * lets a Tribuo {@code StochasticGradientOptimiser} (AdaGrad, SGD, RMSProp, ...) train the VAE in place of the
 * library's Adam.
 */
@NullMarked
package dev.vae.anomaly.tribuo;

import org.jspecify.annotations.NullMarked;
