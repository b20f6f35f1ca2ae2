package dev.vae.bench.quality;

/** Ranks of detectors by a score where higher is better: 1 is the best, tied values share their average rank. */
public final class Ranks {

    private Ranks() {
    }

    /**
     * The rank of each value among all of them, highest first; ties get the mean of the ranks they span (the
     * convention of {@code scipy.stats.rankdata(-x, method="average")}).
     *
     * @throws IllegalArgumentException when a value is NaN (a missing detector must be left out, not ranked)
     */
    public static double[] descending(double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (Double.isNaN(values[i])) {
                throw new IllegalArgumentException("Cannot rank NaN (value " + i + ")");
            }
        }
        double[] ranks = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            int above = 0;
            int equal = 0;
            for (double v : values) {
                if (v > values[i]) {
                    above++;
                } else if (v == values[i]) {
                    equal++;
                }
            }
            // Ranks above+1 .. above+equal are shared by the tied values.
            ranks[i] = above + (equal + 1) / 2.0;
        }
        return ranks;
    }
}
