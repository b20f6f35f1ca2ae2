package dev.vae.train;

import dev.vae.core.VaeModel;
import dev.vae.core.data.Table;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of a training run.
 *
 * @param model      the trained model, with the best epoch's weights when a validation split was used
 * @param history    one entry per epoch run
 * @param bestEpoch  the epoch whose weights the model holds
 * @param stopReason why training stopped, in words
 * @param validation the held-out validation rows (raw units), or null without a validation split
 * @param members    of an ensemble, each member's own run (its model one network), in member order; the fields
 *                   above are then the first member's, but for the model, which is the ensemble; empty for one network
 */
public record TrainingResult(VaeModel model, List<EpochStats> history, int bestEpoch, String stopReason,
                             @Nullable Table validation, List<TrainingResult> members) {

    /** Copies the lists. */
    public TrainingResult {
        history = List.copyOf(history);
        members = List.copyOf(members);
    }

    /** The result of a run of one network. */
    public TrainingResult(VaeModel model, List<EpochStats> history, int bestEpoch, String stopReason,
                          @Nullable Table validation) {
        this(model, history, bestEpoch, stopReason, validation, List.of());
    }
}
