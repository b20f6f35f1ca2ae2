/**
 * Time series as one more input shape: a time-ordered table of value columns is cut into sliding windows that a
 * VAE models like any row, and every point gets a score from the windows that cover it. Holds the window layout a
 * windowed model carries, the reading of a series (regular timestamps, gaps filled by a stated rule and marked),
 * and the estimate of a series' period used for {@code --window auto} and for the VUS window.
 */
@NullMarked
package dev.vae.core.series;

import org.jspecify.annotations.NullMarked;
