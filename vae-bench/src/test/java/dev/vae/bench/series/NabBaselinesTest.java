package dev.vae.bench.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.core.series.Periodicity;
import dev.vae.core.series.TimeSeries;
import dev.vae.core.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NabBaselinesTest {

    @Test
    void givenTheSharedTable_whenRead_thenEverySeriesHasItsWindowAndFourBaselinesWhoseMeanIsTheTablesOwn()
            throws IOException {
        NabBaselines b = NabBaselines.read(SharedData.require("data/NAB-BASELINES.md"));
        assertThat(b.methods()).containsExactly("sub_pca", "sub_iforest", "vae_windows", "rolling_z");
        assertThat(b.rows()).hasSize(29);
        double subPca = b.rows().values().stream().mapToDouble(r -> r.vusPr()[0]).average().orElseThrow();
        assertThat(subPca).isCloseTo(0.354, org.assertj.core.data.Offset.offset(5e-4));
        assertThat(b.rows().get("realKnownCause__nyc_taxi").window()).isEqualTo(125);
    }

    @Test
    void givenEachSeriesOfTheTable_whenItsPeriodIsEstimated_thenItIsTheWindowTheBaselinesUsed() throws IOException {
        NabBaselines b = NabBaselines.read(SharedData.require("data/NAB-BASELINES.md"));
        for (var e : b.rows().entrySet()) {
            TimeSeries s = TimeSeries.read(SharedData.require("data/nab/" + e.getKey() + ".csv"), "timestamp",
                    List.of("value"), null, Set.of(), Double.NaN, 1);
            assertThat(Periodicity.period(s.observedColumn(0))).as(e.getKey()).isEqualTo(e.getValue().window());
        }
    }

    @Test
    void givenAFileWithoutTheTableOrARaggedRow_whenRead_thenTheMessageSaysWhere(@TempDir Path dir) throws IOException {
        Path none = dir.resolve("none.md");
        Files.writeString(none, "# nothing here\n");
        assertThatThrownBy(() -> NabBaselines.read(none)).hasMessageContaining("no '## Per series: VUS-PR' table");
        Path ragged = dir.resolve("ragged.md");
        Files.writeString(ragged, "## Per series: VUS-PR (window)\n| series | window | a |\n|---|---|---|\n| s | 8 |\n");
        assertThatThrownBy(() -> NabBaselines.read(ragged)).hasMessageContaining("ragged.md:4: expected 3 cells, got 2");
    }
}
