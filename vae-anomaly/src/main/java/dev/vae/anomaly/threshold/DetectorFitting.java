package dev.vae.anomaly.threshold;

import dev.vae.anomaly.score.Scorer;
import dev.vae.core.Threshold;
import dev.vae.core.VaeModel;
import dev.vae.core.data.Table;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Fits a model's anomaly threshold after training: scores held-out rows with the model's own score settings and
 * fits a {@link ThresholdSpec} on them. The trainer's command line calls
 * {@link #fitThreshold(VaeModel, Table, String)} with the validation split of {@code TrainingResult}.
 */
public final class DetectorFitting {

    private DetectorFitting() {
    }

    /**
     * The model with a threshold fitted on {@code data} by the strategy {@code spec} (command-line form, e.g.
     * {@code contamination:0.05}; null or blank = {@link ThresholdSpec#defaults()}).
     *
     * @throws IllegalArgumentException when the spec is invalid, the data are empty or of the wrong width, or
     *                                  {@code f1} is asked without labels
     */
    public static VaeModel fitThreshold(VaeModel model, Table data, @Nullable String spec) {
        ThresholdSpec s = spec == null || spec.isBlank() ? ThresholdSpec.defaults() : ThresholdSpec.parse(spec);
        return fitThreshold(model, data, s);
    }

    /** The model with a threshold fitted on {@code data} by {@code spec}. */
    public static VaeModel fitThreshold(VaeModel model, Table data, ThresholdSpec spec) {
        Scorer scorer = new Scorer(model);
        double[] scores = scores(scorer, data, spec);
        Threshold t = spec.fit(scores, data.labels(), scorer.settings(), fittedOn(scorer, data));
        VaeModel.Builder b = model.toBuilder().threshold(t);
        if (spec instanceof ThresholdSpec.Pot pot) {
            // Keep the tail fit with the model so that a reader can see, and a stream can resume, where it stands.
            PeaksOverThreshold p = PeaksOverThreshold.calibrate(scores, pot.q(), pot.level());
            b.property("threshold.pot.initial", Double.toString(p.initialThreshold()))
                    .property("threshold.pot.gamma", Double.toString(p.tail().gamma()))
                    .property("threshold.pot.sigma", Double.toString(p.tail().sigma()))
                    .property("threshold.pot.peaks", Long.toString(p.peakCount()))
                    .property("threshold.pot.observations", Long.toString(p.observations()));
        }
        return b.build();
    }

    /**
     * Fits {@code spec} on the scores the scorer gives {@code data}'s rows (and on its labels for {@code f1}).
     *
     * @return the threshold, recording the method and "{@code <source>, <n> rows, score <kind>/<samples>}"
     */
    public static Threshold fit(Scorer scorer, Table data, ThresholdSpec spec) {
        return spec.fit(scores(scorer, data, spec), data.labels(), scorer.settings(), fittedOn(scorer, data));
    }

    private static double[] scores(Scorer scorer, Table data, ThresholdSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (data.width() != scorer.model().inputDim()) {
            throw new IllegalArgumentException("Invalid data for threshold fitting: expected " + scorer.model().inputDim()
                    + " features, actual " + data.width() + " in " + data.source());
        }
        if (data.rows() == 0 && !(spec instanceof ThresholdSpec.Fixed)) {
            throw new IllegalArgumentException("Cannot fit threshold '" + spec.id() + "' on no rows (" + data.source() + ")");
        }
        if (spec.needsLabels() && !data.hasLabels()) {
            throw new IllegalArgumentException("Threshold '" + spec.id() + "' needs labels, but " + data.source() + " has none");
        }
        return scorer.score(data.values(), data.rows());
    }

    private static String fittedOn(Scorer scorer, Table data) {
        return String.format(Locale.ROOT, "%s, %d rows, score %s/%d", data.source(), data.rows(),
                scorer.settings().kind().id(), scorer.settings().samples());
    }
}
