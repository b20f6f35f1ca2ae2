/**
 * Anomaly thresholds on scores (SPEC section 4). A {@link dev.vae.anomaly.threshold.ThresholdSpec} is a strategy,
 * made by its factories ({@code ThresholdSpec.quantile(0.99)}) or parsed from its command-line form
 * ({@code quantile:0.99}, {@code contamination:0.05}, {@code sigma:3}, {@code fixed:120}, {@code f1},
 * {@code pot:0.001} or its other name {@code spot:0.001}, {@code dspot:0.001:10}); fitting it on scores (and, for
 * {@code f1}, labels) gives a core {@link dev.vae.core.Threshold} that records its value, its method and what it was
 * fitted on, and that travels in the model file. {@link dev.vae.anomaly.threshold.DetectorFitting} fits a model's
 * threshold on a table; {@code Detector.builder()} calls it after training.
 *
 * <p>Streaming thresholds ({@link dev.vae.anomaly.threshold.StreamingThreshold}) follow a stream of scores one at a
 * time: {@link dev.vae.anomaly.threshold.PeaksOverThreshold} (SPOT) and
 * {@link dev.vae.anomaly.threshold.DriftPeaksOverThreshold} (DSPOT, SPOT on the residuals from a moving mean),
 * written from Siffer et al. (KDD 2017), with an optional cap on the peaks kept and lazy refits
 * ({@link dev.vae.anomaly.threshold.SpotSettings}) for streams that never end. Their complete state
 * ({@link dev.vae.anomaly.threshold.StreamState}) is written atomically to a versioned, checksummed text file and
 * read back, so a stream resumes bit for bit after a restart.
 */
@NullMarked
package dev.vae.anomaly.threshold;

import org.jspecify.annotations.NullMarked;
