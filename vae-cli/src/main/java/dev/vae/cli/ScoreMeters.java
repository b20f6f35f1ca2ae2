package dev.vae.cli;

import dev.vae.anomaly.Detector;
import dev.vae.anomaly.score.CsvScoring;
import dev.vae.anomaly.score.ScoreBreakdown;
import dev.vae.anomaly.score.Scorer;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import dev.vae.core.Threshold;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Scores chunks of rows and records the run's meters for {@code --metrics}: through a {@link Detector} (the
 * {@code vae.score} timer, {@code vae.anomaly.events}, {@code vae.anomaly.threshold}, {@code vae.anomaly.excess})
 * when the model has a threshold, through the {@code vae.score} timer alone when it has none.
 */
final class ScoreMeters {

    private final Scorer scorer;
    private final @Nullable Detector detector;
    private final @Nullable Timer timer;

    ScoreMeters(Scorer scorer, @Nullable Threshold threshold, MeterRegistry registry) {
        this.scorer = scorer;
        this.detector = threshold == null ? null : new Detector(scorer, threshold, registry);
        this.timer = threshold != null ? null : Timer.builder("vae.score").description("Time to score a batch of rows")
                .tag("backend", scorer.backend()).register(registry);
    }

    /** Scores {@code rows} raw rows and records the meters. */
    double[] score(float[] raw, int rows) {
        if (detector != null) {
            return detector.score(raw, rows);
        }
        long t0 = System.nanoTime();
        double[] s = scorer.score(raw, rows);
        timer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        return s;
    }

    /**
     * Streams {@code csv} ({@code -} = standard input) through the scorer in chunks, like {@link CsvScoring#score},
     * recording the meters when {@code meters} is not null. With meters and a breakdown the rows are scored twice
     * (the scores are bit-identical).
     */
    static long score(Path csv, Scorer scorer, @Nullable ScoreMeters meters, @Nullable String labelColumn,
                      boolean breakdown, CsvScoring.Sink sink) throws IOException {
        int d = scorer.model().inputDim();
        int chunk = CsvScoring.CHUNK;
        try (CsvReader reader = open(csv, CsvOptions.forColumns(scorer.model().featureNames(), labelColumn))) {
            float[] values = new float[chunk * d];
            int[] labels = labelColumn == null ? null : new int[chunk];
            long row = 0;
            int n;
            while ((n = reader.read(values, labels, chunk)) > 0) {
                float[] x = n == chunk ? values : Arrays.copyOf(values, n * d);
                double[] scores = meters != null ? meters.score(x, n) : breakdown ? null : scorer.score(x, n);
                ScoreBreakdown parts = breakdown ? scorer.explain(x, n) : null;
                sink.accept(row, n, scores != null ? scores : parts.scores(), labels, parts);
                row += n;
            }
            return row;
        }
    }

    /** Whether {@code path} names standard input ({@code -}). */
    static boolean isStdin(Path path) {
        return path.toString().equals("-");
    }

    /** Opens a CSV file, or standard input for {@code -}. */
    static CsvReader open(Path csv, CsvOptions options) throws IOException {
        if (isStdin(csv)) {
            return CsvReader.open(System.in, "standard input", options);
        }
        return CsvReader.open(csv, options);
    }
}
