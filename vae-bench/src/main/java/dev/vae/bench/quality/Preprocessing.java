package dev.vae.bench.quality;

import dev.vae.core.scale.Scaler;
import dev.vae.core.scale.ScalingKind;
import dev.vae.core.data.Table;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Benchmark-side transforms of a candidate's rows ({@link Candidate#scaling()}, {@link Candidate#dequantise()}),
 * for trying a recipe before it is worth a library option. Scaling is fitted on the training rows only.
 */
public final class Preprocessing {

    private Preprocessing() {
    }

    /**
     * Per-column scaling fitted on {@code rows} rows of width {@code d}: {@code standard} (mean, sd), {@code robust}
     * (median, IQR / 1.349), {@code mad} (median, mean absolute deviation x sqrt(pi / 2)) or {@code r90} (median,
     * 5-95% range / 3.29); the robust spreads fall back to the standard deviation on a column where they are 0.
     *
     * @return {@code {offset, divisor}}, each of length d
     */
    public static float[][] fitScaling(String kind, float[] v, int rows, int d) {
        Scaler std = Scaler.fit(ScalingKind.STANDARDIZE, v, rows, d);
        float[] off = std.offset().clone();
        float[] div = std.divisor().clone();
        if (kind.equals("standard")) {
            return new float[][] {off, div};
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
                default -> throw new IllegalArgumentException("Unknown scaling " + kind);
            };
            off[j] = (float) med;
            if (spread > 1e-12) {
                div[j] = (float) spread;
            }
        }
        return new float[][] {off, div};
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
     */
    public static Table transform(Table t, float @Nullable [][] sc, boolean noise, long seed) {
        int d = t.width();
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
                    x = (x - sc[0][j]) / sc[1][j];
                }
                v[i * d + j] = x;
            }
        }
        return new Table(t.columns(), v, t.rows(), t.labels(), t.source());
    }
}
