package dev.vae.spark;

import dev.vae.core.naming.Identified;

/**
 * What the Spark scorer does with a row whose feature cell is null, NaN or infinite (after the cast to float32).
 * A model never scores such a row silently: the row either stops the job or gets null outputs.
 */
public enum NullPolicy implements Identified {
    /** Fail the task (and so the job) with a message naming the column and the value. The default. */
    ERROR("error"),
    /** Give the row a null score, a null {@code is_anomaly} and null latent means; other rows score normally. */
    NULL_SCORE("null");

    private final String id;

    NullPolicy(String id) {
        this.id = id;
    }

    /** The name used in Spark params and on the command line: {@code error} or {@code null}. */
    @Override
    public String id() {
        return id;
    }

    /** Parses {@code error} or {@code null}, naming the text when it is neither. */
    public static NullPolicy parse(String text) {
        return Identified.parse(NullPolicy.class, text, "null policy");
    }
}
