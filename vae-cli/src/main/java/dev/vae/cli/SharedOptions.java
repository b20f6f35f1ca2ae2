package dev.vae.cli;

import dev.vae.anomaly.score.Scorer;
import dev.vae.anomaly.score.ScoringMeters;
import dev.vae.core.ScoreKind;
import dev.vae.core.ScoreSettings;
import dev.vae.core.Threshold;
import dev.vae.core.VaeModel;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.anomaly.series.SeriesScoring;
import dev.vae.core.series.TimeSeries;
import dev.vae.core.io.ModelFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options several commands share, as picocli mixins ({@code @Mixin}): each is declared once, with its name,
 * value label and default, next to what it means in code. A mixin's options appear in a command's help where its
 * {@code @Mixin} field stands, so each option is its own mixin, and mixins made of mixins group the options that
 * stand together in every command taking them: {@code --score} and {@code --samples} ({@link ScoreOptions}),
 * {@code --model} then {@code --data} ({@link ModelAndDataOptions}), and those two followed by {@code --label-column}
 * and {@code --drop-columns} where a command takes all four in that order ({@link ModelDataAndColumnsOptions}). The
 * steps that go with the options (reading the model bound to the data's columns, opening the data, the threshold
 * unless {@code --no-threshold}, the meters of {@code --metrics}) are methods of their mixins.
 *
 * <p>The description given here is the usual one. A command that words an option its own way (say, {@code report}
 * tells more about {@code --label-column}) has the wording in {@code dev/vae/cli/OptionWording.properties} under
 * {@code vae.<command>.<option>}, which picocli prefers to the description here.
 */
final class SharedOptions {

    private SharedOptions() {
    }

    /** {@code --model MODEL}: the model file to read. */
    static final class ModelOption {

        @Option(names = "--model", required = true, paramLabel = "MODEL",
                description = "A model written by 'vae train'.")
        Path path;

        /** Reads the model file. */
        VaeModel read() throws IOException {
            return ModelFile.read(path);
        }
    }

    /** {@code --data FILE}: a CSV file, or {@code -} for standard input. */
    static final class DataOption {

        @Option(names = "--data", required = true, paramLabel = "FILE", description = "CSV (.csv, .csv.gz, or - for "
                + "standard input) with the model's feature columns (by header name; by position for a model without "
                + "column names).")
        Path path;

        /** Whether {@code path} names standard input ({@code -}). */
        static boolean isStdin(Path path) {
            return path.toString().equals("-");
        }

        /**
         * Reads a time series from the file onto {@code scoring}'s grid, with labels when {@code labelColumn} is
         * given.
         *
         * @throws IllegalArgumentException for standard input: a series is read whole, and its points as they
         *                                  arrive are {@code vae stream}'s
         */
        TimeSeries readSeries(SeriesScoring scoring, @Nullable String labelColumn) throws IOException {
            if (isStdin(path)) {
                throw new IllegalArgumentException("A time-series model reads a whole series from a file (--data FILE);"
                        + " for points arriving on standard input use vae stream");
            }
            return scoring.read(path, labelColumn);
        }

        /** Opens the CSV file, or standard input for {@code -}. */
        CsvReader open(CsvOptions options) throws IOException {
            if (isStdin(path)) {
                return CsvReader.open(System.in, "standard input", options);
            }
            return CsvReader.open(path, options);
        }
    }

    /**
     * {@code --model MODEL} then {@code --data FILE}: a model and the CSV it reads, in that order in every command that
     * takes both.
     */
    static final class ModelAndDataOptions {

        @Mixin
        ModelOption model;

        @Mixin
        DataOption data;

        /** The model file. */
        Path modelPath() {
            return model.path;
        }

        /** The data file, or {@code -} for standard input. */
        Path dataPath() {
            return data.path;
        }

        /**
         * Reads the model, taking its feature columns from the data's header when it has no column names
         * ({@link ModelColumns}: the numeric columns in file order but {@code labelColumn} and {@code dropColumns}).
         */
        VaeModel read(@Nullable String labelColumn, List<String> dropColumns) throws IOException {
            return ModelColumns.bind(model.read(), data.path, labelColumn, dropColumns);
        }
    }

    /**
     * {@code --model MODEL}, {@code --data FILE}, {@code --label-column NAME} and {@code --drop-columns A,B}, in that
     * order: a model and the CSV it reads, with the columns that are not features.
     */
    static final class ModelDataAndColumnsOptions {

        @Mixin
        ModelAndDataOptions input;

        @Mixin
        LabelColumnOption labelColumn;

        @Mixin
        DropColumnsOption dropColumns;

        /** Reads the model, bound to the data's columns ({@link ModelAndDataOptions#read(String, List)}). */
        VaeModel read() throws IOException {
            return input.read(labelColumn.name, dropColumns.names);
        }

