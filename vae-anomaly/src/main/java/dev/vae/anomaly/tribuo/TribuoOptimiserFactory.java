package dev.vae.anomaly.tribuo;

import dev.vae.train.optim.Optimiser;
import dev.vae.train.optim.OptimiserFactory;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;
import org.tribuo.math.StochasticGradientOptimiser;
import org.tribuo.math.la.DenseVector;
import org.tribuo.math.la.Tensor;
import org.tribuo.math.optimisers.Adam;

/**
 * Trains a VAE with one of Tribuo's {@link StochasticGradientOptimiser}s, e.g. {@code new AdaGrad(0.1)},
 * {@code SGD.getSimpleSGD(0.01, 0.9, SGD.Momentum.NESTEROV)}, {@code new RMSProp(0.001, 0.9)} or
 * {@code new AdaDelta()}: give it to {@link dev.vae.train.TrainingConfig.Builder#optimiserFactory} (or to
 * {@link VaeAnomalyTrainer#withOptimiser}). The optimiser's own settings replace the configuration's learning rate.
 *
 * <p>Each run gets its own {@link StochasticGradientOptimiser#copy() copy} (Tribuo's copy: the settings, no state),
 * initialised on a {@code Parameters} view of the network's flat parameters (one {@code DenseVector}) and stepped
 * once per minibatch with the negated gradient, as {@code TribuoOptimiser} documents (sign, float and double).
 * {@code finalise()} is never called: an optimiser that overrides it rewrites the parameters once training ends
 * (Tribuo's {@code ParameterAveraging}, {@code Pegasos}, {@code AdaGradRDA}), while the VAE trainer keeps its best
 * epoch's weights, so such optimisers are refused here. Checkpoints need the library's Adam.
 *
 * <p>Tribuo's own {@link Adam} is defective in Tribuo 4.3.2, the version this library is built with: its step
 * multiplies by {@code sqrt(v) + eps} where Adam divides (fixed upstream after that release). It is accepted, since a
 * Tribuo user may compare with it, but {@link #knownDefect} finds the defect in the Tribuo on the class path, a
 * warning is logged, and the model's provenance says so; the default optimiser (a null factory) is a correct Adam.
 *
 * <p>Immutable: holds a copy of the given optimiser, which it never initialises or steps.
 */
public final class TribuoOptimiserFactory implements OptimiserFactory {

    private static final Logger LOG = Logger.getLogger(TribuoOptimiserFactory.class.getName());

    private final StochasticGradientOptimiser configured;
    private final String description;

    /**
     * A factory of copies of {@code optimiser}, which it checks by initialising a copy on one parameter.
     *
     * @throws IllegalArgumentException when the optimiser overrides {@code finalise()}, keeps the parameters in
     *                                  tensors of its own, or has settings its {@code copy()} loses (Tribuo 4.3.2's
     *                                  {@code AdaGrad} with an {@code initialValue})
     */
    public TribuoOptimiserFactory(StochasticGradientOptimiser optimiser) {
        Objects.requireNonNull(optimiser, "optimiser");
        if (overridesFinalise(optimiser)) {
            throw new IllegalArgumentException("Tribuo optimiser " + optimiser + " rewrites the parameters in"
                    + " finalise() once training ends, while the VAE trainer keeps its best epoch's weights: use one"
                    + " that only steps (SGD, AdaGrad, AdaDelta, RMSProp)");
        }
        StochasticGradientOptimiser copy = optimiser.copy();
        if (!copy.getProvenance().equals(optimiser.getProvenance())) {
            // Each run trains with a copy: one that loses a setting would train with another optimiser than recorded.
            throw new IllegalArgumentException("Tribuo's copy() of " + optimiser + " loses settings (the copy is "
                    + copy + "), and each training run steps a copy: configure it without them");
        }
        this.configured = copy;
        Optional<String> defect = knownDefect(configured);
        this.description = "tribuo " + configured + defect.map(d -> " (defective: " + d + ")").orElse("");
        create(1);
        defect.ifPresent(d -> LOG.warning("Tribuo's Adam in this Tribuo version " + d + "; the library's own Adam"
                + " (no optimiser factory) is correct"));
    }

    /** A copy of the configured optimiser (Tribuo's copy: its settings, no state). */
    public StochasticGradientOptimiser optimiser() {
        return configured.copy();
    }

    /**
     * A fresh copy of the optimiser, initialised on a view of {@code parameterCount} parameters.
     *
     * @throws IllegalArgumentException when the optimiser keeps the parameters in tensors of its own
     */
    @Override
    public Optimiser create(int parameterCount) {
        return new TribuoOptimiser(configured.copy(), parameterCount, description);
    }

    /**
     * The defect of Tribuo 4.3.2's {@link Adam}, when {@code optimiser} is a Tribuo Adam that has it in the Tribuo on
     * the class path; empty otherwise. Found by its behaviour, not its version: a correct Adam's first step,
     * {@code lr * g / (|g| + eps)} after bias correction, grows at most in proportion to the gradient, while the
     * defective one, {@code lr * g * (|g| + eps)} up to constants, grows faster; a gradient 100 times larger tells
     * them apart.
     */
    public static Optional<String> knownDefect(StochasticGradientOptimiser optimiser) {
        if (!(optimiser instanceof Adam)) {
            return Optional.empty();
        }
        double ratio = firstUpdate(optimiser, 100) / firstUpdate(optimiser, 1);
        return ratio > 101 ? Optional.of("multiplies its step by sqrt(v) + eps where Adam divides by it")
                : Optional.empty();
    }

    /** The update a fresh copy of {@code optimiser} returns for a one-element gradient {@code g}. */
    private static double firstUpdate(StochasticGradientOptimiser optimiser, double g) {
        StochasticGradientOptimiser probe = optimiser.copy();
        probe.initialise(new FlatParameters(1));
        DenseVector gradient = new DenseVector(1);
        gradient.set(0, g);
        Tensor[] update = probe.step(new Tensor[] {gradient}, 1.0);
        return ((DenseVector) update[0]).get(0);
    }

    private static boolean overridesFinalise(StochasticGradientOptimiser optimiser) {
        try {
            return optimiser.getClass().getMethod("finalise").getDeclaringClass() != StochasticGradientOptimiser.class;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("StochasticGradientOptimiser has no finalise()", e);
        }
    }

    /** {@code tribuo} and the optimiser's own description, with the defect {@link #knownDefect} finds, if any. */
    @Override
    public String toString() {
        return description;
    }
}
