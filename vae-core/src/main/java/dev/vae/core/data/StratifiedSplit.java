package dev.vae.core.data;

import dev.vae.core.random.Shuffle;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A seeded train/test split of a labelled table that keeps the share of anomalies (label != 0) the same in both
 * parts: each class is shuffled on its own and cut at {@code trainShare}. Rows keep their file order inside each
 * part, and the original row numbers are kept for reports.
 *
 * @param train     the training rows
 * @param test      the test rows
 * @param trainRows 0-based row numbers of the training rows in the source table, ascending
 * @param testRows  0-based row numbers of the test rows in the source table, ascending
 */
public record StratifiedSplit(Table train, Table test, int[] trainRows, int[] testRows) {

    /**
     * Splits {@code table} (which must have labels) with {@code trainShare} of each class in the training part.
     *
     * @throws IllegalArgumentException when the table has no labels or the share is not in (0, 1)
     */
    public static StratifiedSplit of(Table table, double trainShare, long seed) {
        if (!table.hasLabels()) {
            throw new IllegalArgumentException("A stratified split needs labels; " + table.source() + " has none");
        }
        if (!(trainShare > 0 && trainShare < 1)) {
            throw new IllegalArgumentException("Invalid train share: " + trainShare + " (expected 0 < share < 1)");
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        int[] labels = table.labels();
        for (int cls = 0; cls <= 1; cls++) {
            int c = cls;
            int[] rows = IntStream.range(0, labels.length).filter(i -> (labels[i] != 0 ? 1 : 0) == c).toArray();
            Shuffle.shuffle(rows, random);
            int cut = (int) Math.round(rows.length * trainShare);
            for (int i = 0; i < rows.length; i++) {
                (i < cut ? train : test).add(rows[i]);
            }
        }
        int[] tr = train.stream().mapToInt(Integer::intValue).sorted().toArray();
        int[] te = test.stream().mapToInt(Integer::intValue).sorted().toArray();
        return new StratifiedSplit(table.select(tr), table.select(te), tr, te);
    }
}
