package dev.vae.anomaly.tribuo;

import dev.vae.train.optim.Optimiser;
import org.tribuo.math.StochasticGradientOptimiser;
import org.tribuo.math.la.DenseVector;
import org.tribuo.math.la.Tensor;

/**
 * One run's Tribuo optimiser as the trainer's {@link Optimiser}, stepping through a {@link FlatParameters} view.
 *
 * <p>Sign: the trainer's gradient is d(loss)/d(params) of the loss to minimise; Tribuo's optimisers take the gradient
 * of an objective to maximise and return what to add ({@code SGD}: {@code lr * g}; {@code AdaGrad}:
 * {@code lr * g / (eps + sqrt(sum g^2))}). This class is the one place the sign flips: it hands Tribuo
 * {@code -grad}, and adds what comes back.
 *
 * <p>Precision: {@code grad[i] * gradScale} is taken in float (as {@link dev.vae.train.optim.Adam} takes it), then
 * widened to double exactly and negated exactly; the optimiser computes its update and keeps its state in double;
 * each parameter becomes {@code (float) ((double) p + update)}, one rounding per step.
 *
 * <p>Cost: each step passes over the parameters twice besides Tribuo's own passes (its lambdas over double tensors),
 * on one thread: a Tribuo step is not split into ranges. The gradient tensor is one buffer, rewritten at every step:
 * Tribuo's optimisers turn it into the update in place and keep no reference to it.
 */
final class TribuoOptimiser implements Optimiser {

    private final StochasticGradientOptimiser optimiser;
    private final FlatParameters parameters;
    private final String description;
    /** The negated gradient handed to Tribuo, rewritten at every step (Tribuo's optimisers rewrite it in place). */
    private final DenseVector ascent;

    /**
     * Takes {@code optimiser}, a fresh copy no one else holds, and initialises it on a view of {@code size}
     * parameters.
     *
     * @throws IllegalArgumentException when it replaces the parameter tensors with its own (see {@link FlatParameters})
     */
    TribuoOptimiser(StochasticGradientOptimiser optimiser, int size, String description) {
        this.optimiser = optimiser;
        this.parameters = new FlatParameters(size);
        this.description = description;
        this.ascent = new DenseVector(size);
        optimiser.initialise(parameters);
    }

    /**
     * One step: Tribuo's {@code step} on the negated, scaled gradient with example weight 1 (the gradient is already
     * the minibatch's mean), then {@link FlatParameters#update} adds the result. {@code parts} is ignored.
     */
    @Override
    public void step(float[] params, float[] grad, float gradScale, int parts) {
        parameters.bind(params);
        int n = parameters.size();
        if (grad.length != n) {
            throw new IllegalArgumentException("The gradient has " + grad.length + " elements, the parameters " + n);
        }
        for (int i = 0; i < n; i++) {
            ascent.set(i, -(double) (grad[i] * gradScale));
        }
        Tensor[] update = optimiser.step(new Tensor[] {ascent}, 1.0);
        parameters.update(update);
    }

    @Override
    public String describe() {
        return description;
    }
}
