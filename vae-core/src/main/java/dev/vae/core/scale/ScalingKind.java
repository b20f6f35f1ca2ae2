package dev.vae.core.scale;

import java.util.Locale;

/** How raw features are mapped into model space. */
public enum ScalingKind {
    /** Features are used as given. */
    NONE,
    /** Per-column standardisation: (x - mean) / standard deviation. Suits Gaussian likelihoods. */
    STANDARDIZE,
    /** One global min-max map of all columns to [0, 1]. Suits the Bernoulli likelihood (pixels: x / 255). */
    MIN_MAX;

    /** The lowercase name used in files. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses {@code none}, {@code standardize} or {@code min-max}. */
    public static ScalingKind parse(String text) {
        for (ScalingKind k : values()) {
            if (k.id().equalsIgnoreCase(text.trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException("Unknown scaling '" + text + "': expected none, standardize or min-max");
    }
}
