package dev.vae.core.nn;

/**
 * Sums of the loss terms over a batch, in nats.
 *
 * @param reconstruction sum over rows of -log p(x|z)
 * @param kl             sum over rows of KL(q(z|x) || N(0, I)) (0 for an autoencoder)
 * @param rows           number of rows summed
 */
public record BatchLoss(double reconstruction, double kl, int rows) {

    /** Mean reconstruction term per row. */
    public double meanReconstruction() {
        return reconstruction / rows;
    }

    /** Mean KL term per row. */
    public double meanKl() {
        return kl / rows;
    }

    /** Mean of reconstruction + beta * KL per row: the training loss. */
    public double meanLoss(double beta) {
        return (reconstruction + beta * kl) / rows;
    }

    /** Whether both sums are finite. */
    public boolean isFinite() {
        return Double.isFinite(reconstruction) && Double.isFinite(kl);
    }

    /** Sum of two batches' losses. */
    public BatchLoss plus(BatchLoss o) {
        return new BatchLoss(reconstruction + o.reconstruction, kl + o.kl, rows + o.rows);
    }
}
