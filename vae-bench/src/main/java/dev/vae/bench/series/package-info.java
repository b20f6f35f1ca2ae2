/**
 * The time-series benchmark: windowed models on the labelled NAB series of the shared data, fitted on each whole
 * series without labels and scored on every point, beside the baselines of {@code NAB-BASELINES.md}.
 */
@NullMarked
package dev.vae.bench.series;

import org.jspecify.annotations.NullMarked;
