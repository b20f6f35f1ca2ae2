package dev.vae.bench.quality;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Baseline detectors' results, averaged over the seeds of the file: {@code baselines.csv} (columns
 * {@code dataset,seed,method,auroc,auprc,fit_seconds}) for the tabular sets, {@code fashion_oneclass_baselines.csv}
 * ({@code k,seed,method,...}: k = the normal class) for one-class Fashion-MNIST, and likewise
 * {@code mnist_oneclass_baselines.csv} for MNIST ({@link ImageSet#baselinesFile}).
 *
 * @param means for each set (or class), for each method in file order, the mean AUROC and AUPRC over its seeds
 */
public record Baselines(Map<String, Map<String, Score>> means) {

    /**
     * The eight label-free detectors the suite ranks against. {@code vae_torch_semisup} is in the file too, but it
     * trains on the normal rows only, so it reads labels: a reference, not a competitor.
     */
    public static final List<String> LABEL_FREE = List.of("iforest", "ocsvm", "pca", "knn", "lof", "hbos", "ecod",
            "vae_torch");

    /**
     * A mean over seeds.
     *
     * @param auroc mean AUROC
     * @param auprc mean AUPRC (average precision)
     * @param seeds how many seeds were averaged
     */
    public record Score(double auroc, double auprc, int seeds) {
    }

    /** Copies the map. */
    public Baselines {
        Map<String, Map<String, Score>> copy = new LinkedHashMap<>();
        means.forEach((k, v) -> copy.put(k, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(v))));
        means = java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * Reads a baselines file: the first column names the set (or class), then {@code seed, method, auroc, auprc}.
     *
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException naming the line of a malformed row
     */
    public static Baselines read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, Map<String, double[]>> sums = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] c = lines.get(i).split(",");
            if (c.length < 5) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected at least 5 columns, got " + c.length);
            }
            try {
                double[] s = sums.computeIfAbsent(c[0], k -> new LinkedHashMap<>())
                        .computeIfAbsent(c[2], k -> new double[3]);
                s[0] += Double.parseDouble(c[3]);
                s[1] += Double.parseDouble(c[4]);
                s[2]++;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        Map<String, Map<String, Score>> means = new LinkedHashMap<>();
        sums.forEach((set, methods) -> {
            Map<String, Score> m = new LinkedHashMap<>();
            methods.forEach((method, s) -> m.put(method, new Score(s[0] / s[2], s[1] / s[2], (int) s[2])));
            means.put(set, m);
        });
        return new Baselines(means);
    }

    /**
     * These baselines and {@code other}'s in one (e.g. shared's file and the held-out sets'), this one's sets first.
     *
     * @throws IllegalArgumentException naming a set both hold: whose means would be the right ones is not clear
     */
    public Baselines merge(Baselines other) {
        Map<String, Map<String, Score>> all = new LinkedHashMap<>(means);
        other.means.forEach((set, m) -> {
            if (all.putIfAbsent(set, m) != null) {
                throw new IllegalArgumentException("Set " + set + " is in both baselines being merged");
            }
        });
        return new Baselines(all);
    }

    /** The mean of {@code method} on {@code set}, or null when the file has none. */
    public @Nullable Score get(String set, String method) {
        Map<String, Score> m = means.get(set);
        return m == null ? null : m.get(method);
    }

    /** The methods measured on {@code set}, in file order (empty when the set is absent). */
    public Set<String> methods(String set) {
        return means.getOrDefault(set, Map.of()).keySet();
    }
}
