package dev.vae.core;

import dev.vae.core.naming.Identified;

/**
 * The anomaly scores the project defines (SPEC section 3). All are per example, in nats, higher = more anomalous.
 */
public enum ScoreKind implements Identified {
    /** (1/L) sum_l -log p(x|z_l) + KL(q(z|x) || p(z)); L = 0 means z = mu. The default. */
    NEGATIVE_ELBO,
    /** (1/L) sum_l -log p(x|z_l): An and Cho's reconstruction probability as a negative log. */
    RECONSTRUCTION,
    /** -log (1/K sum_k p(x|z_k) p(z_k) / q(z_k|x)): the importance-weighted bound of Burda et al. */
    IWAE;

    /** Parses a score name such as {@code negative-elbo}. */
    public static ScoreKind parse(String text) {
        return Identified.parse(ScoreKind.class, text, "score");
    }
}
