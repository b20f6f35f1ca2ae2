package dev.vae.core;

import java.util.Objects;

/**
 * A fitted anomaly threshold: rows whose score is strictly above {@code value} are anomalous. A threshold means
 * something only for the score it was fitted on, so it carries that score's definition: a consumer that computes
 * another score calls {@link #requireScore} and refuses, rather than compare two different quantities.
 *
 * @param value    the threshold on the score, in nats
 * @param method   how it was fitted, e.g. {@code contamination:0.05}, {@code pot:0.001}, {@code fixed:120}
 * @param fittedOn what it was fitted on, in words, e.g. {@code validation split, 4910 rows}
 * @param score    the score it was fitted on (and so the only score it may be compared with)
 */
public record Threshold(double value, String method, String fittedOn, ScoreSettings score) {
    /** Validates the fields. */
    public Threshold {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("Invalid threshold value: " + value);
        }
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(fittedOn, "fittedOn");
        Objects.requireNonNull(score, "score");
    }

    /** Whether a score lies above this threshold. */
    public boolean isAnomalous(double score) {
        return score > value;
    }

    /** Whether this threshold was fitted on the score that {@code settings} compute. */
    public boolean appliesTo(ScoreSettings settings) {
        return score.equals(settings);
    }

    /**
     * Checks that this threshold was fitted on the score that {@code settings} compute.
     *
     * @throws IllegalArgumentException in one line naming both scores, when they differ
     */
    public void requireScore(ScoreSettings settings) {
        requireScore(settings, "fit a threshold on that score, or score without one");
    }

    /**
     * Checks that this threshold was fitted on the score that {@code settings} compute.
     *
     * @param remedy what the caller can do instead, ending the message (e.g. the flag of a command line)
     * @throws IllegalArgumentException in one line naming both scores and the remedy, when they differ
     */
    public void requireScore(ScoreSettings settings, String remedy) {
        if (!appliesTo(settings)) {
            throw new IllegalArgumentException("The threshold (" + method + ") was fitted on the score "
                    + score.describe() + ", not on " + settings.describe()
                    + ": it cannot flag rows by another score (" + remedy + ")");
        }
    }
}
