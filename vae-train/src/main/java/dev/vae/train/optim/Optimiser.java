package dev.vae.train.optim;

/**
 * One gradient method over a network's flat float parameters: given the gradient of the loss to <em>minimise</em>,
 * it moves the parameters one step against it. {@link dev.vae.train.VaeTrainer} calls {@link #step} once per
 * minibatch with the (clipped) gradient of the batch's mean negative ELBO.
 *
 * <p>An optimiser keeps state (moments, step counts) for the one run that created it through its
 * {@link OptimiserFactory}; it is not thread-safe, and no run shares one. {@link Adam} is the library's default;
 * {@code dev.vae.anomaly.tribuo.TribuoOptimiserFactory} adapts Tribuo's {@code StochasticGradientOptimiser}s.
 */
public interface Optimiser {

    /**
     * Takes one step on the loss whose gradient is {@code grad[i] * gradScale}.
     *
     * @param params    the parameters, updated in place
     * @param grad      d(loss)/d(params) of the loss to minimise, one element per parameter; not modified
     * @param gradScale a factor on every gradient element, multiplied in float as {@code grad[i] * gradScale}
     *                  (the gradient-clipping factor; 1 for none)
     * @param parts     how many ranges the step may be split into on the library's row pool
     *                  ({@link dev.vae.core.kernel.RowParallel}; the trainer's thread count): a hint an optimiser may
     *                  ignore, and a split must never change a bit
     */
    void step(float[] params, float[] grad, float gradScale, int parts);

    /**
     * What this optimiser is, with its settings, as the trained model's provenance records it
     * ({@code trainer.optimizer}), e.g. {@code adam(lr=0.001, beta1=0.9, beta2=0.999, eps=1.0E-8)}.
     */
    String describe();
}
