package dev.vae.anomaly.threshold;

import dev.vae.core.ScoreSettings;
import dev.vae.core.Threshold;
import java.util.Arrays;
import java.util.Locale;

/**
 * Drift Streaming Peaks-Over-Threshold (DSPOT), written from Siffer, Fouque, Termier and Largouet, "Anomaly
 * Detection in Streams with Extreme Value Theory" (KDD 2017): SPOT run on the residuals
 * {@code X'_t = X_t - M_t}, where the local level M_t is the mean of the last d normal values. A stream whose level
 * drifts slowly thus keeps a stationary residual, on which the tail model stays valid.
 *
 * <p>Calibration ({@link #calibrate}) on values {@code X_1 .. X_(d+n)}: the first d fill the window; each of the next
 * n gives a residual against the mean of the d values before it and then enters the window (calibration flags
 * nothing, as in the paper); a {@link PeaksOverThreshold} is calibrated on those n residuals.
 *
 * <p>Streaming ({@link #update}): the threshold on the value's own scale is {@code M_t + z_q}. A value above it is an
 * anomaly and changes nothing, neither the tail nor the window (so an anomaly does not drag the level up); any other
 * value is learnt by the residual SPOT as {@code X_t - M_t} and then enters the window, replacing its oldest value.
 *
 * <p>M_t is recomputed from the window on every update, summing the values oldest first: O(d) per point, but with
 * no running sum whose rounding error would grow with the stream, and the same bits after a restart. The residual
 * SPOT takes {@link SpotSettings}, so the peak cap and lazy refits described on {@link PeaksOverThreshold} (and their
 * departures from the paper) apply here too.
 *
 * <p>Mutable and not thread-safe (one instance per stream).
 */
public final class DriftPeaksOverThreshold implements StreamingThreshold {

    /**
     * The default depth d, the window of the local mean: 10, the default depth of the authors' own library
     * (libspot, {@code DSpot(int d = 10)}).
     * A short window follows a change of slope quickly; its noise (the residual's variance grows by a factor
     * 1 + 1/d) and its lag under a steady drift (b (d + 1) / 2 for a slope b) are both learnt by the calibration.
     */
    public static final int DEFAULT_DEPTH = 10;

    private final PeaksOverThreshold residuals;
    /** The last d normal values, a ring whose oldest value sits at {@link #oldest}. */
    private final double[] window;
    private int oldest;
    private double mean;

    private DriftPeaksOverThreshold(PeaksOverThreshold residuals, double[] window) {
        this.residuals = residuals;
        this.window = window;
        this.oldest = 0;
        this.mean = meanOldestFirst(window, 0);
    }

    /**
     * Calibrates on {@code values} in time order: the first {@code depth} fill the window, the rest calibrate the
     * residual SPOT with {@code settings} ({@link SpotSettings#paper} or {@link SpotSettings#streaming}).
     *
     * @throws IllegalArgumentException when depth is below 1, a value is not finite, there are not more values than
     *                                  the depth, or the residual SPOT cannot be calibrated on them (too few peaks
     *                                  or a risk not below their share)
     */
    public static DriftPeaksOverThreshold calibrate(double[] values, int depth, SpotSettings settings) {
        if (depth < 1) {
            throw new IllegalArgumentException("Invalid DSPOT depth: " + depth + " (expected at least 1)");
        }
        if (values.length <= depth) {
            throw new IllegalArgumentException("DSPOT needs more values than its depth " + depth
                    + " (the first " + depth + " fill the window, the rest calibrate); got " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("Value " + i + " is not finite: " + values[i]);
            }
        }
        double[] residual = new double[values.length - depth];
        double[] ring = Arrays.copyOf(values, depth);
        int oldest = 0;
        for (int i = depth; i < values.length; i++) {
            residual[i - depth] = values[i] - meanOldestFirst(ring, oldest);
            ring[oldest] = values[i];
            oldest = (oldest + 1) % depth;
        }
        PeaksOverThreshold spot;
        try {
            spot = PeaksOverThreshold.calibrate(residual, settings);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("DSPOT calibration on the residuals of " + residual.length
                    + " values (after the first " + depth + " filled the window): " + e.getMessage(), e);
        }
        double[] window = new double[depth];
        for (int i = 0; i < depth; i++) {
            window[i] = ring[(oldest + i) % depth];
        }
        return new DriftPeaksOverThreshold(spot, window);
    }

