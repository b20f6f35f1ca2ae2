package dev.vae.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

    /**
     * A hand-made summary: only the fields the halves table and leave-one-set-out read matter; its F1 is
     * AUPRC - 0.1 (precision 0.5, recall 0.6).
     */
    private static SetSummary summary(String set, double auroc, double auprc, double rank, double iforest,
                                      double best) {
        return new SetSummary(set, Suite.half(set), 5, auroc, 0.01, auprc, 0.02, auprc - 0.1, 0.5, 0.6, rank, "lof",
                best, iforest, 0.1, 1.0, Collections.nCopies(Baselines.LABEL_FREE.size(), 5.0));
    }

    /** A run whose only measured fields are the flag metrics (AUROC 0.7, AUPRC 0.5). */
    private static RunResult run(String set, int seed, double precision, double recall, double f1) {
        return new RunResult("defaults", set, seed, 0.7, 0.5, 1.0, 10, 10, 100, 50, 10, precision, recall, f1, 0.2);
    }

    /** The same baselines on every set: each label-free method at AUROC 0.6, AUPRC 0.3. */
    private static Baselines flat(String... sets) {
        Map<String, Map<String, Baselines.Score>> means = new LinkedHashMap<>();
        for (String set : sets) {
            Map<String, Baselines.Score> methods = new LinkedHashMap<>();
            Baselines.LABEL_FREE.forEach(m -> methods.put(m, new Baselines.Score(0.6, 0.3, 5)));
            means.put(set, methods);
        }
        return new Baselines(means);
    }

    @Test
    void givenHeldOutSets_whenTabled_thenTheirHalfIsHelAndAThirdHalvesRowHoldsTheirMeans() {
        List<SetSummary> sets = List.of(summary("pima", 0.70, 0.50, 4, 0.75, 0.75),
                summary("digits", 0.60, 0.10, 5, 0.68, 0.83), summary("wine", 0.90, 0.50, 2, 0.83, 0.92));

        String table = Report.table("defaults", sets, null);

        assertThat(table).contains("| pima | sel |").contains("| digits | hel |").contains("| wine | hel |");
        // By hand: AUROC (0.60 + 0.90) / 2, AUPRC (0.10 + 0.50) / 2, rank (5 + 2) / 2, IForest (0.68 + 0.83) / 2,
        // best per set (0.83 + 0.92) / 2, F1 (0.00 + 0.40) / 2; the selection row is pima's alone; no confirmation set, no row.
        assertThat(table).contains("| selection | 1 | 0.7000 | 0.5000 | 0.400 | 4.00 | 0.7500 | 0.7500 |")
                .contains("| held-out | 2 | 0.7500 | 0.3000 | 0.200 | 3.50 | 0.7550 | 0.8750 |")
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

    @Test
    void givenCandidatesOnOneSet_whenLeftOneSetOut_thenNoSectionForThereIsNoOtherSetToChooseOn() {
        Map<String, List<SetSummary>> bySet = new LinkedHashMap<>();
        bySet.put("A", List.of(summary("pima", 0.70, 0.5, 4, 0.7, 0.8)));
        bySet.put("B", List.of(summary("pima", 0.80, 0.5, 3, 0.7, 0.8)));

        assertThat(Report.leaveOneSetOut(bySet)).isEmpty();
    }

    @Test
    void givenRunsWithKnownFlagMetrics_whenSummarisedAndTabled_thenTheirMeansPerSetOverSetsAndPerHalf() {
        List<RunResult> runs = List.of(run("pima", 0, 0.4, 0.8, 0.5), run("pima", 1, 0.6, 0.6, 0.7),
                run("haberman", 0, 0.2, 0.4, 0.3), run("haberman", 1, 0, 0, 0), run("wine", 0, 1.0, 0.5, 0.6));

        List<SetSummary> sets = Report.summarise(runs, List.of("pima", "haberman", "wine"), flat("pima", "haberman", "wine"));
        String table = Report.table("defaults", sets, null);

        // By hand. pima: F1 (0.5 + 0.7) / 2 = 0.6, P (0.4 + 0.6) / 2 = 0.5, R (0.8 + 0.6) / 2 = 0.7. haberman: F1
        // 0.15, P 0.1, R 0.2 (seed 1 flagged nothing: all 0). wine: one seed, as is. Over the sets: F1
        // (0.6 + 0.15 + 0.6) / 3 = 0.45, P (0.5 + 0.1 + 1.0) / 3 = 0.5333, R (0.7 + 0.2 + 0.5) / 3 = 0.4667.
        assertThat(sets.get(0).f1Mean()).isCloseTo(0.6, within(1e-12));
        assertThat(sets.get(1).precisionMean()).isCloseTo(0.1, within(1e-12));
        assertThat(sets.get(1).recallMean()).isCloseTo(0.2, within(1e-12));
        assertThat(table).contains("| AUPRC mean ± sd | F1 of the default threshold (P / R) | rank of 9 |")
                .contains("| pima | sel | 0.7000 ± 0.0000 | 0.5000 ± 0.0000 | 0.600 (0.50 / 0.70) | ")
                .contains("| haberman | con | 0.7000 ± 0.0000 | 0.5000 ± 0.0000 | 0.150 (0.10 / 0.20) | ")
                .contains("| wine | hel | 0.7000 ± 0.0000 | 0.5000 ± 0.0000 | 0.600 (1.00 / 0.50) | ")
                .contains("| **mean of 3** | | **0.7000** | **0.5000** | **0.450 (0.53 / 0.47)** | ")
                .contains("| AUPRC | F1 of the default threshold | mean rank |")
                .contains("| selection | 1 | 0.7000 | 0.5000 | 0.600 | ")
                .contains("| confirmation | 1 | 0.7000 | 0.5000 | 0.150 | ")
                .contains("| held-out | 1 | 0.7000 | 0.5000 | 0.600 | ");
    }

    @Test
    void givenRunsReadFromACsvWithoutFlagMetrics_whenTabled_thenADashWhereTheF1WouldBe() {
        RunResult old = run("pima", 0, Double.NaN, Double.NaN, Double.NaN);

        String table = Report.table("defaults", Report.summarise(List.of(old), List.of("pima"), flat("pima")), null);

        assertThat(table).contains("| pima | sel | 0.7000 ± 0.0000 | 0.5000 ± 0.0000 | - | ")
                .contains("| **mean of 1** | | **0.7000** | **0.5000** | - | ")
                .contains("| selection | 1 | 0.7000 | 0.5000 | - | ").doesNotContain("NaN");
    }
}
