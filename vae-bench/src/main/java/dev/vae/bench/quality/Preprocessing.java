package dev.vae.bench.quality;

import dev.vae.core.scale.Scaler;
import dev.vae.core.scale.ScalingKind;
import dev.vae.core.data.Table;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Benchmark-side transforms of a candidate's rows ({@link Candidate#scaling()}, {@link Candidate#dequantise()}),
 * for trying a recipe before it is worth a library option. Scaling is fitted on the training rows only.
 */
public final class Preprocessing {

    /** The kinds {@link #fitScaling} knows, as {@code sc=} names them. */
    public static final List<String> SCALING_KINDS = List.of("standard", "robust", "mad", "r90", "quantile");

    private Preprocessing() {
    }

    /**
     * A per-column transform fitted on training rows, applied value by value to rows of the same width: the one
     * step {@link Protocol} calls, whatever the kind.
     */
    public interface Scaling {

        /** The columns it was fitted on. */
        int width();

        /** Column {@code column}'s transform of {@code x}. */
        float apply(int column, float x);

        /**
         * A copy of {@code t} transformed column by column (labels kept).
         *
         * @throws IllegalArgumentException when {@code t}'s width is not {@link #width()}
         */
        default Table apply(Table t) {
            return transform(t, this, false, 0L);
        }
    }

    /**
     * A linear scaling {@code (x - offset[j]) / divisor[j]}.
     *
     * @param offset  per-column offset
     * @param divisor per-column divisor, positive
     */
    public record Linear(float[] offset, float[] divisor) implements Scaling {

        /** Validates the lengths and divisors. */
        public Linear {
            if (offset.length != divisor.length) {
                throw new IllegalArgumentException("Linear scaling: " + offset.length + " offsets but " + divisor.length
                        + " divisors");
            }
            for (int j = 0; j < divisor.length; j++) {
                if (!(divisor[j] > 0) || !Float.isFinite(divisor[j])) {
                    throw new IllegalArgumentException("Linear scaling: divisor of column " + j + " is " + divisor[j]
                            + " (expected a positive finite number)");
                }
            }
        }

        @Override
        public int width() {
            return offset.length;
        }

        @Override
        public float apply(int column, float x) {
            return (x - offset[column]) / divisor[column];
        }
    }

    /**
     * Per-column scaling of the {@link #SCALING_KINDS} fitted on {@code rows} rows of width {@code d}: {@code
     * standard} (mean, sd), {@code robust} (median, IQR / 1.349), {@code mad} (median, mean absolute deviation x
     * sqrt(pi / 2)) or {@code r90} (median, 5-95% range / 3.29), all {@link Linear}, the robust spreads falling back
     * to the standard deviation on a column where they are 0; or {@code quantile}, the rank-Gauss transform of
     * {@link QuantileScaling}.
     *
     * @throws IllegalArgumentException naming an unknown kind
     */
    public static Scaling fitScaling(String kind, float[] v, int rows, int d) {
        if (kind.equals("quantile")) {
            return QuantileScaling.fit(v, rows, d);
        }
        if (!SCALING_KINDS.contains(kind)) {
            throw new IllegalArgumentException("Unknown scaling '" + kind + "' (expected one of " + SCALING_KINDS + ")");
        }
        Scaler std = Scaler.fit(ScalingKind.STANDARDIZE, v, rows, d);
        float[] off = std.offset().clone();
        float[] div = std.divisor().clone();
        if (kind.equals("standard")) {
            return new Linear(off, div);
        }
        for (int j = 0; j < d; j++) {
            float[] col = new float[rows];
            for (int i = 0; i < rows; i++) {
                col[i] = v[i * d + j];
            }
            Arrays.sort(col);
            double med = quantile(col, 0.5);
            double spread = switch (kind) {
                case "robust" -> (quantile(col, 0.75) - quantile(col, 0.25)) / 1.349;
                case "mad" -> {
                    double sum = 0;
                    for (float x : col) {
                        sum += Math.abs(x - med);
                    }
                    yield sum / rows * Math.sqrt(Math.PI / 2);
                }
                case "r90" -> (quantile(col, 0.95) - quantile(col, 0.05)) / 3.29;
                default -> throw new IllegalStateException("Unhandled linear scaling " + kind);
            };
            off[j] = (float) med;
            if (spread > 1e-12) {
                div[j] = (float) spread;
            }
        }
        return new Linear(off, div);
    }

    /** The linearly interpolated {@code q}-quantile of sorted values (numpy's default). */
    public static double quantile(float[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int k = Math.min(sorted.length - 1, i + 1);
        return sorted[i] + (pos - i) * (sorted[k] - sorted[i]);
    }

    /**
     * A copy of {@code t} with U(-1/2, 1/2) noise added to its integer-valued columns when {@code noise} (drawn from
     * {@code seed}), then scaled by {@code sc} when it is not null.
     *
     * @throws IllegalArgumentException when {@code sc}'s width is not {@code t}'s
     */
    public static Table transform(Table t, @Nullable Scaling sc, boolean noise, long seed) {
        int d = t.width();
        if (sc != null && sc.width() != d) {
            throw new IllegalArgumentException("Scaling fitted on " + sc.width() + " columns applied to a table of " + d
                    + " columns (" + t.source() + ")");
        }
        float[] v = t.values().clone();
        boolean[] integer = new boolean[d];
        if (noise) {
            Arrays.fill(integer, true);
            for (int i = 0; i < t.rows(); i++) {
                for (int j = 0; j < d; j++) {
                    if (v[i * d + j] != Math.rint(v[i * d + j])) {
                        integer[j] = false;
                    }
                }
            }
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < t.rows(); i++) {
            for (int j = 0; j < d; j++) {
                float x = v[i * d + j];
                if (integer[j]) {
                    x += (float) (rnd.nextDouble() - 0.5);
                }
                if (sc != null) {
                    x = sc.apply(j, x);
                }
                v[i * d + j] = x;
            }
        }
        return new Table(t.columns(), v, t.rows(), t.labels(), t.source());
    }
}
