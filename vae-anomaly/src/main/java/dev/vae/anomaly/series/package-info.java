/**
 * Scoring time series with a windowed model ({@link dev.vae.core.series.SeriesLayout}): every point of a series
 * in one pass ({@link dev.vae.anomaly.series.SeriesScoring}), or point by point as a stream arrives
 * ({@link dev.vae.anomaly.series.StreamingDetector}).
 */
@NullMarked
package dev.vae.anomaly.series;

import org.jspecify.annotations.NullMarked;
