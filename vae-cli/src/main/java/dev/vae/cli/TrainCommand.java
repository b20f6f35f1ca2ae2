package dev.vae.cli;

import dev.vae.anomaly.Detector;
import dev.vae.anomaly.DetectorBuilder;
import dev.vae.anomaly.TrainedDetector;
import dev.vae.anomaly.threshold.DetectorFitting;
import dev.vae.anomaly.threshold.ThresholdSpec;
import dev.vae.core.VaeModel;
import dev.vae.core.io.AtomicFiles;
import dev.vae.core.io.ModelFile;
import dev.vae.core.kernel.Kernels;
import dev.vae.core.kernel.MatrixKernels;
import dev.vae.core.nn.Architecture;
import dev.vae.train.Checkpoint;
import dev.vae.train.EpochStats;
import dev.vae.train.RunOptions;
import dev.vae.train.TrainingConfig;
import dev.vae.train.TrainingDataChecks;
import dev.vae.train.TrainingDivergedException;
import dev.vae.train.TrainingListener;
import dev.vae.train.TrainingResult;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import dev.vae.core.series.PointRule;
import dev.vae.core.series.SeriesLayout;
import dev.vae.core.series.TimeSeries;
import dev.vae.core.series.Windows;
import dev.vae.train.metrics.MicrometerTrainingListener;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import dev.vae.cli.SharedOptions.DataOption;
import dev.vae.cli.SharedOptions.DropColumnsOption;
import dev.vae.cli.SharedOptions.LabelColumnOption;
import dev.vae.cli.SharedOptions.MetricsOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vae train}: fits a model on a CSV file and saves it. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a VAE (or plain autoencoder) on a CSV file of mostly-normal rows and save the model.")
final class TrainCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    // Shared options (SharedOptions); train words them its own way in OptionWording.properties.
    @Mixin
    DataOption dataOption;

    @Mixin
    LabelColumnOption labelOption;

    @Mixin
    DropColumnsOption dropOption;

    @Option(names = "--normal-only", description = "Train only on rows whose label is 0 (needs --label-column).")
    boolean normalOnly;

    // One option per entry of the TrainingOptions catalogue, generated (TrainingOptionsMixin).
    @Mixin
    TrainingOptionsMixin training;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "Write a checkpoint to FILE every --checkpoint-every epochs (replaced atomically).")
    Path checkpoint;

    @Option(names = "--checkpoint-every", defaultValue = "1", paramLabel = "N", description = "Epochs between checkpoints (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--resume", paramLabel = "FILE",
            description = "Continue the run saved in this checkpoint (same data and options; --epochs may be raised).")
    Path resume;

    @Option(names = "--time-column", paramLabel = "NAME",
            description = "Train on a time series: rows are points in time order, NAME holds their timestamps (a date-time"
                    + " or a number), every other column but the label and dropped ones is a value column, and each"
                    + " training row is a window of the last --window points. Gaps in time are filled on the line"
                    + " between their ends and missing values take their column's last value (docs/time-series.md).")
    String timeColumn;

    @Option(names = "--window", defaultValue = "auto", paramLabel = "N|auto",
            description = "Points per window, with --time-column; 'auto' takes the series' period from its"
                    + " autocorrelation (6..303 points, else 125) (default: ${DEFAULT-VALUE}).")
    String window;

    @Option(names = "--stride", defaultValue = "1", paramLabel = "S",
            description = "Train on a window every S points, with --time-column (default: ${DEFAULT-VALUE}; scoring"
                    + " always scores every point).")
    int stride;

    @Option(names = "--point-rule", defaultValue = "center", paramLabel = "center|end",
            description = "Which window scores a point, with --time-column: 'center', the window the point is the middle"
                    + " of (a stream reports it half a window later), or 'end', the window it ends (reported at once)"
                    + " (default: ${DEFAULT-VALUE}).")
    String pointRule;

    @Option(names = "--threshold", paramLabel = "SPEC",
            description = "How to fit the anomaly threshold on the validation split: contamination:C, quantile:Q, "
                    + "sigma:K, fixed:V, f1 (needs --label-column), pot:Q, or split: the two-class split of the scores"
                    + " when they have an anomaly mode, else sigma:3 (default: split).")
    String threshold;

    @Option(names = "--history", paramLabel = "FILE.json",
            description = "Write the per-epoch history as JSON: {\"epochs\": [{\"epoch\", \"loss\", \"reconstruction\","
                    + " \"kl\", \"validation_loss\", \"seconds\", \"rows_per_s\", \"all_rows_loss\", \"left_out_loss\","
                    + " \"left_out_rows\"}], \"best_epoch\", \"stop_reason\"}. 'loss' (= reconstruction + beta * kl) is what"
                    + " the epoch minimised: with --trim, the mean over the rows kept in the gradient; 'left_out_loss' is"
                    + " the mean of the left_out_rows rows trimming left out (null when none), 'all_rows_loss' the mean over"
                    + " every training row. Losses are nats per row. With --ensemble, the run of member 1 (of a diverged run, the"
                    + " member that diverged).")
    Path history;

    @Mixin
    MetricsOption metrics;

    @Option(names = "--out", required = true, paramLabel = "MODEL", description = "Where to save the model.")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter log = common.err();
        Path data = dataOption.path;
        String labelColumn = labelOption.name;
        List<String> dropColumns = new ArrayList<>(dropOption.names);
        if (DataOption.isStdin(data)) {
            throw new IllegalArgumentException("vae train reads a file (--data FILE): training passes over the rows"
                    + " many times");
        }
        if (normalOnly && labelColumn == null) {
            throw new IllegalArgumentException("--normal-only needs --label-column");
        }
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("Invalid --checkpoint-every: " + checkpointEvery + " (expected >= 1)");
        }
        TrainingConfig config = training.config();
        if (config.members() > 1 && (checkpoint != null || resume != null)) {
            // Refused before reading any data, rather than by the trainer after the data are read.
            throw new IllegalArgumentException("--ensemble " + config.members() + " cannot be used with "
                    + (checkpoint != null ? "--checkpoint" : "--resume") + ": a checkpoint holds one network, and an"
                    + " ensemble trains " + config.members() + "; train the ensemble without checkpoints, or one"
                    + " network (--ensemble 1)");
        }
        ThresholdSpec thresholdSpec = threshold == null || threshold.isBlank() ? ThresholdSpec.defaults()
                : ThresholdSpec.parse(threshold);
        Checkpoint from = resume == null ? null : Checkpoint.read(resume);
        SeriesLayout layout = null;
        TimeSeries series = null;
        Table table;
        if (timeColumn != null) {
            if (normalOnly) {
                throw new IllegalArgumentException("--normal-only cannot be used with --time-column: a window needs every point");
            }
            Errors.flag("--stride", stride, 1, Integer.MAX_VALUE);
            int n = window.trim().equalsIgnoreCase("auto") ? 0 : Errors.parseInt("--window", window, 2, 1 << 16);
            Set<String> drop = new HashSet<>(dropColumns);
            TimeSeries raw = TimeSeries.read(data, timeColumn, null, labelColumn, drop, Double.NaN, 1);
            layout = SeriesLayout.choose(raw, timeColumn, n, PointRule.parse(pointRule));
            series = raw.regrid(layout.interval(), layout.keepPerGap());
            if (series.points() < 2 * layout.window()) {
                throw new IllegalArgumentException(data + ": the series has " + series.points() + " points on its grid,"
                        + " fewer than two windows of " + layout.window() + (n == 0 ? " (--window auto; give a shorter"
                        + " --window N)" : "") + "; a model needs windows to learn from and to hold out");
            }
            table = Windows.table(series, layout, stride);
            log.printf(Locale.ROOT, "series: %d points of %s, %s (window %s)%s%s%n", series.observedPoints(),
                    String.join(",", layout.valueColumns()), layout, n == 0 ? "auto: the series' period" : "given",
                    series.points() > series.observedPoints() ? "; " + (series.points() - series.observedPoints())
                            + " points filled in gaps" : "",
                    series.unorderedRows() > 0 ? "; " + series.unorderedRows() + " rows whose time did not move"
                            + " forward taken as the next step" : "");
        } else {
            table = CsvReader.read(data, CsvOptions.withLabel(labelColumn, new HashSet<>(dropColumns)));
            if (normalOnly) {
                table = table.normalOnly();
            }
        }
        MatrixKernels kernels = Kernels.best().forTraining();
        // The architecture the trainer will build for this table (its defaults follow the table's shape).
        Architecture architecture = config.architecture(table);
        log.printf(Locale.ROOT, "training %s on %d rows x %d features from %s (%d thread%s; kernels %s%s)%s%n",
                config.members() == 1 ? architecture.describe() : "an ensemble of " + config.members()
                        + " networks (each " + architecture.describe() + ")", table.rows(), table.width(), data,
                config.threads(),
                config.threads() == 1 ? "" : "s", Kernels.best().name(),
                kernels.threadsPerCall() == 1 ? "" : ", " + kernels.threadsPerCall() + " threads per native call",
                from == null ? "" : "; resuming after epoch " + from.epoch());
        if (config.threads() * kernels.threadsPerCall() > Runtime.getRuntime().availableProcessors()) {
            log.printf(Locale.ROOT, "warning: %d trainer threads x %d native BLAS threads oversubscribe %d cores;"
                    + " set OPENBLAS_NUM_THREADS=1 (./vae does) or --threads 1%n", config.threads(),
                    kernels.threadsPerCall(), Runtime.getRuntime().availableProcessors());
        }
        if (config.likelihood() == null && architecture.likelihood().equals(Architecture.NEAR_CONSTANT_LIKELIHOOD)) {
            log.printf(Locale.ROOT, "likelihood: %s, the default for a table with near-constant columns: %s"
                    + " (for one-class images, --likelihood %s measured better)%n", architecture.likelihood().id(),
                    TrainingDataChecks.nearConstantSummary(table), Architecture.DEFAULT_LIKELIHOOD.id());
        }
        for (String warning : TrainingDataChecks.warnings(architecture, table)) {
            log.println("warning: " + warning);
        }
        log.flush();

        List<EpochStats> epochsSeen = new ArrayList<>();
        int[] keptEpoch = {0};
        DetectorBuilder detector = Detector.builder().training(config).threshold(thresholdSpec);
        if (layout != null) {
            detector.windows(layout);
        }
        if (from != null) {
            detector.resumeFrom(from);
        }
        RunOptions run = RunOptions.none()
                .withListener(new TrainingProgress(log, TrainingProgress.onTerminal(), config.epochs(),
                        config.members()))
                .withListener(new TrainingListener() {
                    @Override
                    public void onStart(TrainingConfig member, int rows, int validationRows) {
                        // An ensemble's members run in turn: a diverged run's history is the member that diverged.
                        epochsSeen.clear();
                    }

                    @Override
                    public void onEpochEnd(EpochStats s) {
                        epochsSeen.add(s);
                    }

                    @Override
                    public void onStop(String reason, int bestEpoch) {
                        keptEpoch[0] = bestEpoch;
                    }
                });
        MeterRegistry registry = metrics.registry();
        if (registry != null) {
            run = run.withListener(new MicrometerTrainingListener(registry));
        }
        if (checkpoint != null) {
            run = run.withCheckpoints(checkpoint, checkpointEvery);
        }
        TrainedDetector trained;
        try {
            trained = detector.fit(table, run);
        } catch (TrainingDivergedException e) {
            // Diagnostics are still worth having; the model is not: no file is written for a diverged run.
            List<EpochStats> all = new ArrayList<>(from == null ? List.of() : from.history());
            all.addAll(epochsSeen);
            writeDiagnostics(all, keptEpoch[0], e.getMessage());
            throw e;
        }
        TrainingResult result = trained.training();
        VaeModel model = trained.model();
        ModelFile.write(model, out);
        writeDiagnostics(result.history(), result.bestEpoch(), result.stopReason());
        if (result.members().isEmpty()) {
            String trimmed = TrainingProgress.trimSummary(model);
            if (trimmed != null) {
                log.printf(Locale.ROOT, "trimming: the last epoch %s%n", trimmed);
            }
            log.printf(Locale.ROOT, "%s; kept epoch %d; threshold %.6g nats (%s, fitted on %s); saved %s%n",
                    result.stopReason(), result.bestEpoch(), model.threshold().value(), model.threshold().method(),
                    model.threshold().fittedOn(), out);
        } else {
            for (String line : TrainingProgress.ensembleSummary(result)) {
                log.println(line);
            }
            log.printf(Locale.ROOT, "ensemble of %d networks, its score the mean of theirs; threshold %.6g nats (%s,"
                    + " fitted on %s)%s; saved %s%n", model.memberCount(), model.threshold().value(),
                    model.threshold().method(), model.threshold().fittedOn(),
                    history == null ? "" : "; --history holds member 1's run", out);
        }
        String majority = DetectorFitting.majorityAboveWarning(model, trained.thresholdRows(), thresholdSpec);
        if (majority != null) {
            log.println("warning: " + majority + " (vae report)");
        }
        log.flush();
        return 0;
    }

    private void writeDiagnostics(List<EpochStats> epochs, int bestEpoch, String stopReason) throws java.io.IOException {
        if (history != null) {
            writeHistory(epochs, bestEpoch, stopReason, history);
        }
        metrics.write();
    }

    /**
     * Writes {@code {"epochs": [...], "best_epoch", "stop_reason"}} (SPEC section 6); best epoch 0 = none. Each epoch
     * has SPEC's keys, where {@code loss}, {@code reconstruction} and {@code kl} are the rows the gradient minimised
     * (with trimming, the kept rows), and {@code all_rows_loss}, {@code left_out_loss} (null when no row was left
     * out) and {@code left_out_rows} (see {@link EpochStats}).
     */
    static void writeHistory(List<EpochStats> history, int bestEpoch, String stopReason, Path file)
            throws java.io.IOException {
        List<Object> epochs = new ArrayList<>();
        for (EpochStats s : history) {
            Map<String, Object> e = Json.object();
            e.put("epoch", s.epoch());
            e.put("loss", s.loss());
            e.put("reconstruction", s.reconstruction());
            e.put("kl", s.kl());
            e.put("validation_loss", s.validationLoss());
            e.put("seconds", s.seconds());
            e.put("rows_per_s", s.rowsPerSecond());
            e.put("all_rows_loss", s.allRowsLoss());
            e.put("left_out_loss", s.leftOutLoss());
            e.put("left_out_rows", s.leftOutRows());
            epochs.add(e);
        }
        Map<String, Object> root = Json.object();
        root.put("epochs", epochs);
        root.put("best_epoch", bestEpoch);
        root.put("stop_reason", stopReason);
        byte[] bytes = (Json.write(root) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, o -> o.write(bytes));
    }
}
