package dev.vae.core.scale;

import java.util.Arrays;
import java.util.Objects;

/**
 * An affine per-column map into model space: {@code x' = (x - offset[j]) / divisor[j]}. Immutable.
 *
 * <p>A divisor rather than a multiplier, so that pixel scaling is exactly {@code x / 255} in float32, the same
 * value other tools compute.
 */
public final class Scaler {

    private final ScalingKind kind;
    private final float[] offset;
    private final float[] divisor;
    /** How many rows {@link #apply} maps in one loop: enough floats for the loop to run as vectors. */
    private final int tileRows;
    /** {@link #offset} and {@link #divisor} repeated {@link #tileRows} times. */
    private final float[] tiledOffset;
    private final float[] tiledDivisor;

    /**
     * A scaler of the given kind with explicit per-column parameters (copied).
     *
     * @throws IllegalArgumentException when the arrays differ in length or a divisor is zero or not finite
     */
    public Scaler(ScalingKind kind, float[] offset, float[] divisor) {
        this.kind = Objects.requireNonNull(kind, "kind");
        if (offset.length != divisor.length) {
            throw new IllegalArgumentException("Scaler offset and divisor lengths differ: " + offset.length + " vs " + divisor.length);
        }
        for (int j = 0; j < divisor.length; j++) {
            if (!Float.isFinite(offset[j]) || !Float.isFinite(divisor[j]) || divisor[j] == 0f) {
                throw new IllegalArgumentException("Invalid scaler parameters for column " + j + ": offset " + offset[j]
                        + ", divisor " + divisor[j]);
            }
        }
        this.offset = offset.clone();
        this.divisor = divisor.clone();
        this.tileRows = Math.max(1, TILE_FLOATS / Math.max(1, offset.length));
        this.tiledOffset = new float[tileRows * offset.length];
        this.tiledDivisor = new float[tileRows * offset.length];
        for (int r = 0; r < tileRows; r++) {
            System.arraycopy(offset, 0, tiledOffset, r * offset.length, offset.length);
            System.arraycopy(divisor, 0, tiledDivisor, r * offset.length, offset.length);
        }
    }

    /** Floats per tile of {@link #apply}: a few rows of a narrow table, one row of a wide one. */
    private static final int TILE_FLOATS = 256;

    /** The identity map on {@code width} columns. */
    public static Scaler identity(int width) {
        float[] ones = new float[width];
        Arrays.fill(ones, 1f);
        return new Scaler(ScalingKind.NONE, new float[width], ones);
    }

    /**
     * Fits a scaler of the given kind to {@code rows x width} row-major data.
     * Standardisation uses the population standard deviation; a constant column gets divisor 1.
     * Min-max is global over all columns (so images keep their relative intensities); a constant set gets divisor 1.
     */
    public static Scaler fit(ScalingKind kind, float[] data, int rows, int width) {
        if (rows < 1) {
            throw new IllegalArgumentException("Cannot fit a scaler on no rows");
        }
        return switch (kind) {
            case NONE -> identity(width);
            case STANDARDIZE -> fitStandardize(data, rows, width);
            case MIN_MAX -> fitMinMax(data, rows, width);
        };
    }

    private static Scaler fitStandardize(float[] data, int rows, int width) {
        double[] mean = new double[width];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < width; j++) {
                mean[j] += data[i * width + j];
            }
        }
        for (int j = 0; j < width; j++) {
            mean[j] /= rows;
        }
        double[] var = new double[width];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < width; j++) {
                double r = data[i * width + j] - mean[j];
                var[j] += r * r;
            }
        }
        float[] off = new float[width];
        float[] div = new float[width];
        for (int j = 0; j < width; j++) {
            double sd = Math.sqrt(var[j] / rows);
            off[j] = (float) mean[j];
            div[j] = sd > 1e-12 && Double.isFinite(sd) ? (float) sd : 1f;
            if (div[j] == 0f) {
                div[j] = 1f;
            }
        }
        return new Scaler(ScalingKind.STANDARDIZE, off, div);
    }

    private static Scaler fitMinMax(float[] data, int rows, int width) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < rows * width; i++) {
            min = Math.min(min, data[i]);
            max = Math.max(max, data[i]);
        }
        float range = max - min;
        float[] off = new float[width];
        float[] div = new float[width];
        Arrays.fill(off, min);
        Arrays.fill(div, range > 0f && Float.isFinite(range) ? range : 1f);
        return new Scaler(ScalingKind.MIN_MAX, off, div);
    }

    /** The kind of scaling. */
    public ScalingKind kind() {
        return kind;
    }

    /** The number of columns. */
    public int width() {
        return offset.length;
    }

    /** A copy of the per-column offsets. */
    public float[] offset() {
        return offset.clone();
    }

    /** A copy of the per-column divisors. */
    public float[] divisor() {
        return divisor.clone();
    }

    /** Maps {@code rows} raw rows from {@code in} to model space in {@code out} (which may be {@code in}). */
    public void apply(float[] in, int inOff, float[] out, int outOff, int rows) {
        int w = offset.length;
        // Rows go through a copy, a tile of several rows at a time, against the parameters repeated as often: HotSpot
        // vectorises a loop only when its arrays share one offset, and a 30-column row is too short a loop (measured:
        // a tabular batch spent 11% of its scoring time here, element by element). Each element gets the same two
        // float operations either way, so the bits are those of a plain loop.
        float[] tile = new float[Math.min(rows, tileRows) * w];
        for (int i = 0; i < rows; i += tileRows) {
            int len = Math.min(tileRows, rows - i) * w;
            System.arraycopy(in, inOff + i * w, tile, 0, len);
            for (int t = 0; t < len; t++) {
                tile[t] = (tile[t] - tiledOffset[t]) / tiledDivisor[t];
            }
            System.arraycopy(tile, 0, out, outOff + i * w, len);
        }
    }

    /** Maps {@code rows} rows from model space back to raw units. */
    public void invert(float[] in, int inOff, float[] out, int outOff, int rows) {
        int w = offset.length;
        for (int i = 0; i < rows; i++) {
            int a = inOff + i * w;
            int b = outOff + i * w;
            for (int j = 0; j < w; j++) {
                out[b + j] = in[a + j] * divisor[j] + offset[j];
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Scaler s && s.kind == kind && Arrays.equals(s.offset, offset)
                && Arrays.equals(s.divisor, divisor);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, Arrays.hashCode(offset), Arrays.hashCode(divisor));
    }

    @Override
    public String toString() {
        return "Scaler[" + kind.id() + ", " + offset.length + " columns]";
    }
}
