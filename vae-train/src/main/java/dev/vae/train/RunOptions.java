package dev.vae.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one training run does besides training: who observes it and whether it saves checkpoints. None of it changes
 * a bit of the model. A {@link VaeTrainer} holds only its {@link TrainingConfig}; each
 * {@link VaeTrainer#fit(dev.vae.core.data.Table, RunOptions) fit} or
 * {@link VaeTrainer#resume(dev.vae.core.data.Table, Checkpoint, RunOptions) resume} call takes its own options, so
 * one trainer serves any number of runs, at the same time too, each telling only its own listeners.
 *
 * <pre>{@code
 * RunOptions options = RunOptions.none()
 *         .withListener(progress)
 *         .withCheckpoints(Path.of("run.ckpt"), 5);
 * TrainingResult result = trainer.fit(table, options);
 * }</pre>
 *
 * @param listeners        the listeners of the run, called in this order (an unmodifiable copy)
 * @param checkpointPolicy where and how often the run writes checkpoints, or null for none
 */
public record RunOptions(List<TrainingListener> listeners, @Nullable CheckpointPolicy checkpointPolicy) {

    private static final RunOptions NONE = new RunOptions(List.of(), null);

    /** Copies the listeners, refusing a missing list or listener (naming its position). */
    public RunOptions {
        if (listeners == null) {
            throw new IllegalArgumentException("Run options need a list of listeners (empty for none), got null");
        }
        for (int i = 0; i < listeners.size(); i++) {
            if (listeners.get(i) == null) {
                throw new IllegalArgumentException("Listener " + i + " of " + listeners.size() + " is null");
            }
        }
        listeners = List.copyOf(listeners);
    }

    /** No listeners and no checkpoints: what {@link VaeTrainer#fit(dev.vae.core.data.Table)} runs with. */
    public static RunOptions none() {
        return NONE;
    }

    /** These options with {@code listener} called after the present ones. */
    public RunOptions withListener(TrainingListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("The listener to add is null");
        }
        List<TrainingListener> more = new ArrayList<>(listeners.size() + 1);
        more.addAll(listeners);
        more.add(listener);
        return new RunOptions(more, checkpointPolicy);
    }

    /** These options with checkpoints written as {@code policy} says (replacing any policy they had). */
    public RunOptions withCheckpoints(CheckpointPolicy policy) {
        if (policy == null) {
            throw new IllegalArgumentException("The checkpoint policy to add is null");
        }
        return new RunOptions(listeners, policy);
    }

    /**
     * These options with a checkpoint written to {@code file} after every {@code everyEpochs} epochs (a shortcut for
     * {@code withCheckpoints(new CheckpointPolicy(file, everyEpochs))}).
     *
     * @throws IllegalArgumentException when the file is null or the interval is below one epoch
     */
    public RunOptions withCheckpoints(Path file, int everyEpochs) {
        return withCheckpoints(new CheckpointPolicy(file, everyEpochs));
    }
}
