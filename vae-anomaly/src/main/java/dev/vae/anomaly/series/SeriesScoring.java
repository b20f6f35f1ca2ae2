package dev.vae.anomaly.series;

import dev.vae.anomaly.score.ScoreBreakdown;
import dev.vae.anomaly.score.Scorer;
import dev.vae.core.series.SeriesLayout;
import dev.vae.core.series.TimeSeries;
import dev.vae.core.series.Windows;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Scores every point of a series with a windowed model: the windows of stride 1 are scored in chunks of bounded
 * memory, and each observed point takes the score of the window its layout's {@link
 * dev.vae.core.series.PointRule} names ({@link Windows#pointScores}). Thread-safe.
 */
public final class SeriesScoring {

    /** Window rows scored at once: bounds the copy of overlapping windows to about 16 MiB. */
    private static final int CHUNK_VALUES = 1 << 22;

    private final Scorer scorer;
    private final SeriesLayout layout;

    /**
     * @throws IllegalArgumentException when the scorer's model is not a windowed model
     */
    public SeriesScoring(Scorer scorer) {
        this.scorer = scorer;
        this.layout = SeriesLayout.of(scorer.model()).orElseThrow(() -> new IllegalArgumentException(
                "The model scores independent rows, not windows of a time series (it was trained without --time-column)"));
    }

    /** The layout of the model's windows. */
    public SeriesLayout layout() {
        return layout;
    }

    /** The scorer of the windows. */
    public Scorer scorer() {
        return scorer;
    }

    /**
     * Reads a CSV series on the model's columns and grid (its time column, value columns and interval), keeping of
     * each long gap the filled points a window can see ({@link SeriesLayout#keepPerGap}).
     */
    public TimeSeries read(Path csv, @Nullable String labelColumn) throws IOException {
        return TimeSeries.read(csv, layout.timeColumn(), layout.valueColumns(), labelColumn, Set.of(), layout.interval(),
                layout.keepPerGap());
    }

    /** The score of every observed point, in input order (nats, higher = more anomalous). */
    public double[] score(TimeSeries series) {
        return run(series, false).scores();
    }

    /** The score of every observed point with each value column's part of it. */
    public SeriesScores explain(TimeSeries series) {
        return run(series, true);
    }

    private SeriesScores run(TimeSeries series, boolean parts) {
        if (!series.columns().equals(layout.valueColumns())) {
            throw new IllegalArgumentException(series.source() + ": columns " + series.columns()
                    + " differ from the model's value columns " + layout.valueColumns());
        }
        int n = layout.window();
        int c = series.width();
        int width = layout.width();
        int windows = Windows.count(series.points(), n, 1);
        if (windows == 0) {
            throw new IllegalArgumentException(series.source() + ": the series has " + series.points()
                    + " points on its grid, fewer than the model's window of " + n);
        }
        double[] windowScores = new double[windows];
        double[] windowParts = parts ? new double[windows * c] : null;
        int chunk = Math.max(1, CHUNK_VALUES / width);
        float[] rows = new float[Math.min(chunk, windows) * width];
        for (int start = 0; start < windows; start += chunk) {
            int m = Math.min(chunk, windows - start);
            for (int w = 0; w < m; w++) {
                System.arraycopy(series.values(), (start + w) * c, rows, w * width, width);
            }
            if (windowParts == null) {
                scorer.score(rows, 0, m, windowScores, start);
            } else {
                ScoreBreakdown b = scorer.explain(m == rows.length / width ? rows : java.util.Arrays.copyOf(rows, m * width), m);
                System.arraycopy(b.scores(), 0, windowScores, start, m);
                for (int w = 0; w < m; w++) {
                    for (int f = 0; f < width; f++) {
                        windowParts[(start + w) * c + f % c] += b.contribution(w, f);
                    }
                }
            }
        }
        double[] scores = Windows.pointScores(series, layout, windowScores);
        if (windowParts == null) {
            return new SeriesScores(scores, c, null);
        }
        int[] window = Windows.windowOfPoint(series, layout);
        double[] contributions = new double[scores.length * c];
        for (int p = 0; p < window.length; p++) {
            System.arraycopy(windowParts, window[p] * c, contributions, p * c, c);
        }
        return new SeriesScores(scores, c, contributions);
    }
}
