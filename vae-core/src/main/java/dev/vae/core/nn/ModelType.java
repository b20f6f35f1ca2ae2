package dev.vae.core.nn;

import java.util.Locale;

/** Whether a model is variational (encoder emits a distribution) or a plain autoencoder (encoder emits a point). */
public enum ModelType {
    /** Variational autoencoder: q(z|x) = N(mu, diag(exp(logvar))), trained on the negative ELBO. */
    VAE,
    /** Plain autoencoder: z = encoder(x), trained on reconstruction negative log-likelihood alone. */
    AE;

    /** The lowercase name used on the command line and in files ({@code vae}, {@code ae}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code vae} or {@code ae} (case-insensitive). */
    public static ModelType parse(String text) {
        for (ModelType t : values()) {
            if (t.id().equalsIgnoreCase(text.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("Unknown model type '" + text + "': expected vae or ae");
    }
}
