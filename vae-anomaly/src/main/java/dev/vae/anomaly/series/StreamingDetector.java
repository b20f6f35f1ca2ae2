package dev.vae.anomaly.series;

import dev.vae.anomaly.score.Scorer;
import dev.vae.anomaly.threshold.StreamVerdict;
import dev.vae.anomaly.threshold.StreamingThreshold;
import dev.vae.anomaly.threshold.ThresholdSpec;
import dev.vae.core.Threshold;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import dev.vae.core.series.PointRule;
import dev.vae.core.series.SeriesLayout;
import dev.vae.core.series.TimeSeries;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Scores a time series point by point as it arrives, with constant memory, and flags points with a threshold that
 * follows the stream ({@link StreamingThreshold}: SPOT or DSPOT).
 *
 * <p>A point enters with {@link #accept}; the points that became scorable leave it: with the {@code end} rule the
 * point itself once a whole window has arrived (the first window releases the first N points at once), with the
 * {@code center} rule the point (N - 1) / 2 points later; {@link #finish} releases the rest at the end of a stream.
 * Gaps in time and missing values are filled exactly as {@link TimeSeries} fills a file (a missing value takes its
 * column's last value; a gap of k grid steps gets k - 1 points on the line between its ends), so a stream and a file
 * of the same points get the same scores bit for bit. Memory holds one window of points and the points waiting for
 * theirs, whatever the length of the stream; a gap longer than a window fills only the points a window can still
 * see (as {@link SeriesScoring#read} reads a file).
 *
 * <p>Mutable and not thread-safe: one instance per stream.
 */
public final class StreamingDetector {

    /**
     * One scored point.
     *
     * @param row       the point's index in the stream (0-based, input points only)
     * @param time      its time, in the time column's units
     * @param score     its score (nats, higher = more anomalous)
     * @param threshold the threshold it was judged against (NaN while calibrating without a model threshold)
     * @param anomaly   whether the score exceeds the threshold
     */
    public record ScoredPoint(long row, double time, double score, double threshold, boolean anomaly) {
    }

    private record Pending(long row, long grid, double time) {
    }

    /** The most scores a calibration may need before it gives up (it doubles from the requested count). */
    static final int MAX_CALIBRATION = 1 << 22;

    private final Scorer scorer;
    private final SeriesLayout layout;
    private @Nullable StreamingThreshold threshold;
    private final @Nullable Function<double[], StreamingThreshold> calibrate;
    private double @Nullable [] calibration;
    private int calibrated;
    private final @Nullable Threshold meanwhile;
    private final int window;
    private final int columns;
    /** The last {@code window} grid points, oldest at {@code (grid - window) mod window}. */
    private final float[] ring;
    private final float[] windowRow;
    private final float[] last;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    /** Points read before every column had a value: their missing cells are filled with the column's first value. */
    private final List<float[]> leading = new ArrayList<>();
    private final List<Double> leadingTimes = new ArrayList<>();
    private long grid;
    private long unordered;
    private long rows;
    private double lastTime = Double.NaN;
    private double lastWindowScore = Double.NaN;
    private long lastWindowEnd = -1;

    /**
     * @param scorer    the scorer of a windowed model
     * @param threshold a calibrated streaming threshold on the same scores
     * @throws IllegalArgumentException when the model is not a windowed model
     */
    public StreamingDetector(Scorer scorer, StreamingThreshold threshold) {
        this(scorer, Objects.requireNonNull(threshold, "threshold"), null, 0, null);
    }

    /**
     * A detector whose streaming threshold is calibrated on the stream's own first {@code calibrationPoints} scores
     * (SPOT or DSPOT as {@code spec} says); until then points are judged by {@code meanwhile} (the model's fitted
     * threshold), or not flagged when it is null. When those scores have too few peaks to fit a tail (a quiet start),
     * calibration waits for twice as many, and so on.
     *
     * @param spec {@code spot:Q}/{@code pot:Q} or {@code dspot:Q[:DEPTH]}
     * @throws IllegalArgumentException for another threshold strategy, or fewer than 2 calibration points
     */
    public static StreamingDetector calibrating(Scorer scorer, ThresholdSpec spec, int calibrationPoints,
                                                @Nullable Threshold meanwhile) {
        Function<double[], StreamingThreshold> fit;
        if (spec instanceof ThresholdSpec.Pot pot) {
            fit = pot::stream;
        } else if (spec instanceof ThresholdSpec.Dspot dspot) {
            fit = dspot::stream;
        } else {
            throw new IllegalArgumentException("A stream's threshold follows the stream: spot:Q or dspot:Q, not '"
                    + spec.id() + "'");
        }
        if (calibrationPoints < 2) {
            throw new IllegalArgumentException("Invalid calibration: " + calibrationPoints + " points (at least 2)");
        }
        if (meanwhile != null) {
            meanwhile.requireScore(scorer.settings(), "score the stream by the score the threshold was fitted on");
        }
        return new StreamingDetector(scorer, null, fit, calibrationPoints, meanwhile);
    }

    private StreamingDetector(Scorer scorer, @Nullable StreamingThreshold threshold,
                              @Nullable Function<double[], StreamingThreshold> calibrate, int calibrationPoints,
                              @Nullable Threshold meanwhile) {
        this.scorer = scorer;
        this.layout = new SeriesScoring(scorer).layout();
        this.threshold = threshold;
        this.calibrate = calibrate;
        this.calibration = calibrate == null ? null : new double[calibrationPoints];
        this.meanwhile = meanwhile;
        this.window = layout.window();
        this.columns = layout.valueColumns().size();
        this.ring = new float[window * columns];
        this.windowRow = new float[window * columns];
        this.last = new float[columns];
        Arrays.fill(last, Float.NaN);
    }

    /** The model's window layout. */
    public SeriesLayout layout() {
        return layout;
    }

    /**
     * The streaming threshold (its state can be saved with {@link StreamingThreshold#save}), or null while the
     * detector is still calibrating it.
     */
    public @Nullable StreamingThreshold threshold() {
        return threshold;
    }

    /** The number of points accepted so far. */
    public long points() {
        return rows;
    }

    /**
     * Takes the next point of the stream.
     *
     * @param time   its time (one not after the previous point's is taken as the next grid step)
     * @param values one value per value column, NaN for a missing one
     * @return the points scored by its arrival, in stream order (often just this one, none while the first window
     *         fills)
     * @throws IllegalArgumentException when the time is not finite, the width is wrong, or a value is infinite;
     *                                  the stream's state is then unchanged
     */
    public List<ScoredPoint> accept(double time, float[] values) {
        if (values.length != columns) {
            throw new IllegalArgumentException("Point " + rows + ": expected " + columns + " values "
                    + layout.valueColumns() + ", got " + values.length);
        }
        if (!Double.isFinite(time)) {
            throw new IllegalArgumentException("Point " + rows + ": time " + time + " is not finite");
        }
        for (int j = 0; j < columns; j++) {
            if (Float.isInfinite(values[j])) {
                throw new IllegalArgumentException("Point " + rows + ": column '" + layout.valueColumns().get(j)
                        + "' is infinite");
            }
        }
        List<ScoredPoint> out = new ArrayList<>();
        float[] v = values.clone();
        if (!leading.isEmpty() || hasUnseenColumn(v)) {
            lead(time, v, out);
            return out;
        }
        for (int j = 0; j < columns; j++) {
            if (Float.isNaN(v[j])) {
                v[j] = last[j];
            }
        }
        place(time, v, out);
        return out;
    }

    /**
     * Ends the stream: scores the points still waiting for a later window (with the {@code center} rule) with the
     * last window, as a file's last points are scored.
     *
     * @return those points; empty when the stream never filled a window (its points cannot be scored)
     */
    public List<ScoredPoint> finish() {
        List<ScoredPoint> out = new ArrayList<>();
        if (grid >= window) {
            while (!pending.isEmpty()) {
                emit(pending.poll(), grid - 1, out);
            }
        }
        return out;
    }

    /** Points whose time was not after the previous point's (each taken as the next grid step, as in a file). */
    public long unorderedPoints() {
        return unordered;
    }

    /** The number of points accepted but not yet scored. */
    public int waiting() {
        return pending.size() + leading.size();
    }

    private boolean hasUnseenColumn(float[] v) {
        for (int j = 0; j < columns; j++) {
            if (Float.isNaN(v[j]) && Float.isNaN(last[j])) {
                return true;
            }
        }
        return false;
    }

    /** Holds points until every column has had a value, then back-fills them with each column's first value. */
    private void lead(double time, float[] v, List<ScoredPoint> out) {
        if (leading.size() >= window) {
            throw new IllegalArgumentException("Column(s) without any value in the first " + window + " points: "
                    + unseen() + "; a window cannot be scored without them");
        }
        leading.add(v);
        leadingTimes.add(time);
        lastTime = time;
        rows++;
        for (int j = 0; j < columns; j++) {
            if (Float.isNaN(last[j]) && !Float.isNaN(v[j])) {
                last[j] = v[j];
            }
        }
        if (hasUnseenColumnAtAll()) {
            return;
        }
        // Every column now has its first value in `last`: replay the held points in order.
        long firstRow = rows - leading.size();
        float[] first = last.clone();
        Arrays.fill(last, Float.NaN);
        lastTime = Double.NaN;
        List<float[]> held = new ArrayList<>(leading);
        List<Double> heldTimes = new ArrayList<>(leadingTimes);
        leading.clear();
        leadingTimes.clear();
        long counted = rows;
        rows = firstRow;
        for (int i = 0; i < held.size(); i++) {
            float[] p = held.get(i);
            for (int j = 0; j < columns; j++) {
                if (Float.isNaN(p[j])) {
                    p[j] = Float.isNaN(last[j]) ? first[j] : last[j];
                }
            }
            place(heldTimes.get(i), p, out);
        }
        rows = counted;
    }

    private boolean hasUnseenColumnAtAll() {
        for (float x : last) {
            if (Float.isNaN(x)) {
                return true;
            }
        }
        return false;
    }

    private List<String> unseen() {
        List<String> names = new ArrayList<>();
        for (int j = 0; j < columns; j++) {
            if (Float.isNaN(last[j])) {
                names.add(layout.valueColumns().get(j));
            }
        }
        return names;
    }

    /** Puts a complete point on the grid after the filled points of any gap before it, and scores what it can. */
    private void place(double time, float[] v, List<ScoredPoint> out) {
        if (!Double.isNaN(lastTime)) {
            long k = TimeSeries.stepsBetween(time - lastTime, layout.interval());
            unordered += time > lastTime ? 0 : 1;
            // Only the filled points a window next to a real point can see: the file's rule with the same bound.
            int keep = layout.keepPerGap();
            float[] fill = new float[columns];
            for (long g = 1; g < k; g = TimeSeries.nextFilled(g, k, keep)) {
                for (int j = 0; j < columns; j++) {
                    fill[j] = TimeSeries.between(last[j], v[j], g, k);
                }
                push(fill, out);
            }
        }
        pending.add(new Pending(rows, grid, time));
        push(v, out);
        System.arraycopy(v, 0, last, 0, columns);
        lastTime = time;
        rows++;
    }

    /** Appends one grid point and scores every waiting point whose window has now arrived. */
    private void push(float[] v, List<ScoredPoint> out) {
        System.arraycopy(v, 0, ring, (int) (grid % window) * columns, columns);
        grid++;
        if (grid < window) {
            return;
        }
        long end = grid - 1;
        int delay = layout.pointRule().delay(window);
        while (!pending.isEmpty() && Math.max(window - 1, pending.peek().grid() + delay) <= end) {
            emit(pending.poll(), end, out);
        }
    }

    private void emit(Pending p, long end, List<ScoredPoint> out) {
        if (end != lastWindowEnd) {
            for (int k = 0; k < window; k++) {
                long g = end - window + 1 + k;
                System.arraycopy(ring, (int) (g % window) * columns, windowRow, k * columns, columns);
            }
            lastWindowScore = scorer.score(windowRow);
            lastWindowEnd = end;
        }
        double score = lastWindowScore;
        if (threshold == null) {
            // Calibrating: learn the score, judge it by the model's threshold meanwhile.
            calibration[calibrated++] = score;
            double t = meanwhile == null ? Double.NaN : meanwhile.value();
            out.add(new ScoredPoint(p.row(), p.time(), score, t, meanwhile != null && meanwhile.isAnomalous(score)));
            if (calibrated == calibration.length) {
                try {
                    threshold = calibrate.apply(calibration);
                } catch (IllegalArgumentException tooFewPeaks) {
                    // Too few distinct scores above the initial quantile (a quiet start, the first window's repeated
                    // score): learn from twice as many before trying again, judged meanwhile as before.
                    if (calibration.length >= MAX_CALIBRATION / 2) {
                        throw tooFewPeaks;
                    }
                    calibration = java.util.Arrays.copyOf(calibration, 2 * calibration.length);
                }
            }
            return;
        }
        StreamVerdict verdict = threshold.update(score);
        out.add(new ScoredPoint(p.row(), p.time(), score, verdict.threshold(), verdict.anomaly()));
    }
}
