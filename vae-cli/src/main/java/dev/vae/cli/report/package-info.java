/**
 * Pictures people would rather look at than read: the training curve, the score histogram of normal and
 * anomalous rows with the threshold, ROC and precision-recall curves (XChart, PNG), image grids of generated
 * samples and reconstructions, and the {@code index.html} that shows them together.
 */
@NullMarked
package dev.vae.cli.report;

import org.jspecify.annotations.NullMarked;
