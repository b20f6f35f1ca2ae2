package dev.vae.train;

/**
 * Observes a training run. All methods have empty defaults; implement what you need. A run's listeners come with the
 * call that starts it ({@link RunOptions#withListener}, {@link VaeTrainer#fit(dev.vae.core.data.Table, RunOptions)}),
 * so a listener hears that run only. Called on the thread that called {@code fit} or {@code resume} (never on a
 * worker thread), in order, so keep them quick; a listener that throws ends the run with its exception.
 */
public interface TrainingListener {

    /** Called once before the first epoch with the number of training and validation rows. */
    default void onStart(TrainingConfig config, int trainRows, int validationRows) {
    }

    /** Called after every epoch. */
    default void onEpochEnd(EpochStats stats) {
    }

    /** Called after each minibatch step with the epoch, the batch index in it, and the number of rows it had. */
    default void onBatchEnd(int epoch, int batch, int rows) {
    }

    /**
     * Called after each minibatch step, also with the batch's mean training loss (reconstruction + beta * KL, in
     * nats per row) over the rows its gradient step minimised: with trimmed-loss training the batch's kept rows, NaN
     * when trimming left all of them out (see {@link EpochStats}). The trainer calls this one; by default it forwards
     * to {@link #onBatchEnd(int, int, int)}.
     */
    default void onBatchEnd(int epoch, int batch, int rows, double meanLoss) {
        onBatchEnd(epoch, batch, rows);
    }

    /**
     * Called when early stopping ends the run: {@code epoch} is the last epoch run, {@code bestEpoch} the epoch whose
     * weights are restored, {@code patience} the number of epochs without improvement that triggered it. Followed
     * by {@link #onStop}.
     */
    default void onEarlyStop(int epoch, int bestEpoch, int patience) {
    }

    /** Called when training stops (also after divergence), with the reason and the epoch whose weights were kept. */
    default void onStop(String reason, int bestEpoch) {
    }
}