        /** The model file. */
        Path modelPath() {
            return input.modelPath();
        }

        /** The data option. */
        DataOption data() {
            return input.data;
        }

        /** The data file, or {@code -} for standard input. */
        Path dataPath() {
            return input.dataPath();
        }

        /** The label column, or null when none was given. */
        @Nullable String labelColumn() {
            return labelColumn.name;
        }
    }

    /** {@code --label-column NAME}: a column that is not a feature (and, where a command uses them, the labels). */
    static final class LabelColumnOption {

        @Option(names = "--label-column", paramLabel = "NAME", description = "A label column to leave out; only matters "
                + "for a model that takes columns by position (default: none).")
        @Nullable String name;
    }

    /** {@code --drop-columns A,B}: columns that are not features. */
    static final class DropColumnsOption {

        @Option(names = "--drop-columns", split = ",", paramLabel = "A,B", description = "Columns to leave out; only "
                + "matters for a model that takes columns by position (default: none).")
        List<String> names = new ArrayList<>();
    }

    /** {@code --score NAME} and {@code --samples L}: which score to compute, defaulting to the model's. */
    static final class ScoreOptions {

        @Option(names = "--score", paramLabel = "NAME", description = "negative-elbo, reconstruction or iwae (default: "
                + "the model's, normally negative-elbo).")
        @Nullable String score;

        @Option(names = "--samples", paramLabel = "L", description = "Latent samples per row (K for iwae); 0 = "
                + "deterministic z = mu (default: the model's, normally 0; iwae defaults to 16).")
        @Nullable Integer samples;

        /** A scorer of {@code model} by the {@linkplain #settings(VaeModel) settings} the options give. */
        Scorer scorer(VaeModel model) {
            return new Scorer(model, settings(model));
        }

        /** The score settings from the options, falling back to the model's (iwae asked of another model: K = 16). */
        ScoreSettings settings(VaeModel model) {
            ScoreSettings s = model.scoreSettings();
            ScoreKind kind = score == null ? s.kind() : ScoreKind.parse(score);
            int l = samples != null ? samples : kind == ScoreKind.IWAE && s.kind() != ScoreKind.IWAE ? 16 : s.samples();
            return new ScoreSettings(kind, l);
        }
    }

    /** {@code --no-threshold}: leave the model's threshold out of the run. */
    static final class NoThresholdOption {

        @Option(names = "--no-threshold", description = "Leave the anomaly column empty instead of comparing with the "
                + "model's threshold. Needed to score by another score than the threshold was fitted on (e.g. --score "
                + "reconstruction on a model whose threshold is on negative-elbo at z = mu), which is otherwise refused "
                + "(default: off).")
        boolean given;

        /**
         * The threshold to judge rows scored by {@code settings} by: null with {@code --no-threshold}, else the
         * {@linkplain #modelThreshold(VaeModel, ScoreSettings) model's}.
         */
        @Nullable Threshold threshold(VaeModel model, ScoreSettings settings) {
            return given ? null : modelThreshold(model, settings);
        }

        /**
         * The model's threshold for rows scored by {@code settings}, or null when it has none.
         *
         * @throws IllegalArgumentException in one line when the threshold was fitted on another score
         */
        static @Nullable Threshold modelThreshold(VaeModel model, ScoreSettings settings) {
            Threshold t = model.threshold();
            if (t != null) {
                t.requireScore(settings, "fit a threshold on that score, or pass --no-threshold");
            }
            return t;
        }
    }

    /** {@code --metrics FILE}: the run's meters, written in Prometheus text format at the end. */
    static final class MetricsOption {

        @Option(names = "--metrics", paramLabel = "FILE", description = "Write the run's Micrometer meters (vae.score, "
                + "vae.anomaly.*) to FILE in Prometheus text format 0.0.4 at the end (default: none).")
        @Nullable Path file;

        private @Nullable MetricsFile metricsFile;

        /** The registry to register the run's meters in, or null when no metrics file was asked for. */
        @Nullable MeterRegistry registry() {
            MetricsFile m = metricsFile();
            return m == null ? null : m.registry();
        }

        /** Meters of rows scored by {@code scorer} against {@code threshold}, or null when no file was asked for. */
        @Nullable ScoringMeters scoringMeters(Scorer scorer, @Nullable Threshold threshold) {
            MeterRegistry registry = registry();
            return registry == null ? null : new ScoringMeters(scorer, threshold, registry);
        }

        /** Writes the meters' values to the file (replacing it atomically), when one was asked for. */
        void write() throws IOException {
            MetricsFile m = metricsFile();
            if (m != null) {
                m.write();
            }
        }

        private @Nullable MetricsFile metricsFile() {
            if (metricsFile == null && file != null) {
                metricsFile = new MetricsFile(file);
            }
            return metricsFile;
        }
    }
}
