/**
 * Anomaly thresholds on scores (SPEC section 4). A {@link dev.vae.anomaly.threshold.ThresholdSpec} is a strategy,
 * made by its factories ({@code ThresholdSpec.quantile(0.99)}) or parsed from its command-line form
 * ({@code quantile:0.99}, {@code contamination:0.05}, {@code sigma:3}, {@code fixed:120}, {@code f1},
 * {@code pot:0.001}); fitting it on scores (and, for {@code f1}, labels) gives a core
 * {@link dev.vae.core.Threshold} that records its value, its method and what it was fitted on, and that travels in
 * the model file. {@link dev.vae.anomaly.threshold.PeaksOverThreshold} implements the SPOT algorithm of Siffer et
 * al. (KDD 2017) from the paper, including its streaming update. {@link dev.vae.anomaly.threshold.DetectorFitting}
 * fits a model's threshold on a table; {@code Detector.builder()} calls it after training.
 */
@NullMarked
package dev.vae.anomaly.threshold;

import org.jspecify.annotations.NullMarked;
