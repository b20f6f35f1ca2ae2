package dev.vae.train;

import dev.vae.core.VaeModel;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Training produced a non-finite loss or gradient. The message names the epoch and batch; no model with
 * non-finite weights is ever returned or written. The last good weights (those of the best completed epoch, all
 * finite) travel with the exception when at least one epoch completed, so a caller may still save them on purpose.
 */
public final class TrainingDivergedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final int batch;
    private final String what;
    private final transient @Nullable VaeModel lastGood;

    /** An exception for the given epoch and batch (both 1-based), without a last good model. */
    public TrainingDivergedException(int epoch, int batch, String what) {
        this(epoch, batch, what, null);
    }

    /** An exception for the given epoch and batch (both 1-based) carrying the last good model, if any. */
    public TrainingDivergedException(int epoch, int batch, String what, @Nullable VaeModel lastGood) {
        super("Training diverged at epoch " + epoch + ", batch " + batch + ": " + what
                + " (try a lower --learning-rate or --clip-norm)");
        this.epoch = epoch;
        this.batch = batch;
        this.what = what;
        this.lastGood = lastGood;
    }

    /** The 1-based epoch. */
    public int epoch() {
        return epoch;
    }

    /** The 1-based batch within the epoch. */
    public int batch() {
        return batch;
    }

    /** The model with the best completed epoch's (finite) weights, or empty when no epoch completed. */
    public Optional<VaeModel> lastGoodModel() {
        return Optional.ofNullable(lastGood);
    }

    /**
     * This exception as an ensemble's: its text names the member that diverged, and it carries no last good model (one
     * member's weights are not the ensemble the caller asked for).
     */
    TrainingDivergedException inMember(int member, int members, long seed) {
        TrainingDivergedException e = new TrainingDivergedException(epoch, batch, "ensemble member " + member + " of "
                + members + " (seed " + seed + "): " + what, null);
        e.setStackTrace(getStackTrace());
        return e;
    }

    /** This exception with a last good model attached (the trainer adds it on the way out). */
    TrainingDivergedException withLastGood(@Nullable VaeModel model) {
        TrainingDivergedException e = new TrainingDivergedException(epoch, batch, what, model);
        e.setStackTrace(getStackTrace());
        return e;
    }
}
