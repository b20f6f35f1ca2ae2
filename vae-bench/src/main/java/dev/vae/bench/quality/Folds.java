package dev.vae.bench.quality;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fixed splits of one tabular set: {@code <set>.folds.csv} has one line per data row (same order as the data)
 * and one column per seed ({@code s0..s4}), each cell {@code train} or {@code test}. These are the rows on which
 * {@code baselines.csv} was computed, so a detector compared with the baselines must use exactly these.
 *
 * @param seeds the seed columns, in file order ({@code s0}, {@code s1}, ...)
 * @param train for each seed, the indices of its training rows, ascending
 * @param test  for each seed, the indices of its test rows, ascending
 * @param rows  the number of data rows the file describes
 */
public record Folds(List<String> seeds, List<int[]> train, List<int[]> test, int rows) {

    /** Validates that every seed has a train and a test list. */
    public Folds {
        seeds = List.copyOf(seeds);
        train = List.copyOf(train);
        test = List.copyOf(test);
        if (seeds.isEmpty() || train.size() != seeds.size() || test.size() != seeds.size()) {
            throw new IllegalArgumentException("Folds need one train and one test list per seed: " + seeds.size()
                    + " seeds, " + train.size() + " train, " + test.size() + " test");
        }
    }

    /**
     * Reads a folds file.
     *
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException naming the line of a cell that is neither {@code train} nor {@code test}, or
     *         of a line with the wrong number of cells
     */
    public static Folds read(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) {
                throw new IllegalArgumentException(file + ": empty folds file");
            }
            List<String> seeds = List.of(header.trim().split(","));
            List<List<Integer>> train = new ArrayList<>();
            List<List<Integer>> test = new ArrayList<>();
            for (int s = 0; s < seeds.size(); s++) {
                train.add(new ArrayList<>());
                test.add(new ArrayList<>());
            }
            int row = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.trim().split(",");
                if (cells.length != seeds.size()) {
                    throw new IllegalArgumentException(file + ":" + (row + 2) + ": expected " + seeds.size()
                            + " cells, got " + cells.length);
                }
                for (int s = 0; s < cells.length; s++) {
                    switch (cells[s]) {
                        case "train" -> train.get(s).add(row);
                        case "test" -> test.get(s).add(row);
                        default -> throw new IllegalArgumentException(file + ":" + (row + 2) + ": cell '" + cells[s]
                                + "' is neither train nor test");
                    }
                }
                row++;
            }
            return new Folds(seeds, train.stream().map(Folds::toArray).toList(),
                    test.stream().map(Folds::toArray).toList(), row);
        }
    }

    /** The training rows of seed {@code s} (0-based position among {@link #seeds()}). */
    public int[] train(int s) {
        return train.get(s).clone();
    }

    /** The test rows of seed {@code s}. */
    public int[] test(int s) {
        return test.get(s).clone();
    }

    private static int[] toArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
