package dev.vae.core;

import java.util.Objects;

/**
 * A fitted anomaly threshold: rows whose score is strictly above {@code value} are anomalous.
 *
 * @param value    the threshold on the model's score, in nats
 * @param method   how it was fitted, e.g. {@code contamination:0.05}, {@code pot:0.001}, {@code fixed:120}
 * @param fittedOn what it was fitted on, in words, e.g. {@code validation split, 4910 rows}
 */
public record Threshold(double value, String method, String fittedOn) {
    /** Validates the fields. */
    public Threshold {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("Invalid threshold value: " + value);
        }
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(fittedOn, "fittedOn");
    }

    /** Whether a score lies above this threshold. */
    public boolean isAnomalous(double score) {
        return score > value;
    }
}
