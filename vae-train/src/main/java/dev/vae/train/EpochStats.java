package dev.vae.train;

/**
 * What one epoch did. Losses are means per row, in nats, of {@code -log p(x|z) + beta * KL} at each row's minibatch
 * step.
 *
 * <p>With trimmed-loss training ({@link TrainingConfig#trimFraction()}) the training rows fall into two groups in
 * every epoch after the warm-up: the <em>kept</em> rows, whose mean loss is what the epoch's gradient steps minimise,
 * and the rows <em>left out</em> of the gradient (those of highest loss in the previous epoch). {@link #loss()},
 * {@link #reconstruction()} and {@link #kl()} describe the kept rows, so {@code loss} is the optimised objective and
 * falls as training works; the left-out rows' losses usually grow as the model stops explaining them, so their mean
 * ({@link #leftOutLoss()}) and the mean over all rows ({@link #allRowsLoss()}) are reported apart. Without trimming,
 * or before it starts, every row is kept: {@code allRowsLoss == loss}, {@code leftOutRows == 0} and
 * {@code leftOutLoss} is NaN.
 *
 * @param epoch          1-based epoch number
 * @param loss           mean training loss (reconstruction + beta * KL) of the kept rows: what the epoch minimised
 * @param reconstruction mean reconstruction term -log p(x|z) of the kept rows
 * @param kl             mean KL term of the kept rows
 * @param validationLoss mean validation negative ELBO at z = mu (with trimming, without the highest share of
 *                       validation rows); NaN without a validation split
 * @param seconds        wall time of the epoch's training steps
 * @param rowsPerSecond  training rows processed per second (kept and left-out rows alike: both are computed)
 * @param allRowsLoss    mean training loss over every training row, kept or left out
 * @param leftOutLoss    mean training loss of the rows left out of the gradient; NaN when none is
 * @param leftOutRows    how many training rows were left out of the gradient in this epoch
 */
public record EpochStats(int epoch, double loss, double reconstruction, double kl, double validationLoss, double seconds,
                         double rowsPerSecond, double allRowsLoss, double leftOutLoss, int leftOutRows) {

    /** Validates the row count. */
    public EpochStats {
        if (leftOutRows < 0) {
            throw new IllegalArgumentException("Invalid number of left-out rows: " + leftOutRows);
        }
    }

    /** An epoch that left no row out of the gradient: the all-rows loss is {@code loss}. */
    public EpochStats(int epoch, double loss, double reconstruction, double kl, double validationLoss, double seconds,
                      double rowsPerSecond) {
        this(epoch, loss, reconstruction, kl, validationLoss, seconds, rowsPerSecond, loss, Double.NaN, 0);
    }
}
