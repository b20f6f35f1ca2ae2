package dev.vae.train;

import dev.vae.core.io.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The complete state of a training run after a whole epoch, from which {@link VaeTrainer#resume} continues to the
 * same bits as an uninterrupted run. No random generator state is stored: every epoch's shuffle and noise are
 * derived from (seed, epoch), so the epoch number is enough to re-derive them.
 *
 * <p>File layout (big-endian): 8-byte magic {@code 89 56 41 45 43 4B 50 0A} ("\x89VAECKP\n"), format version
 * (int), payload length (long), SHA-256 of the payload (32 bytes), payload. The payload holds: the run fingerprint
 * (UTF-8 string: int length + bytes), the completed epoch (int), the parameters, Adam's first and second moments
 * (each a float array: int count + floats), Adam's step count (long), the best weights (float array), the best
 * epoch (int), the best monitored loss (double), epochs since the best (int), and the history (int count, then per
 * epoch: int epoch, six doubles: loss, reconstruction, kl, validation loss, seconds, rows per second, then two
 * doubles and an int: all-rows loss, left-out rows' loss, left-out rows; see {@link EpochStats}), then, for
 * a run with trimmed-loss training only, the training rows' losses of the last epoch (int count + doubles), from
 * which the next epoch chooses the rows it leaves out.
 * Files are written atomically, so a crash during a write leaves the previous checkpoint intact; a truncated or
 * corrupted file is refused with a clear message. Version 1 files (whose history lacks the last three fields and
 * whose {@code loss} was the mean over all training rows) are still read: their epochs come back with that mean
 * as both {@code loss} and {@code allRowsLoss} and no left-out rows, as version 1 recorded no split.
 *
 * <p>The parameter arrays are in the network's flat layout ({@link dev.vae.core.nn.VaeObjective}). Checkpoints of
 * earlier builds of a run whose likelihood owns parameters (e.g. {@code gaussian-shared}) hold them in the layout in
 * which those were decoder outputs behind zero weights, under the same version number; {@link VaeTrainer#resume}
 * converts them.
 *
 * <p>Only the library's {@link dev.vae.train.optim.Adam} has its state saved here: a run with another optimiser
 * ({@link TrainingConfig#optimiserFactory()}) refuses checkpoints and resume.
 *
 * <p>Immutable: arrays are copied in and out.
 */
public final class Checkpoint {

    /** The format version this build writes and reads. */
    public static final int FORMAT_VERSION = 2;

    private static final byte[] MAGIC = {(byte) 0x89, 'V', 'A', 'E', 'C', 'K', 'P', '\n'};
    private static final int HEADER_BYTES = MAGIC.length + 4 + 8 + 32;
    private static final long MAX_BYTES = 1L << 31;

    private final String fingerprint;
    private final int epoch;
    private final float[] parameters;
    private final float[] adamFirst;
    private final float[] adamSecond;
    private final long adamSteps;
    private final float[] best;
    private final int bestEpoch;
    private final double bestLoss;
    private final int sinceBest;
    private final List<EpochStats> history;
    private final double @Nullable [] rowLosses;

    /**
     * A checkpoint (arrays copied).
     *
     * @param fingerprint what the run depends on (architecture, settings, data); resume refuses another
     * @param epoch       the last completed epoch (1-based)
     * @param parameters  the weights after that epoch
     * @param adamFirst   Adam's first-moment estimates
     * @param adamSecond  Adam's second-moment estimates
     * @param adamSteps   Adam's step count
     * @param best        the best epoch's weights
     * @param bestEpoch   the best epoch (0 = none yet)
     * @param bestLoss    the best monitored loss
     * @param sinceBest   epochs since the best one (for patience)
     * @param history     the history so far
     * @param rowLosses   trimmed-loss training only: the training rows' losses of the last epoch ({@code null} = none)
     */
    public Checkpoint(String fingerprint, int epoch, float[] parameters, float[] adamFirst, float[] adamSecond,
                      long adamSteps, float[] best, int bestEpoch, double bestLoss, int sinceBest,
                      List<EpochStats> history, double @Nullable [] rowLosses) {
        if (epoch < 1) {
            throw new IllegalArgumentException("Invalid checkpoint epoch: " + epoch);
        }
        int n = parameters.length;
        if (adamFirst.length != n || adamSecond.length != n || best.length != n) {
            throw new IllegalArgumentException("Checkpoint array lengths differ: parameters " + n + ", Adam "
                    + adamFirst.length + "/" + adamSecond.length + ", best " + best.length);
        }
        if (history.size() != epoch) {
            throw new IllegalArgumentException("Checkpoint history has " + history.size() + " epochs, expected " + epoch);
        }
        this.fingerprint = fingerprint;
        this.epoch = epoch;
        this.parameters = parameters.clone();
        this.adamFirst = adamFirst.clone();
        this.adamSecond = adamSecond.clone();
        this.adamSteps = adamSteps;
        this.best = best.clone();
        this.bestEpoch = bestEpoch;
        this.bestLoss = bestLoss;
        this.sinceBest = sinceBest;
        this.history = List.copyOf(history);
        this.rowLosses = rowLosses == null ? null : rowLosses.clone();
    }

    /** What the run depends on; {@link VaeTrainer#resume} refuses a checkpoint of another run. */
    public String fingerprint() {
        return fingerprint;
    }

    /** The last completed epoch (1-based). */
    public int epoch() {
        return epoch;
    }

    /** A copy of the weights after {@link #epoch()}. */
    public float[] parameters() {
        return parameters.clone();
    }

    /** A copy of Adam's first moments. */
    public float[] adamFirst() {
        return adamFirst.clone();
    }

    /** A copy of Adam's second moments. */
    public float[] adamSecond() {
        return adamSecond.clone();
    }

    /** Adam's step count. */
    public long adamSteps() {
        return adamSteps;
    }

    /** A copy of the best epoch's weights. */
    public float[] best() {
        return best.clone();
    }

    /** The best epoch so far (0 = none). */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The best monitored loss so far. */
    public double bestLoss() {
        return bestLoss;
    }

    /** Epochs since the best one. */
    public int sinceBest() {
        return sinceBest;
    }

    /** The history up to {@link #epoch()}. */
    public List<EpochStats> history() {
        return history;
    }

    /** A copy of the training rows' losses of the last epoch (trimmed-loss training), or null. */
    public double @Nullable [] rowLosses() {
        return rowLosses == null ? null : rowLosses.clone();
    }

    /** Atomically writes this checkpoint to {@code file}. */
    public void write(Path file) throws IOException {
        byte[] bytes = toBytes();
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /** The checkpoint as file bytes. */
    public byte[] toBytes() {
        try {
            ByteArrayOutputStream payloadBytes = new ByteArrayOutputStream(16 * parameters.length + 1024);
            DataOutputStream p = new DataOutputStream(payloadBytes);
            byte[] fp = fingerprint.getBytes(StandardCharsets.UTF_8);
            p.writeInt(fp.length);
            p.write(fp);
            p.writeInt(epoch);
            writeFloats(p, parameters);
            writeFloats(p, adamFirst);
            writeFloats(p, adamSecond);
            p.writeLong(adamSteps);
            writeFloats(p, best);
            p.writeInt(bestEpoch);
            p.writeDouble(bestLoss);
            p.writeInt(sinceBest);
            p.writeInt(history.size());
            for (EpochStats s : history) {
                p.writeInt(s.epoch());
                p.writeDouble(s.loss());
                p.writeDouble(s.reconstruction());
                p.writeDouble(s.kl());
                p.writeDouble(s.validationLoss());
                p.writeDouble(s.seconds());
                p.writeDouble(s.rowsPerSecond());
                p.writeDouble(s.allRowsLoss());
                p.writeDouble(s.leftOutLoss());
                p.writeInt(s.leftOutRows());
            }
            if (rowLosses != null) {
                p.writeInt(rowLosses.length);
                for (double v : rowLosses) {
                    p.writeDouble(v);
                }
            }
            p.flush();
            byte[] payload = payloadBytes.toByteArray();
            ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + payload.length);
            out.put(MAGIC).putInt(FORMAT_VERSION).putLong(payload.length).put(sha256(payload)).put(payload);
            return out.array();
        } catch (IOException e) {
            throw new IllegalStateException("Writing to memory failed", e);
        }
    }

    /**
     * Reads a checkpoint file.
     *
     * @throws IOException when the file cannot be read, or is not a checkpoint, truncated or corrupted (the
     *                     message names the file and the problem)
     */
    public static Checkpoint read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new IOException(file + ": checkpoint too large (" + size + " bytes)");
        }
        return fromBytes(Files.readAllBytes(file), file.toString());
    }

    /**
     * Parses checkpoint bytes; {@code source} names them in messages.
     *
     * @throws IOException when the bytes are not a whole, intact checkpoint
     */
    public static Checkpoint fromBytes(byte[] bytes, String source) throws IOException {
        if (bytes.length < HEADER_BYTES || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new IOException(source + ": not a training checkpoint (bad magic or too short)");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        b.position(MAGIC.length);
        int version = b.getInt();
        if (version != FORMAT_VERSION && version != 1) {
            throw new IOException(source + ": unsupported checkpoint version " + version + " (this build reads "
                    + "1 to " + FORMAT_VERSION + ")");
        }
        long length = b.getLong();
        if (length != bytes.length - HEADER_BYTES) {
            throw new IOException(source + ": truncated or padded checkpoint (payload " + (bytes.length - HEADER_BYTES)
                    + " bytes, header says " + length + ")");
        }
        byte[] digest = new byte[32];
        b.get(digest);
        byte[] payload = Arrays.copyOfRange(bytes, HEADER_BYTES, bytes.length);
        if (!MessageDigest.isEqual(digest, sha256(payload))) {
            throw new IOException(source + ": corrupted checkpoint (SHA-256 mismatch)");
        }
        ByteBuffer p = ByteBuffer.wrap(payload);
        try {
            byte[] fp = new byte[count(p, 1, source)];
            p.get(fp);
            int epoch = p.getInt();
            float[] params = floats(p, source);
            float[] m = floats(p, source);
            float[] v = floats(p, source);
            long steps = p.getLong();
            float[] best = floats(p, source);
            int bestEpoch = p.getInt();
            double bestLoss = p.getDouble();
            int sinceBest = p.getInt();
            int n = count(p, version == 1 ? 52 : 72, source);
            List<EpochStats> history = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                EpochStats s = new EpochStats(p.getInt(), p.getDouble(), p.getDouble(), p.getDouble(), p.getDouble(),
                        p.getDouble(), p.getDouble());
                if (version > 1) {
                    s = new EpochStats(s.epoch(), s.loss(), s.reconstruction(), s.kl(), s.validationLoss(), s.seconds(),
                            s.rowsPerSecond(), p.getDouble(), p.getDouble(), p.getInt());
                }
                history.add(s);
            }
            double[] rowLosses = null;
            if (p.hasRemaining()) {
                rowLosses = new double[count(p, 8, source)];
                for (int i = 0; i < rowLosses.length; i++) {
                    rowLosses[i] = p.getDouble();
                }
            }
            if (p.hasRemaining()) {
                throw new IOException(source + ": malformed checkpoint (" + p.remaining() + " unread bytes)");
            }
            return new Checkpoint(new String(fp, StandardCharsets.UTF_8), epoch, params, m, v, steps, best, bestEpoch,
                    bestLoss, sinceBest, history, rowLosses);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new IOException(source + ": malformed checkpoint (" + e.getMessage() + ")", e);
        }
    }

    private static int count(ByteBuffer p, int bytesPerItem, String source) throws IOException {
        int n = p.getInt();
        if (n < 0 || (long) n * bytesPerItem > p.remaining()) {
            throw new IOException(source + ": malformed checkpoint (count " + n + " exceeds the remaining bytes)");
        }
        return n;
    }

    private static float[] floats(ByteBuffer p, String source) throws IOException {
        float[] a = new float[count(p, 4, source)];
        p.asFloatBuffer().get(a);
        p.position(p.position() + 4 * a.length);
        return a;
    }

    private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        out.writeInt(a.length);
        ByteBuffer buf = ByteBuffer.allocate(4 * a.length);
        buf.asFloatBuffer().put(a);
        out.write(buf.array());
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
