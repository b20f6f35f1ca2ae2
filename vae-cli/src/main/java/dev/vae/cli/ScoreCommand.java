package dev.vae.cli;

import dev.vae.anomaly.score.CsvScoring;
import dev.vae.anomaly.score.Scorer;
import dev.vae.anomaly.score.ScoringMeters;
import dev.vae.cli.SharedOptions.DropColumnsOption;
import dev.vae.cli.SharedOptions.LabelColumnOption;
import dev.vae.cli.SharedOptions.MetricsOption;
import dev.vae.cli.SharedOptions.ModelAndDataOptions;
import dev.vae.cli.SharedOptions.NoThresholdOption;
import dev.vae.cli.SharedOptions.ScoreOptions;
import dev.vae.core.Threshold;
import dev.vae.core.VaeModel;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.DataFormatException;
import dev.vae.anomaly.series.SeriesScores;
import dev.vae.anomaly.series.SeriesScoring;
import dev.vae.core.series.TimeSeries;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vae score}: scores every row of a CSV file, streaming, in constant memory. */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Score every row of a CSV file (streamed, any size). Output CSV: row,score,anomaly[,one column per "
                + "feature]. Scores are in nats; higher = more anomalous. The anomaly column is 1 above the model's "
                + "threshold, 0 otherwise, empty when the model has none. A time-series model (trained with "
                + "--time-column) writes one line per point of the series, in input order: the score of the window its "
                + "point rule names, and with --features one column per value column.")
final class ScoreCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    // Shared options (SharedOptions); score words --data its own way in OptionWording.properties.
    @Mixin
    ModelAndDataOptions input;

    @Mixin
    ScoreOptions scoring;

    @Mixin
    NoThresholdOption noThreshold;

    @Option(names = "--features", description = "Add one column per feature: its share of the reconstruction term (nats); "
            + "a row's shares sum to its reconstruction term (default: off).")
    boolean features;

    @Mixin
    LabelColumnOption labelColumn;

    @Mixin
    DropColumnsOption dropColumns;

    @Mixin
    MetricsOption metrics;

    @Option(names = "--out", paramLabel = "FILE", description = "Output CSV (default: standard output).")
    Path out;

    @Override
    public Integer call() throws Exception {
        ScoringSetup run = ScoringSetup.of(input, labelColumn, dropColumns, scoring, noThreshold, metrics);
        if (run.series()) {
            scoreSeries(run.scorer(), run.threshold(), run.meters());
        } else {
            scoreRows(run.model(), run.scorer(), run.threshold(), run.meters());
        }
        metrics.write();
        return 0;
    }

    /** A model of independent rows: one line per row of the CSV, streamed. */
    private void scoreRows(VaeModel model, Scorer scorer, @Nullable Threshold threshold,
                           @Nullable ScoringMeters meters) throws IOException {
        int d = model.inputDim();
        try (CsvReader reader = input.data.open(CsvOptions.forColumns(model.featureNames(), null))) {
            CsvOutput.write(out, w -> {
                w.write(header(features ? model.featureNames() : List.of()));
                long rows = CsvScoring.score(reader, scorer, features, meters, (first, n, scores, labels, parts) -> {
                    StringBuilder b = new StringBuilder(64);
                    for (int i = 0; i < n; i++) {
                        b.setLength(0);
                        b.append(first + i).append(',').append(scores[i]).append(',');
                        if (threshold != null) {
                            b.append(threshold.isAnomalous(scores[i]) ? '1' : '0');
                        }
                        if (parts != null) {
                            for (int j = 0; j < d; j++) {
                                b.append(',').append(parts.contribution(i, j));
                            }
                        }
                        w.write(b.append('\n').toString());
                    }
                });
                if (rows == 0) {
                    // Throwing inside the atomic write leaves no output file behind.
                    throw new DataFormatException(input.dataPath() + ": no data rows after the header");
                }
            });
        }
    }

    /**
     * A windowed model: one line per input point, in input order, each with the score of the window its point rule
     * names; {@code --features} adds each value column's part.
     */
    private void scoreSeries(Scorer scorer, @Nullable Threshold threshold, @Nullable ScoringMeters meters)
            throws IOException {
        SeriesScoring scoring = new SeriesScoring(scorer);
        TimeSeries series = input.data.readSeries(scoring, labelColumn.name);
        long t0 = System.nanoTime();
        SeriesScores scored = features ? scoring.explain(series) : new SeriesScores(scoring.score(series), series.width(), null);
        double[] scores = scored.scores();
        if (meters != null) {
            meters.record(System.nanoTime() - t0, scores, 0, scores.length);
        }
        CsvOutput.write(out, w -> {
            w.write(header(features ? series.columns() : List.of()));
            StringBuilder b = new StringBuilder(64);
            for (int i = 0; i < scores.length; i++) {
                b.setLength(0);
                b.append(i).append(',').append(scores[i]).append(',');
                if (threshold != null) {
                    b.append(threshold.isAnomalous(scores[i]) ? '1' : '0');
                }
                if (features) {
                    for (int j = 0; j < series.width(); j++) {
                        b.append(',').append(scored.contribution(i, j));
                    }
                }
                w.write(b.append('\n').toString());
            }
        });
    }

    /** The output's header line: {@code row,score,anomaly} and one column per name in {@code parts}. */
    static String header(List<String> parts) {
        StringBuilder header = new StringBuilder("row,score,anomaly");
        for (String f : parts) {
            header.append(',').append(csvName(f));
        }
        return header.append('\n').toString();
    }

    /** A column name quoted for CSV when it needs to be. */
    static String csvName(String name) {
        if (name.indexOf(',') < 0 && name.indexOf('"') < 0 && name.indexOf('\n') < 0) {
            return name;
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
