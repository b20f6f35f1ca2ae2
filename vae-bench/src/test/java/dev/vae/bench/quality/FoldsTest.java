package dev.vae.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.core.testing.SharedData;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FoldsTest {

    @Test
    void givenEverySuiteSet_whenFoldsRead_thenEachSeedIsAStratified70_30SplitOfAllRows() throws IOException {
        for (String set : Suite.ALL) {
            assertStratifiedSplits(SharedData.require("data/" + set + "/" + set + ".csv").getParent(), set);
        }
    }

    @Test
    void givenTheHeldOutSets_whenRead_thenTheirSizesAreTheReadmesAndTheirFoldsStratified70_30Splits()
            throws IOException {
        // vae-bench/heldout/README.md: rows x columns, anomalies. The files are in the repository: no skipping.
        Map<String, int[]> sizes = Map.of("digits", new int[] {1669, 61, 50}, "wbc", new int[] {378, 30, 21},
                "wine", new int[] {129, 13, 10});
        for (String set : Suite.HELD_OUT) {
            Path dir = Suite.heldOutRoot().resolve(set);
            Table data = CsvReader.read(dir.resolve(set + ".csv"), CsvOptions.withLabel("label", Set.of()));
            int anomalies = (int) Arrays.stream(data.labels()).filter(l -> l != 0).count();
            assertThat(new int[] {data.rows(), data.width(), anomalies}).as(set).isEqualTo(sizes.get(set));
            assertStratifiedSplits(dir, set);
        }
    }

    /** The set's folds cover its rows, one line each, and each seed is a stratified 70/30 split; the seeds differ. */
    private static void assertStratifiedSplits(Path dir, String set) throws IOException {
        Table data = CsvReader.read(dir.resolve(set + ".csv"), CsvOptions.withLabel("label", Set.of()));
        Folds folds = Folds.read(dir.resolve(set + ".folds.csv"));
        List<String> lines = Files.readAllLines(dir.resolve(set + ".folds.csv"));
        assertThat(folds.seeds()).as(set).containsExactly("s0", "s1", "s2", "s3", "s4");
        assertThat(folds.rows()).as(set).isEqualTo(data.rows()).isEqualTo(lines.size() - 1);
        int n = data.rows();
        int anomalies = (int) Arrays.stream(data.labels()).filter(l -> l != 0).count();
        for (int s = 0; s < 5; s++) {
            int column = s;
            long testCells = lines.stream().skip(1).filter(l -> l.split(",")[column].equals("test")).count();
            int[] train = folds.train(s);
            int[] test = folds.test(s);
            assertThat(test.length).as(set + " s" + s).isEqualTo(testCells);
            // scikit-learn's train_test_split(test_size=0.3): ceil(0.3 n) test rows, the rest train.
            assertThat(test.length).as(set + " s" + s).isEqualTo((int) Math.ceil(0.3 * n));
            assertThat(train.length + test.length).isEqualTo(n);
            assertThat(IntStream.concat(Arrays.stream(train), Arrays.stream(test)).sorted().toArray())
                    .isEqualTo(IntStream.range(0, n).toArray());
            // Stratified: the test rows hold 30% of the anomalies, to the nearest row.
            long testAnomalies = Arrays.stream(test).filter(i -> data.labels()[i] != 0).count();
            assertThat((double) testAnomalies).as(set + " s" + s).isCloseTo(0.3 * anomalies,
                    org.assertj.core.api.Assertions.within(1.0));
        }
        assertThat(folds.test(0)).as(set + ": the seeds differ").isNotEqualTo(folds.test(1));
    }

    @Test
    void givenABadCell_whenRead_thenTheLineIsNamed(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("x.folds.csv");
        Files.writeString(f, "s0,s1\ntrain,test\ntest,valid\n");
        assertThatThrownBy(() -> Folds.read(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(":3:").hasMessageContaining("valid");
    }
}
