package dev.vae.train;

import dev.vae.core.Architecture;
import dev.vae.core.ModelType;
import dev.vae.core.likelihood.Likelihood;
import dev.vae.core.nn.Activation;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Everything a training run needs besides data. Unset architecture fields ({@code null} or empty) adapt to the
 * data's width through {@link Architecture#defaults(int)}.
 *
 * @param hidden             encoder hidden widths (decoder mirrors them); empty = adapt to the data
 * @param latent             latent dimension K; 0 = adapt to the data
 * @param likelihood         the likelihood; null = the default
 * @param modelType          VAE or plain AE
 * @param activation         hidden activation
 * @param epochs             maximum number of passes over the training rows
 * @param batchSize          rows per minibatch
 * @param learningRate       Adam's learning rate
 * @param beta               weight of the KL term (beta-VAE); 1 is the true ELBO
 * @param seed               the seed every random choice of the run derives from
 * @param validationFraction share of rows held out for validation and early stopping (0 = none)
 * @param patience           epochs without validation improvement before stopping (0 = never stop early)
 */
public record TrainingConfig(List<Integer> hidden, int latent, @Nullable Likelihood likelihood, ModelType modelType,
                             Activation activation, int epochs, int batchSize, double learningRate, double beta,
                             long seed, double validationFraction, int patience) {

    /** Validates every field and names the bad value. */
    public TrainingConfig {
        hidden = List.copyOf(hidden);
        for (int h : hidden) {
            if (h < 1 || h > Architecture.MAX_WIDTH) {
                throw new IllegalArgumentException("Invalid hidden layer width: " + h);
            }
        }
        if (latent < 0 || latent > Architecture.MAX_WIDTH) {
            throw new IllegalArgumentException("Invalid latent dimension: " + latent);
        }
        if (epochs < 1 || epochs > 1_000_000) {
            throw new IllegalArgumentException("Invalid number of epochs: " + epochs + " (expected 1..1000000)");
        }
        if (batchSize < 1 || batchSize > 1 << 20) {
            throw new IllegalArgumentException("Invalid batch size: " + batchSize + " (expected 1..1048576)");
        }
        if (!(learningRate > 0 && learningRate <= 10)) {
            throw new IllegalArgumentException("Invalid learning rate: " + learningRate + " (expected 0 < lr <= 10)");
        }
        if (!(beta >= 0 && beta <= 1e6)) {
            throw new IllegalArgumentException("Invalid beta: " + beta + " (expected 0 <= beta <= 1e6)");
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("Invalid validation fraction: " + validationFraction + " (expected 0 <= f < 1)");
        }
        if (patience < 0) {
            throw new IllegalArgumentException("Invalid patience: " + patience);
        }
        if (modelType == null || activation == null) {
            throw new IllegalArgumentException("Model type and activation are required");
        }
    }

    /** Defaults that work on any tabular data: 100 epochs at most, batch 128, Adam 1e-3, 10% validation, patience 10. */
    public static TrainingConfig defaults() {
        return new TrainingConfig(List.of(), 0, null, ModelType.VAE, Activation.RELU, 100, 128, 1e-3, 1.0, 42L, 0.1, 10);
    }

    /** The architecture for data of {@code inputDim} features. */
    public Architecture architecture(int inputDim) {
        Architecture a = Architecture.defaults(inputDim).withModelType(modelType).withActivation(activation);
        if (likelihood != null) {
            a = a.withLikelihood(likelihood);
        }
        if (!hidden.isEmpty()) {
            a = a.withHidden(hidden);
        }
        if (latent > 0) {
            a = a.withLatentDim(latent);
        }
        return a;
    }

    /** This config with another number of epochs. */
    public TrainingConfig withEpochs(int e) {
        return new TrainingConfig(hidden, latent, likelihood, modelType, activation, e, batchSize, learningRate, beta, seed,
                validationFraction, patience);
    }

    /** This config with another seed. */
    public TrainingConfig withSeed(long s) {
        return new TrainingConfig(hidden, latent, likelihood, modelType, activation, epochs, batchSize, learningRate, beta, s,
                validationFraction, patience);
    }

    /** This config with other architecture settings. */
    public TrainingConfig withArchitecture(List<Integer> h, int k, @Nullable Likelihood l, ModelType t) {
        return new TrainingConfig(h, k, l, t, activation, epochs, batchSize, learningRate, beta, seed,
                validationFraction, patience);
    }

    /** This config with other optimisation settings. */
    public TrainingConfig withOptimisation(int batch, double lr, double b) {
        return new TrainingConfig(hidden, latent, likelihood, modelType, activation, epochs, batch, lr, b, seed,
                validationFraction, patience);
    }

    /** This config with other validation and early-stopping settings. */
    public TrainingConfig withValidation(double fraction, int newPatience) {
        return new TrainingConfig(hidden, latent, likelihood, modelType, activation, epochs, batchSize, learningRate, beta,
                seed, fraction, newPatience);
    }
}
