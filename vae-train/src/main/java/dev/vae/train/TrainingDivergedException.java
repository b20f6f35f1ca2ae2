package dev.vae.train;

/**
 * Training produced a non-finite loss or gradient. The message names the epoch and batch; no model with
 * non-finite weights is ever returned or written.
 */
public final class TrainingDivergedException extends RuntimeException {

    private final int epoch;
    private final int batch;

    /** An exception for the given epoch and batch (both 1-based). */
    public TrainingDivergedException(int epoch, int batch, String what) {
        super("Training diverged at epoch " + epoch + ", batch " + batch + ": " + what
                + " (try a lower --learning-rate)");
        this.epoch = epoch;
        this.batch = batch;
    }

    /** The 1-based epoch. */
    public int epoch() {
        return epoch;
    }

    /** The 1-based batch within the epoch. */
    public int batch() {
        return batch;
    }
}
