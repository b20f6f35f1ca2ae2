package dev.vae.core;

import java.util.Locale;

/**
 * The anomaly scores the project defines (SPEC section 3). All are per example, in nats, higher = more anomalous.
 */
public enum ScoreKind {
    /** (1/L) sum_l -log p(x|z_l) + KL(q(z|x) || p(z)); L = 0 means z = mu. The default. */
    NEGATIVE_ELBO("negative-elbo"),
    /** (1/L) sum_l -log p(x|z_l): An and Cho's reconstruction probability as a negative log. */
    RECONSTRUCTION("reconstruction"),
    /** -log (1/K sum_k p(x|z_k) p(z_k) / q(z_k|x)): the importance-weighted bound of Burda et al. */
    IWAE("iwae");

    private final String id;

    ScoreKind(String id) {
        this.id = id;
    }

    /** The name used on the command line and in files. */
    public String id() {
        return id;
    }

    /** Parses a score name such as {@code negative-elbo}. */
    public static ScoreKind parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (ScoreKind k : values()) {
            if (k.id.equals(t)) {
                return k;
            }
        }
        throw new IllegalArgumentException("Unknown score '" + text + "': expected negative-elbo, reconstruction or iwae");
    }
}
