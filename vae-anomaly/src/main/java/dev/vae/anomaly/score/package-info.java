/**
 * Scoring rows with a {@link dev.vae.core.VaeModel}. Every score is per row, in nats, and higher means more
 * anomalous: the negative ELBO (default), An and Cho's reconstruction term, or the importance-weighted bound of
 * Burda et al. {@link dev.vae.anomaly.score.Scorer} scores batches or single rows and is safe to share between
 * threads; {@link dev.vae.anomaly.score.ScoreBreakdown} splits scores into reconstruction (per feature) and KL
 * terms; {@link dev.vae.anomaly.score.CsvScoring} streams a CSV file of any size through a scorer in constant
 * memory, the one chunked loop every front end uses; {@link dev.vae.anomaly.score.ScoringMeters} defines the scoring
 * meters (SPEC section 8) once, for the detector and the streams alike. Sampled scores draw their noise from the
 * model's seed and the row's own values, so a row's score is the same bit for bit whatever batch, thread or order
 * it is scored in.
 */
@NullMarked
package dev.vae.anomaly.score;

import org.jspecify.annotations.NullMarked;
