package dev.vae.train.optim;

/**
 * Makes the {@link Optimiser} of one training run. A configuration holds a factory rather than an optimiser because
 * an optimiser keeps state and a {@link dev.vae.train.VaeTrainer} is re-entrant: each {@code fit} or {@code resume}
 * call creates its own, so runs never share moments or step counts.
 */
@FunctionalInterface
public interface OptimiserFactory {

    /**
     * A new optimiser in its initial state (no steps taken) over {@code parameterCount} parameters.
     *
     * @throws IllegalArgumentException when the optimiser cannot run on a network's flat parameters
     */
    Optimiser create(int parameterCount);
}
