package dev.vae.core.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The first rows of one of the shared numeric CSV files (header line; a {@code label} or {@code digit} column is
 * dropped), scaled as a model would see them. Skips the calling test when the file is absent (see
 * {@link SharedData#require}).
 *
 * @param rows     the number of rows read
 * @param features the number of feature columns
 * @param values   row-major, {@code rows x features}
 */
public record RealRows(int rows, int features, float[] values) {

    /** How to scale each column. */
    public enum Scaling {
        /** Into [0, 1] by the column's minimum and maximum (Bernoulli inputs). */
        MIN_MAX,
        /** To mean 0 and standard deviation 1 (Gaussian inputs). */
        STANDARDIZE
    }

    /** Reads at most {@code maxRows} rows of {@code relative} (e.g. {@code data/shuttle/shuttle.csv}). */
    public static RealRows read(String relative, int maxRows, Scaling scaling) {
        Path p = SharedData.require(relative);
        List<float[]> rows = new ArrayList<>();
        int skip;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(relative.endsWith(".gz")
                ? new GZIPInputStream(Files.newInputStream(p)) : Files.newInputStream(p), StandardCharsets.UTF_8))) {
            String[] header = in.readLine().split(",");
            skip = -1;
            for (int j = 0; j < header.length; j++) {
                if (header[j].equals("label") || header[j].equals("digit")) {
                    skip = j;
                }
            }
            String line;
            while (rows.size() < maxRows && (line = in.readLine()) != null) {
                String[] f = line.split(",");
                float[] row = new float[skip < 0 ? f.length : f.length - 1];
                for (int j = 0, c = 0; j < f.length; j++) {
                    if (j != skip) {
                        row[c++] = Float.parseFloat(f[j]);
                    }
                }
                rows.add(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int n = rows.size();
        int d = rows.get(0).length;
        float[] v = new float[n * d];
        for (int j = 0; j < d; j++) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            double sq = 0;
            for (float[] r : rows) {
                min = Math.min(min, r[j]);
                max = Math.max(max, r[j]);
                sum += r[j];
                sq += (double) r[j] * r[j];
            }
            double mean = sum / n;
            double sd = Math.sqrt(Math.max(sq / n - mean * mean, 0));
            for (int i = 0; i < n; i++) {
                double x = rows.get(i)[j];
                v[i * d + j] = (float) (scaling == Scaling.MIN_MAX ? (max > min ? (x - min) / (max - min) : 0)
                        : (sd > 0 ? (x - mean) / sd : 0));
            }
        }
        return new RealRows(n, d, v);
    }

    /** Row i as its own array. */
    public float[] row(int i) {
        float[] r = new float[features];
        System.arraycopy(values, i * features, r, 0, features);
        return r;
    }
}
