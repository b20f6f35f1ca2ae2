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
 */
public record TrainingResult(VaeModel model, List<EpochStats> history, int bestEpoch, String stopReason,
                             @Nullable Table validation) {

    /** Copies the history. */
    public TrainingResult {
        history = List.copyOf(history);
    }
}
