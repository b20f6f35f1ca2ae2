package dev.vae.core.series;

import dev.vae.core.naming.Identified;

/**
 * Which window's score a point receives. A windowed model scores windows; a point at grid index t is covered by the
 * windows ending at t .. t + N - 1. Both rules give the first points of a series (which no earlier window covers)
 * the score of the first window, and the last points the score of the last window.
 */
public enum PointRule implements Identified {
    /**
     * The window that ends at the point: causal, so a stream scores a point as soon as it arrives. Points
     * 0 .. N - 2 take the first window's score.
     */
    END,
    /**
     * The window whose middle is the point (ending at t + (N - 1) / 2): a shape is blamed on the points it is made
     * of rather than on the point after it, at the price of a delay of (N - 1) / 2 points in a stream.
     */
    CENTER;

    /** How many points after t a stream must have seen before t can be scored. */
    public int delay(int window) {
        return this == END ? 0 : (window - 1) / 2;
    }

    /** The grid index of the last point of the window whose score point {@code t} of {@code points} receives. */
    public int windowEnd(int t, int points, int window) {
        int end = t + delay(window);
        return Math.min(points - 1, Math.max(window - 1, end));
    }

    /** Parses {@code end} or {@code center}. */
    public static PointRule parse(String text) {
        return Identified.parse(PointRule.class, text, "point rule");
    }
}
