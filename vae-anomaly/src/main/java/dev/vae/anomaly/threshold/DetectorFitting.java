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
 * fits a {@link ThresholdSpec} on them. {@code Detector.builder()} calls {@link #fitThreshold} after training, with
 * the rows training held out; commands that refit a saved model's threshold call {@link #fit}.
 */
public final class DetectorFitting {

    private DetectorFitting() {
    }

    /**
     * The model with a threshold fitted on {@code data} by {@code spec}; a {@code pot} fit also records its tail in
     * the model's properties ({@code threshold.pot.*}).
     *
     * @throws IllegalArgumentException when the data are empty or of the wrong width, or {@code spec} needs labels
     *                                  the data lack
     */
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

    /**
     * How many of {@code rows} the model's threshold calls anomalous (score strictly above it), scored with the
     * model's own settings. On the rows a threshold was fitted on, more than half of them is a sign that the fit found
     * no anomaly mode: anomalies are the minority by definition, and a two-class split of a handful of validation
     * scores can put most of them in its upper class (ten rows, eight above, on sonar with the defaults).
     *
     * @throws IllegalArgumentException when the rows are of the wrong width
     */
    public static long aboveThreshold(VaeModel model, Table rows) {
        Scorer scorer = new Scorer(model);
        if (rows.width() != model.inputDim()) {
            throw new IllegalArgumentException("Invalid rows for the threshold: expected " + model.inputDim()
                    + " features, actual " + rows.width() + " in " + rows.source());
        }
        long above = 0;
        for (double s : scorer.score(rows.values(), rows.rows())) {
            if (model.threshold().isAnomalous(s)) {
                above++;
            }
        }
        return above;
    }

    /**
     * A warning when {@code spec} finds the share of anomalies itself ({@code split}, {@code sigma}, {@code pot},
     * {@code dspot}: not a contamination, quantile or value the user gave, nor labels) and the model's threshold,
     * fitted on {@code rows}, leaves more than half of them above it ({@link #aboveThreshold}); else null.
     */
    public static @Nullable String majorityAboveWarning(VaeModel model, Table rows, ThresholdSpec spec) {
        if (spec instanceof ThresholdSpec.Contamination || spec instanceof ThresholdSpec.Quantile
                || spec instanceof ThresholdSpec.Fixed || spec.needsLabels()) {
            return null;
        }
        long above = aboveThreshold(model, rows);
        if (2 * above <= rows.rows()) {
            return null;
        }
        return String.format(Locale.ROOT, "%d of the %d rows the threshold was fitted on lie above it, and anomalies"
                + " are the minority: its fit (%s) found no anomaly mode among them; set the share you expect with the"
                + " threshold contamination:C, or look at the scores first", above, rows.rows(), spec.id());
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