    /**
     * Resumes a stream from a state that {@link #state} exported.
     *
     * @throws IllegalArgumentException when the state is not a DSPOT state
     */
    public static DriftPeaksOverThreshold restore(StreamState state) {
        if (state.kind() != StreamState.Kind.DSPOT) {
            throw new IllegalArgumentException("Not a DSPOT state: " + state.kind().id());
        }
        return new DriftPeaksOverThreshold(PeaksOverThreshold.fromState(state), state.window());
    }

    /**
     * Feeds the next value. A value above {@link #threshold()} ({@code M_t + z_q}) is an anomaly and changes
     * nothing; any other is learnt (its residual by SPOT, the value by the window).
     *
     * @return the value, the threshold {@code M_t + z_q} in force when it arrived, and whether it lies above it
     * @throws IllegalArgumentException when the value or its residual is not finite (the state is then unchanged)
     */
    @Override
    public StreamVerdict update(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("Score is not finite: " + value);
        }
        double inForce = threshold();
        if (value > inForce) {
            return new StreamVerdict(value, inForce, true);
        }
        double residual = value - mean;
        if (!Double.isFinite(residual)) {
            throw new IllegalArgumentException("The residual of " + value + " from the mean " + mean + " is not finite");
        }
        residuals.learn(residual);
        push(value);
        return new StreamVerdict(value, inForce, false);
    }

    private void push(double value) {
        window[oldest] = value;
        oldest = (oldest + 1) % window.length;
        mean = meanOldestFirst(window, oldest);
    }

    /**
     * The mean of a ring whose oldest value sits at {@code oldest}, summed oldest first: a restored window (which
     * starts at 0) then gives the same bits as the uninterrupted one.
     */
    private static double meanOldestFirst(double[] ring, int oldest) {
        double sum = 0;
        for (int i = 0; i < ring.length; i++) {
            sum += ring[(oldest + i) % ring.length];
        }
        return sum / ring.length;
    }

    /** The threshold for the next value: {@code M_t + z_q}, on the values' own scale. */
    @Override
    public double threshold() {
        return mean + residuals.threshold();
    }

    /** The local level M_t: the mean of the last d normal values. */
    public double level() {
        return mean;
    }

    /** The depth d of the window. */
    public int depth() {
        return window.length;
    }

    /** The residual threshold z_q: a value is an anomaly when its residual {@code X_t - M_t} lies above it. */
    public double residualThreshold() {
        return residuals.threshold();
    }

    /** The tail fitted to the residuals' excesses over their initial threshold at the last refit. */
    public GeneralizedPareto tail() {
        return residuals.tail();
    }

    /** The number of peaks N_t of the residuals seen since calibration began, those not kept included. */
    public long peakCount() {
        return residuals.peakCount();
    }

    /** The risk q. */
    public double risk() {
        return residuals.risk();
    }

    @Override
    public int retainedPeaks() {
        return residuals.retainedPeaks();
    }

    @Override
    public long observations() {
        return residuals.observations();
    }

    @Override
    public StreamState state() {
        double[] ordered = new double[window.length];
        for (int i = 0; i < window.length; i++) {
            ordered[i] = window[(oldest + i) % window.length];
        }
        return StreamState.dspot(residuals, window.length, ordered);
    }

    /** The current threshold as a core {@link Threshold}, method {@code dspot:Q:DEPTH}. */
    public Threshold toThreshold(ScoreSettings score, String fittedOn) {
        return new Threshold(threshold(), "dspot:" + risk() + ":" + depth(), fittedOn, score);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "DSPOT[d=%d, M=%.6g, threshold=%.6g, residuals=%s]", depth(), mean,
                threshold(), residuals);
    }
}
