package dev.vae.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.core.testing.SharedData;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StratifiedSplitTest {

    @Test
    void givenShuttle_whenSplit70To30_thenEachPartKeepsTheAnomalyShareAndTheRowsPartitionTheTable() throws Exception {
        Table t = CsvReader.read(SharedData.require("data/shuttle/shuttle.csv"), CsvOptions.withLabel("label", Set.of()));
        StratifiedSplit s = StratifiedSplit.of(t, 0.7, 42);
        int[] all = IntStream.concat(Arrays.stream(s.trainRows()), Arrays.stream(s.testRows())).sorted().toArray();
        assertThat(all).isEqualTo(IntStream.range(0, t.rows()).toArray());
        double share = anomalies(t) / (double) t.rows();
        assertThat(anomalies(s.train()) / (double) s.train().rows()).isCloseTo(share, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(anomalies(s.test()) / (double) s.test().rows()).isCloseTo(share, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(s.train().rows()).isEqualTo((int) Math.round(3511 * 0.7) + (int) Math.round((t.rows() - 3511) * 0.7));
        assertThat(StratifiedSplit.of(t, 0.7, 42).testRows()).isEqualTo(s.testRows());
        assertThat(StratifiedSplit.of(t, 0.7, 43).testRows()).isNotEqualTo(s.testRows());
    }

    @Test
    void givenNoLabelsOrABadShare_whenSplit_thenTheErrorSaysWhy() {
        Table unlabelled = new Table(java.util.List.of("a"), new float[] {1, 2}, 2, null, "memory");
        assertThatThrownBy(() -> StratifiedSplit.of(unlabelled, 0.7, 1)).hasMessageContaining("needs labels");
        Table labelled = new Table(java.util.List.of("a"), new float[] {1, 2}, 2, new int[] {0, 1}, "memory");
        assertThatThrownBy(() -> StratifiedSplit.of(labelled, 1.0, 1)).hasMessageContaining("Invalid train share: 1.0");
    }

    private static long anomalies(Table t) {
        return Arrays.stream(t.labels()).filter(l -> l != 0).count();
    }
}
