package dev.vae.core.nn;

import dev.vae.core.naming.Identified;

/** Whether a model is variational (encoder emits a distribution) or a plain autoencoder (encoder emits a point). */
public enum ModelType implements Identified {
    /** Variational autoencoder: q(z|x) = N(mu, diag(exp(logvar))), trained on the negative ELBO. */
    VAE,
    /** Plain autoencoder: z = encoder(x), trained on reconstruction negative log-likelihood alone. */
    AE;

    /** Parses {@code vae} or {@code ae} (case-insensitive). */
    public static ModelType parse(String text) {
        return Identified.parse(ModelType.class, text, "model type");
    }
}
