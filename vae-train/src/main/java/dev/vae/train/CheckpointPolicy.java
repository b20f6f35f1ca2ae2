package dev.vae.train;

import java.nio.file.Path;

/**
 * Where and how often a training run saves its state: a {@link Checkpoint} is written to {@code file} (atomically,
 * replacing the previous one) after every {@code everyEpochs} completed epochs, that is after epochs
 * {@code everyEpochs}, {@code 2 * everyEpochs}, ... counted from the run's first epoch (a resumed run counts on from
 * its checkpoint's). An epoch that ends the run by early stopping writes none. Give it to a run through
 * {@link RunOptions#withCheckpoints}.
 *
 * @param file        the checkpoint file; its directory must exist when the first checkpoint is written
 * @param everyEpochs the epochs between two checkpoints, at least 1
 */
public record CheckpointPolicy(Path file, int everyEpochs) {

    /** Refuses a missing file and an interval below one epoch, naming the bad value. */
    public CheckpointPolicy {
        if (file == null) {
            throw new IllegalArgumentException("A checkpoint policy needs the file to write the checkpoints to, got"
                    + " none (null)");
        }
        if (everyEpochs < 1) {
            throw new IllegalArgumentException("Invalid checkpoint interval for " + file + ": " + everyEpochs
                    + " epochs (expected >= 1)");
        }
    }

    /** Whether a checkpoint is due after {@code epoch} (1-based) completed. */
    boolean isDueAfter(int epoch) {
        return epoch % everyEpochs == 0;
    }
}
