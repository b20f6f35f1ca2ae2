package dev.vae.anomaly;

import dev.vae.anomaly.threshold.DetectorFitting;
import dev.vae.anomaly.threshold.ThresholdSpec;
import dev.vae.core.ScoreSettings;
import dev.vae.core.VaeModel;
import dev.vae.core.data.Table;
import dev.vae.core.series.SeriesLayout;
import dev.vae.core.series.TimeSeries;
import dev.vae.core.series.Windows;
import dev.vae.train.Checkpoint;
import dev.vae.train.RunOptions;
import dev.vae.train.TrainingConfig;
import dev.vae.train.TrainingDivergedException;
import dev.vae.train.TrainingResult;
import dev.vae.train.VaeTrainer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Trains a {@link Detector} from data: trains a model with {@link VaeTrainer}, then fits its anomaly threshold on the
 * rows training held out for validation (on the training rows when there are none), so the threshold is fitted on
 * scores of rows the weights never saw. Get one from {@link Detector#builder()}; every setting has a default, so
 * {@code Detector.builder().fit(table)} works on any tabular data.
 *
 * <pre>{@code
 * TrainedDetector trained = Detector.builder()
 *         .training(TrainingConfig.builder().epochs(50).seed(42).build())
 *         .threshold(ThresholdSpec.contamination(0.05))
 *         .fit(table);
 * }</pre>
 *
 * <p>This is the one implementation of "train, then fit a threshold": {@code vae train}, {@code vae demo}, the Tribuo
 * trainer and the Spark estimator all call it, so any of them given the same rows and settings trains the same
 * weights and fits the same threshold. A builder is not thread-safe; {@link #fit} may be called more than once
 * (each call trains anew, from the same settings). What a run does besides training, its listeners and checkpoints,
 * is not a setting: each call takes its own {@link RunOptions} ({@link #fit(Table, RunOptions)}), as
 * {@link VaeTrainer#fit(Table, RunOptions)} does.
 */
public final class DetectorBuilder {

    private TrainingConfig training = TrainingConfig.defaults();
    private ThresholdSpec threshold = ThresholdSpec.defaults();
    private @Nullable ScoreSettings score;
    private @Nullable Checkpoint resumeFrom;
    private final Map<String, String> provenance = new TreeMap<>();
    private MeterRegistry registry = Metrics.globalRegistry;
    private @Nullable SeriesLayout windows;

    DetectorBuilder() {
    }

    /** The training settings, seed included (default {@link TrainingConfig#defaults()}). */
    public DetectorBuilder training(TrainingConfig config) {
        this.training = Objects.requireNonNull(config, "config");
        return this;
    }

    /**
     * How the threshold is fitted (default {@link ThresholdSpec#defaults()}, {@code split}). A strategy that needs
     * labels ({@link ThresholdSpec#bestF1()}) takes them from the held-out rows, so the data must have labels.
     */
    public DetectorBuilder threshold(ThresholdSpec spec) {
        this.threshold = Objects.requireNonNull(spec, "spec");
        return this;
    }

    /**
     * The score the model computes by default, and so the score its threshold is fitted on (default: the trainer's,
     * {@link ScoreSettings#defaults()}).
     */
    public DetectorBuilder score(ScoreSettings settings) {
        this.score = Objects.requireNonNull(settings, "settings");
        return this;
    }

    /**
     * Continues the run saved in {@code checkpoint} instead of starting anew ({@link VaeTrainer#resume}): give
     * {@link #fit} the same data and this builder the same training settings.
     */
    public DetectorBuilder resumeFrom(Checkpoint checkpoint) {
        this.resumeFrom = Objects.requireNonNull(checkpoint, "checkpoint");
        return this;
    }

    /** Adds an entry to the trained model's provenance (e.g. where the data came from); it replaces one of that key. */
    public DetectorBuilder provenance(String key, String value) {
        provenance.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * Where {@link TrainedDetector#detector()} reports its meters (default {@link Metrics#globalRegistry}, as
     * {@link Detector#Detector(VaeModel)}).
     */
    public DetectorBuilder meterRegistry(MeterRegistry meterRegistry) {
        this.registry = Objects.requireNonNull(meterRegistry, "meterRegistry");
        return this;
    }

    /**
     * Trains on windows of a series: the rows given to {@link #fit(Table)} are windows of {@code layout} (as
     * {@link #fit(TimeSeries, int)} cuts them), and the model carries the layout, so that it scores series point by
     * point ({@code dev.vae.anomaly.series}).
     */
    public DetectorBuilder windows(SeriesLayout layout) {
        this.windows = Objects.requireNonNull(layout, "layout");
        return this;
    }

    /**
     * Cuts {@code series} into the windows of the layout given to {@link #windows} (a window every {@code stride}
     * points) and trains on them, labels and all, as {@link #fit(Table)} does.
     *
     * @throws IllegalStateException when no layout was given
     */
    public TrainedDetector fit(TimeSeries series, int stride) {
        return fit(series, stride, RunOptions.none());
    }

    /**
     * Cuts {@code series} into windows and trains on them as {@link #fit(TimeSeries, int)} does, with the listeners
     * and checkpoints of {@code options}.
     *
     * @throws IllegalStateException when no layout was given
     */
    public TrainedDetector fit(TimeSeries series, int stride, RunOptions options) {
        if (windows == null) {
            throw new IllegalStateException("Give the window layout first: windows(SeriesLayout)");
        }
        return fit(Windows.table(series, windows, stride), options);
    }

    /**
     * Trains on {@code data} (raw units; labels are used by a threshold strategy that needs them, never by training)
     * and fits the threshold.
     *
     * @throws IllegalArgumentException  when the data do not suit the settings (too few rows, no labels for a
     *                                   strategy that needs them: said before training) or the held-out scores do not
     *                                   suit the threshold strategy, or a resumed checkpoint belongs to another run
     * @throws TrainingDivergedException when training diverges
     */
    public TrainedDetector fit(Table data) {
        return fit(data, RunOptions.none());
    }

    /**
     * Trains on {@code data} and fits the threshold as {@link #fit(Table)} does, telling the listeners of
     * {@code options} about the training run and writing its checkpoints ({@link VaeTrainer#fit(Table, RunOptions)});
     * the options change no bit of the detector.
     *
     * @throws IllegalArgumentException  as {@link #fit(Table)}
     * @throws TrainingDivergedException when training diverges (the listeners have heard of it)
     * @throws java.io.UncheckedIOException when a checkpoint cannot be written
     */
    public TrainedDetector fit(Table data, RunOptions options) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(options, "options");
        if (windows != null && !data.columns().equals(windows.featureNames())) {
            throw new IllegalArgumentException("The rows of " + data.source() + " are not windows of " + windows);
        }
        if (threshold.needsLabels() && !data.hasLabels()) {
            throw new IllegalArgumentException("Threshold '" + threshold.id() + "' needs labels, but " + data.source()
                    + " has none");
        }
        VaeTrainer trainer = new VaeTrainer(training);
        TrainingResult result = resumeFrom == null ? trainer.fit(data, options)
                : trainer.resume(data, resumeFrom, options);
        // Rows the weights never saw score like new rows; the training rows score lower, so only without a split.
        Table thresholdRows = result.validation() != null ? result.validation() : data;
        VaeModel.Builder model = result.model().toBuilder().provenance(provenance);
        if (windows != null) {
            windows.toProperties().forEach(model::property);
        }
        if (score != null) {
            model.scoreSettings(score);
        }
        return new TrainedDetector(DetectorFitting.fitThreshold(model.build(), thresholdRows, threshold), result,
                thresholdRows, registry);
    }
}
