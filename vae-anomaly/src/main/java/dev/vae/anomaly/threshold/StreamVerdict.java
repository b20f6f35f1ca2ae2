package dev.vae.anomaly.threshold;

/**
 * What a {@link StreamingThreshold} says about one score of a stream.
 *
 * @param score     the score as fed (nats, higher = more anomalous; for DSPOT the original value, not the residual)
 * @param threshold the threshold in force when the score arrived, on the score's own scale (for DSPOT the
 *                  window mean plus the residual threshold, M_t + z_q)
 * @param anomaly   whether {@code score > threshold}; an anomaly is not learnt from
 */
public record StreamVerdict(double score, double threshold, boolean anomaly) {
}
