package dev.vae.cli;

import dev.vae.core.ScoreKind;
import dev.vae.core.ScoreSettings;
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
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The options several commands share, as picocli mixins ({@code @Mixin}): each is declared once, with its name,
 * value label and default, next to what it means in code. A mixin's options appear in a command's help where its
 * {@code @Mixin} field stands, so each option is its own mixin except {@code --score} and {@code --samples}, which
 * always go together.
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

        /** The score settings from the options, falling back to the model's (iwae asked of another model: K = 16). */
        ScoreSettings settings(VaeModel model) {
            ScoreSettings s = model.scoreSettings();
            ScoreKind kind = score == null ? s.kind() : ScoreKind.parse(score);
            int l = samples != null ? samples : kind == ScoreKind.IWAE && s.kind() != ScoreKind.IWAE ? 16 : s.samples();
            return new ScoreSettings(kind, l);
        }
    }

    /** {@code --metrics FILE}: the run's scoring meters, written in Prometheus text format at the end. */
    static final class MetricsOption {

        @Option(names = "--metrics", paramLabel = "FILE", description = "Write the run's Micrometer meters (vae.score, "
                + "vae.anomaly.*) to FILE in Prometheus text format 0.0.4 at the end (default: none).")
        @Nullable Path file;

        /** The metrics file to register the meters in and write at the end, or null when none was asked for. */
        @Nullable MetricsFile open() {
            return file == null ? null : new MetricsFile(file);
        }
    }
}
