/**
 * Evaluation of anomaly scores against labels: threshold-free ranking metrics (AUROC, average precision) and
 * the confusion counts, precision, recall and F1 at a threshold; for series, VUS-PR and VUS-ROC, and point-adjusted
 * F1 (inflating, on request only).
 */
@NullMarked
package dev.vae.anomaly.eval;

import org.jspecify.annotations.NullMarked;
