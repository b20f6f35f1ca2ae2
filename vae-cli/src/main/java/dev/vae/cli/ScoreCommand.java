package dev.vae.cli;

import dev.vae.anomaly.score.Scorer;
import dev.vae.core.ScoreKind;
import dev.vae.core.ScoreSettings;
import dev.vae.core.Threshold;
import dev.vae.core.VaeModel;
import dev.vae.core.io.ModelFile;
import dev.vae.core.data.DataFormatException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vae score}: scores every row of a CSV file, streaming, in constant memory. */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Score every row of a CSV file (streamed, any size). Output CSV: row,score,anomaly[,one column per "
                + "feature]. Scores are in nats; higher = more anomalous. The anomaly column is 1 above the model's "
                + "threshold, 0 otherwise, empty when the model has none.")
final class ScoreCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A model written by 'vae train'.")
    Path modelPath;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "CSV (.csv, .csv.gz, or - for standard input) with the model's feature columns (by header name, other columns ignored; by position for a model without column names, e.g. one imported from ONNX).")
    Path data;

    @Option(names = "--score", paramLabel = "NAME", description = "negative-elbo, reconstruction or iwae (default: the model's, normally negative-elbo).")
    String score;

    @Option(names = "--samples", paramLabel = "L", description = "Latent samples per row (K for iwae); 0 = deterministic z = mu "
            + "(default: the model's, normally 0; iwae defaults to 16).")
    Integer samples;

    @Option(names = "--no-threshold", description = "Leave the anomaly column empty instead of comparing with the model's "
            + "threshold. Needed to score by another score than the threshold was fitted on (e.g. --score reconstruction "
            + "on a model whose threshold is on negative-elbo at z = mu), which is otherwise refused (default: off).")
    boolean noThreshold;

    @Option(names = "--features", description = "Add one column per feature: its share of the reconstruction term (nats); "
            + "a row's shares sum to its reconstruction term (default: off).")
    boolean features;

    @Option(names = "--label-column", paramLabel = "NAME", description = "A label column to leave out; only matters for a model that takes columns by position (default: none).")
    String labelColumn;

    @Option(names = "--drop-columns", split = ",", paramLabel = "A,B", description = "Columns to leave out; only matters for a model that takes columns by position (default: none).")
    java.util.List<String> dropColumns = new java.util.ArrayList<>();

    @Option(names = "--metrics", paramLabel = "FILE", description = "Write the run's Micrometer meters (vae.score, vae.anomaly.*) to FILE in Prometheus text format 0.0.4 at the end (default: none).")
    Path metrics;

    @Option(names = "--out", paramLabel = "FILE", description = "Output CSV (default: standard output).")
    Path out;

    @Override
    public Integer call() throws Exception {
        VaeModel model = ModelColumns.bind(ModelFile.read(modelPath), data, labelColumn, dropColumns);
        Scorer scorer = new Scorer(model, settings(model, score, samples));
        Threshold threshold = threshold(model, scorer.settings(), noThreshold);
        MetricsFile metricsFile = metrics == null ? null : new MetricsFile(metrics);
        ScoreMeters meters = metricsFile == null ? null : new ScoreMeters(scorer, threshold, metricsFile.registry());
        int d = model.inputDim();
        CsvOutput.write(out, w -> {
            StringBuilder header = new StringBuilder("row,score,anomaly");
            if (features) {
                for (String f : model.featureNames()) {
                    header.append(',').append(csvName(f));
                }
            }
            w.write(header.append('\n').toString());
            long rows = ScoreMeters.score(data, scorer, meters, null, features, (first, n, scores, labels, parts) -> {
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
                throw new DataFormatException(data + ": no data rows after the header");
            }
        });
        if (metricsFile != null) {
            metricsFile.write();
        }
        return 0;
    }

    /** The score settings from the options, falling back to the model's. */
    static ScoreSettings settings(VaeModel model, String score, Integer samples) {
        ScoreSettings s = model.scoreSettings();
        ScoreKind kind = score == null ? s.kind() : ScoreKind.parse(score);
        int l = samples != null ? samples : kind == ScoreKind.IWAE && s.kind() != ScoreKind.IWAE ? 16 : s.samples();
        return new ScoreSettings(kind, l);
    }

    /**
     * The model's threshold for rows scored by {@code settings}: null when the model has none or {@code ignore} is
     * set.
     *
     * @throws IllegalArgumentException in one line when the threshold was fitted on another score
     */
    static Threshold threshold(VaeModel model, ScoreSettings settings, boolean ignore) {
        Threshold t = model.threshold();
        if (t == null || ignore) {
            return null;
        }
        t.requireScore(settings, "fit a threshold on that score, or pass --no-threshold");
        return t;
    }

    /** A column name quoted for CSV when it needs to be. */
    static String csvName(String name) {
        if (name.indexOf(',') < 0 && name.indexOf('"') < 0 && name.indexOf('\n') < 0) {
            return name;
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
