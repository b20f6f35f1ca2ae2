package dev.vae.core;

import java.util.Objects;

/**
 * Which score a model reports by default and with how many latent samples.
 *
 * @param kind    the score definition
 * @param samples number of latent samples L (or K for IWAE); 0 means the deterministic z = mu
 */
public record ScoreSettings(ScoreKind kind, int samples) {
    /** Validates the fields. */
    public ScoreSettings {
        Objects.requireNonNull(kind, "kind");
        if (samples < 0 || samples > 10_000) {
            throw new IllegalArgumentException("Invalid number of score samples: " + samples + " (expected 0..10000)");
        }
        if (kind == ScoreKind.IWAE && samples < 1) {
            throw new IllegalArgumentException("The iwae score needs at least 1 sample, got " + samples);
        }
    }

    /**
     * The score in words, e.g. {@code negative-elbo at z = mu} or {@code reconstruction with 8 samples}: what error
     * messages and reports name.
     */
    public String describe() {
        if (samples == 0) {
            return kind.id() + " at z = mu";
        }
        return kind.id() + " with " + samples + (samples == 1 ? " sample" : " samples");
    }

    /** The deterministic negative ELBO at z = mu: the default. */
    public static ScoreSettings defaults() {
        return new ScoreSettings(ScoreKind.NEGATIVE_ELBO, 0);
    }
}
