package dev.vae.train;

/**
 * What one epoch did. Losses are means per row, in nats.
 *
 * @param epoch          1-based epoch number
 * @param loss           mean training loss (reconstruction + beta * KL) over the epoch's minibatches
 * @param reconstruction mean training reconstruction term -log p(x|z)
 * @param kl             mean training KL term
 * @param validationLoss mean validation negative ELBO at z = mu (NaN without a validation split)
 * @param seconds        wall time of the epoch's training steps
 * @param rowsPerSecond  training rows processed per second
 */
public record EpochStats(int epoch, double loss, double reconstruction, double kl, double validationLoss, double seconds,
                         double rowsPerSecond) {
}
