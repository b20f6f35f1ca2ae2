package dev.vae.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

    /** A hand-made summary: only the fields the halves table and leave-one-set-out read matter. */
    private static SetSummary summary(String set, double auroc, double auprc, double rank, double iforest,
                                      double best) {
        return new SetSummary(set, Suite.half(set), 5, auroc, 0.01, auprc, 0.02, rank, "lof", best, iforest, 0.1,
                1.0, Collections.nCopies(Baselines.LABEL_FREE.size(), 5.0));
    }

    @Test
    void givenHeldOutSets_whenTabled_thenTheirHalfIsHelAndAThirdHalvesRowHoldsTheirMeans() {
        List<SetSummary> sets = List.of(summary("pima", 0.70, 0.50, 4, 0.75, 0.75),
                summary("digits", 0.60, 0.10, 5, 0.68, 0.83), summary("wine", 0.90, 0.50, 2, 0.83, 0.92));

        String table = Report.table("defaults", sets, null);

        assertThat(table).contains("| pima | sel |").contains("| digits | hel |").contains("| wine | hel |");
        // By hand: AUROC (0.60 + 0.90) / 2, AUPRC (0.10 + 0.50) / 2, rank (5 + 2) / 2, IForest (0.68 + 0.83) / 2,
        // best per set (0.83 + 0.92) / 2; the selection row is pima's alone; no confirmation set, no row.
        assertThat(table).contains("| selection | 1 | 0.7000 | 0.5000 | 4.00 | 0.7500 | 0.7500 |")
                .contains("| held-out | 2 | 0.7500 | 0.3000 | 3.50 | 0.7550 | 0.8750 |")
                .doesNotContain("| confirmation |");
        assertThat(table.indexOf("| selection |")).isLessThan(table.indexOf("| held-out |"));
    }

    @Test
    void givenNoHeldOutSet_whenTabled_thenNoHeldOutRow() {
        String table = Report.table("defaults", List.of(summary("haberman", 0.6, 0.3, 3, 0.63, 0.7)), null);
        assertThat(table).contains("| confirmation | 1 |").doesNotContain("held-out");
    }

    @Test
    void givenCandidatesOnSharedAndHeldOutSets_whenLeftOneSetOut_thenEachSetIsScoredByTheWinnerOnTheOthers() {
        Map<String, List<SetSummary>> bySet = new LinkedHashMap<>();
        bySet.put("A", List.of(summary("pima", 0.70, 0.5, 4, 0.7, 0.8), summary("digits", 0.60, 0.1, 5, 0.7, 0.8),
                summary("wine", 0.90, 0.5, 2, 0.7, 0.9)));
        bySet.put("B", List.of(summary("pima", 0.80, 0.5, 3, 0.7, 0.8), summary("digits", 0.55, 0.1, 6, 0.7, 0.8),
                summary("wine", 0.85, 0.5, 3, 0.7, 0.9)));

        String loso = Report.leaveOneSetOut(bySet);

        // Without pima: A (0.60 + 0.90) / 2 = 0.75 beats B 0.70. Without digits: B 0.825 beats A 0.80. Without
        // wine: B 0.675 beats A 0.65. Mean of what the winners score there: (0.70 + 0.55 + 0.85) / 3 = 0.70.
        assertThat(loso).contains("| pima | `A` | 0.7000 | 4 |").contains("| digits | `B` | 0.5500 | 6 |")
                .contains("| wine | `B` | 0.8500 | 3 |").contains("| **mean** | {A=1, B=2} | **0.7000** | **4.33** |");
    }
}
