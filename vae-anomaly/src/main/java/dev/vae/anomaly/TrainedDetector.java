package dev.vae.anomaly;

import dev.vae.anomaly.score.Scorer;
import dev.vae.core.Threshold;
import dev.vae.core.VaeModel;
import dev.vae.core.data.Table;
import dev.vae.train.TrainingResult;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link DetectorBuilder#fit} trained: the model with its fitted threshold (save it with {@code ModelFile}),
 * the training run's outcome (history, best epoch, stop reason), the rows the threshold was fitted on, and a
 * {@link Detector} on the model that scores, flags and (through its scorer) explains rows. Thread-safe.
 *
 * <p>The detector is made on the first call of {@link #detector()}: making it registers its meters, and a caller
 * that only saves the model (a command line, a Tribuo or Spark trainer) should leave no gauge in an application's
 * registry.
 */
public final class TrainedDetector {

    private final VaeModel model;
    private final TrainingResult training;
    private final Table thresholdRows;
    private final MeterRegistry registry;
    private @Nullable Detector detector;

    TrainedDetector(VaeModel model, TrainingResult training, Table thresholdRows, MeterRegistry registry) {
        this.model = Objects.requireNonNull(model, "model");
        this.training = Objects.requireNonNull(training, "training");
        this.thresholdRows = Objects.requireNonNull(thresholdRows, "thresholdRows");
        this.registry = Objects.requireNonNull(registry, "registry");
        if (model.threshold() == null) {
            throw new IllegalArgumentException("A trained detector's model needs a threshold");
        }
    }

    /**
     * The detector: the model's scorer and threshold, reporting to the builder's meter registry. Made on the first
     * call; every call returns the same one.
     */
    public synchronized Detector detector() {
        if (detector == null) {
            detector = new Detector(new Scorer(model), threshold(), registry);
        }
        return detector;
    }

    /** The trained model with its threshold, score settings and provenance: what a model file holds. */
    public VaeModel model() {
        return model;
    }

    /** The model's threshold (scores strictly above its value are anomalous). */
    public Threshold threshold() {
        return Objects.requireNonNull(model.threshold());
    }

    /**
     * The training run's outcome: history, best epoch, stop reason and validation rows. Its model is the trained
     * network before the threshold was fitted; {@link #model()} is the one to keep.
     */
    public TrainingResult training() {
        return training;
    }

    /** The rows the threshold was fitted on: the validation split, or the training data when there was none. */
    public Table thresholdRows() {
        return thresholdRows;
    }
}
