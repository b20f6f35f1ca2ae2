package dev.vae.core.scale;

import dev.vae.core.naming.Identified;

/** How raw features are mapped into model space. */
public enum ScalingKind implements Identified {
    /** Features are used as given. */
    NONE,
    /** Per-column standardisation: (x - mean) / standard deviation. Suits Gaussian likelihoods. */
    STANDARDIZE,
    /** One global min-max map of all columns to [0, 1]. Suits the Bernoulli likelihood (pixels: x / 255). */
    MIN_MAX;

    /** Parses {@code none}, {@code standardize} or {@code min-max}. */
    public static ScalingKind parse(String text) {
        return Identified.parse(ScalingKind.class, text, "scaling");
    }
}
