/**
 * The detection-quality suite of SPEC section 11: the thirteen tabular sets of {@code ../shared/data}, each on the
 * five stratified 70/30 splits of its {@code <set>.folds.csv}, scored beside the eight label-free baseline detectors
 * of {@code baselines.csv} measured on exactly the same rows; and one-class Fashion-MNIST and MNIST (the held-out
 * image kind, {@link dev.vae.bench.quality.ImageSet}), each beside its own baselines.
 *
 * <p>{@link dev.vae.bench.quality.Suite} is the command. A candidate configuration is a compact spec
 * ({@link dev.vae.bench.quality.Candidate#parse}); {@code defaults} is the library's defaults exactly as
 * {@code vae train --label-column label} uses them. Training never sees a label: the labels of the test rows are
 * read by the metrics alone, which also measure the rows flagged by the threshold {@code vae train} fits by default
 * ({@link dev.vae.bench.quality.Protocol}). docs/quality-suite.md documents the protocol and the output.
 *
 * <p>{@link dev.vae.bench.quality.ScoreVariants} scores one model per run in several ways, as suite runs, to compare
 * scores on the same models without retraining.
 */
@NullMarked
package dev.vae.bench.quality;

import org.jspecify.annotations.NullMarked;
