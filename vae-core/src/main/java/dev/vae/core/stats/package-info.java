/**
 * Small statistics shared by training and anomaly detection: the two-class split of a set of losses or scores,
 * which adaptive trimming and the {@code split} threshold both use.
 */
@NullMarked
package dev.vae.core.stats;

import org.jspecify.annotations.NullMarked;
