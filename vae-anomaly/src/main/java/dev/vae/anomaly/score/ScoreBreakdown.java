package dev.vae.anomaly.score;

/**
 * Scores of a batch of rows broken into their parts, all in nats. For row i: {@code scores[i]} is the score
 * (higher = more anomalous), {@code reconstruction[i]} the reconstruction term (1/L) sum_l -log p(x|z_l),
 * {@code kl[i]} the KL term (0 for a plain autoencoder), and {@code featureContributions[i * features + j]} the part
 * of the reconstruction term that feature j contributes: the parts of a row sum to its reconstruction term. For
 * the negative ELBO, {@code scores[i] = reconstruction[i] + kl[i]}.
 *
 * @param rows                 number of rows
 * @param features             number of features per row
 * @param scores               one score per row
 * @param reconstruction       one reconstruction term per row
 * @param kl                   one KL term per row
 * @param featureContributions {@code rows x features}, row-major
 */
public record ScoreBreakdown(int rows, int features, double[] scores, double[] reconstruction, double[] kl,
                             double[] featureContributions) {

    /** Validates the array lengths. */
    public ScoreBreakdown {
        if (rows < 0 || features < 1) {
            throw new IllegalArgumentException("Invalid breakdown shape: " + rows + " rows x " + features + " features");
        }
        if (scores.length != rows || reconstruction.length != rows || kl.length != rows
                || featureContributions.length != (long) rows * features) {
            throw new IllegalArgumentException("Breakdown arrays do not match " + rows + " rows x " + features + " features");
        }
    }

    /** Feature j's contribution to row i's reconstruction term, in nats. */
    public double contribution(int row, int feature) {
        return featureContributions[row * features + feature];
    }
}
