package dev.vae.anomaly.series;

/**
 * The scores of a series' observed points, in input order, and optionally each value column's part.
 *
 * @param scores        one score per observed point: the score (nats, higher = more anomalous) of the window the
 *                      layout's point rule assigns to it
 * @param columns       number of value columns
 * @param contributions null, or {@code points x columns}: column j's part of the reconstruction term of that window
 *                      (its terms at every position of the window), in nats: which sensor made the shape odd
 */
public record SeriesScores(double[] scores, int columns, double @org.jspecify.annotations.Nullable [] contributions) {

    /** Validates the shape. */
    public SeriesScores {
        if (contributions != null && contributions.length != (long) scores.length * columns) {
            throw new IllegalArgumentException("Expected " + scores.length + " x " + columns + " contributions, got "
                    + contributions.length);
        }
    }

    /** Column j's contribution at observed point i, in nats. */
    public double contribution(int point, int column) {
        if (contributions == null) {
            throw new IllegalStateException("These scores were computed without contributions");
        }
        return contributions[point * columns + column];
    }
}
