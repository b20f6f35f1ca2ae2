package dev.vae.anomaly.threshold;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A threshold that follows a stream of scores, one score at a time: {@link PeaksOverThreshold} (SPOT) and
 * {@link DriftPeaksOverThreshold} (DSPOT) of Siffer et al. (KDD 2017). Its {@link #state} holds everything needed to
 * continue the stream bit for bit after a restart ({@link #save}, {@link #load}).
 *
 * <p>Implementations are mutable and not thread-safe: one instance per stream.
 */
public sealed interface StreamingThreshold permits PeaksOverThreshold, DriftPeaksOverThreshold {

    /**
     * Feeds the next score of the stream: judges it against the threshold in force and, when it is normal, learns
     * from it (which may move the threshold for the next score).
     *
     * @throws IllegalArgumentException when the score is not finite (the state is then unchanged)
     */
    StreamVerdict update(double score);

    /** The threshold the next score will be judged against, on the scores' own scale. */
    double threshold();

    /** The number of peaks kept in memory. */
    int retainedPeaks();

    /** The number of normal scores learnt from, calibration included. */
    long observations();

    /** A snapshot of the complete state, from which {@link #restore} continues bit for bit. */
    StreamState state();

    /** Atomically writes the {@link #state} to {@code path} ({@link StreamState#write}). */
    default void save(Path path) throws IOException {
        state().write(path);
    }

    /** Resumes a stream from an exported state: SPOT or DSPOT, whichever the state holds. */
    static StreamingThreshold restore(StreamState state) {
        return switch (state.kind()) {
            case SPOT -> PeaksOverThreshold.restore(state);
            case DSPOT -> DriftPeaksOverThreshold.restore(state);
        };
    }

    /**
     * Reads a state file ({@link StreamState#read}) and resumes its stream.
     *
     * @throws StreamStateException naming the file when it is not a valid state of this version
     */
    static StreamingThreshold load(Path path) throws IOException {
        return restore(StreamState.read(path));
    }
}
