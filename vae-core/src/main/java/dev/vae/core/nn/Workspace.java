package dev.vae.core.nn;

/**
 * Reusable buffers for forward and backward passes over batches of up to {@link #capacity()} rows. Not
 * thread-safe: one workspace per thread. Buffers grow on demand, so the steady state allocates nothing.
 */
public final class Workspace {

    private final DenseStack encoder;
    private final DenseStack decoder;
    private final int latent;
    private final int rawWidth;
    private int capacity;
    float[][] encoderOuts;
    float[][] decoderOuts;
    float[] z;
    /** Raw likelihood rows (n x raw width) when the likelihood owns parameters; else null: the decoder's output is. */
    float[] raw;
    float[] dRaw;
    /** The decoder outputs' part of {@link #dRaw} when the likelihood owns parameters; else null: dRaw is. */
    float[] dDecoded;
    float[] dHead;
    float[] dz;
    /** The latent standard deviations exp(logvar / 2) of the last training forward pass, which its backward pass reuses. */
    float[] sd;
    /** The latent exponentials of the last training forward pass ({@link ElboPass#klDivergences}), n x latent. */
    double[] exps;
    /** Each row's KL term of the last training forward pass. */
    double[] kl;
    float[] scratchA;
    float[] scratchB;
    /** Column-layout buffers of each stack for inference, made on first use ({@link DenseStack#forwardColumns}). */
    private float[][][] encoderColumns;
    private float[][][] decoderColumns;

    Workspace(DenseStack encoder, DenseStack decoder, int latent, int rawWidth, int capacity) {
        this.encoder = encoder;
        this.decoder = decoder;
        this.latent = latent;
        this.rawWidth = rawWidth;
        allocate(Math.max(1, capacity));
    }

    /** The number of rows the buffers currently hold. */
    public int capacity() {
        return capacity;
    }

    /** Grows the buffers to hold at least {@code rows} rows. */
    public void ensure(int rows) {
        if (rows > capacity) {
            allocate(Math.max(rows, capacity + capacity / 2));
        }
    }

    private void allocate(int rows) {
        capacity = rows;
        encoderOuts = new float[encoder.layers()][];
        for (int l = 0; l < encoder.layers(); l++) {
            encoderOuts[l] = new float[rows * encoder.width(l + 1)];
        }
        decoderOuts = new float[decoder.layers()][];
        for (int l = 0; l < decoder.layers(); l++) {
            decoderOuts[l] = new float[rows * decoder.width(l + 1)];
        }
        z = new float[rows * latent];
        int decoded = decoder.width(decoder.layers());
        dRaw = new float[rows * rawWidth];
        raw = rawWidth == decoded ? null : new float[rows * rawWidth];
        dDecoded = rawWidth == decoded ? null : new float[rows * decoded];
        dHead = new float[rows * encoder.width(encoder.layers())];
        dz = new float[rows * latent];
        sd = new float[rows * latent];
        exps = new double[rows * latent];
        kl = new double[rows];
        int scratch = rows * Math.max(encoder.maxOutputWidth(), decoder.maxOutputWidth());
        scratchA = new float[scratch];
        scratchB = new float[scratch];
    }

    /** The encoder's column buffers for {@link DenseStack#forwardColumns} of up to {@link #capacity()} rows. */
    float[][][] encoderColumns() {
        if (encoderColumns == null || encoderColumns[0][0].length < capacity) {
            encoderColumns = encoder.newColumns(capacity);
        }
        return encoderColumns;
    }

    /** The decoder's column buffers for {@link DenseStack#forwardColumns} of up to {@link #capacity()} rows. */
    float[][][] decoderColumns() {
        if (decoderColumns == null || decoderColumns[0][0].length < capacity) {
            decoderColumns = decoder.newColumns(capacity);
        }
        return decoderColumns;
    }

    /** The encoder's output of the last forward pass (n x encoder output width): mu then logvar for a VAE. */
    public float[] encoderOutput() {
        return encoderOuts[encoderOuts.length - 1];
    }

    /** The latent codes of the last forward pass (n x K). */
    public float[] latent() {
        return z;
    }

    /** The decoder's raw output of the last forward pass (n x raw width). */
    public float[] decoderOutput() {
        return decoderOuts[decoderOuts.length - 1];
    }
}
