package dev.vae.cli;

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
import dev.vae.core.series.SeriesLayout;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * What {@code vae score} and {@code vae evaluate} set up alike from their shared options before reading any row.
 *
 * @param model     the model, bound to the data's columns
 * @param scorer    its scorer, by the score settings the options give
 * @param threshold the threshold rows are judged by; null when the model has none or {@code --no-threshold} is given
 * @param meters    the scoring meters; null when no {@code --metrics} file was asked for
 */
record ScoringSetup(VaeModel model, Scorer scorer, @Nullable Threshold threshold, @Nullable ScoringMeters meters) {

    /**
     * Reads the model and sets up its scoring from the options.
     *
     * @throws IllegalArgumentException when the model's threshold was fitted on another score than the options ask
     *                                  for (and {@code --no-threshold} is not given)
     */
    static ScoringSetup of(ModelAndDataOptions input, LabelColumnOption labelColumn, DropColumnsOption dropColumns,
                           ScoreOptions scoring, NoThresholdOption noThreshold, MetricsOption metrics)
            throws IOException {
        VaeModel model = input.read(labelColumn.name, dropColumns.names);
        Scorer scorer = scoring.scorer(model);
        Threshold threshold = noThreshold.threshold(model, scorer.settings());
        return new ScoringSetup(model, scorer, threshold, metrics.scoringMeters(scorer, threshold));
    }

    /** Whether the model scores windows of a time series rather than independent rows. */
    boolean series() {
        return SeriesLayout.of(model).isPresent();
    }
}
