package dev.vae.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.bench.LongOptions;
import dev.vae.core.testing.SharedData;
import dev.vae.train.TrainingConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuiteTest {

    private static Suite.Plan plan(List<String> candidates, int seeds, int jobs) {
        SharedData.require("data/haberman/haberman.folds.csv");
        return new Suite.Plan(candidates, List.of("haberman"), seeds, jobs, List.of(), List.of(), 0, SharedData.root(),
                Suite.heldOutRoot());
    }

    private static RunResult result(String set, int seed) {
        return new RunResult("defaults", set, seed, 0.7, 0.5, 1.0, 10, 10, 100, 50, 10, 0.5, 0.5, 0.5, 0.2);
    }

    @Test
    void givenOneJobThatFails_whenRunInOrder_thenTheOthersStillRunAndTheirResultsAreKeptAndWritten(@TempDir Path dir)
            throws Exception {
        List<java.util.concurrent.Callable<RunResult>> jobs = List.of(() -> result("pima", 0), () -> {
            throw new IllegalArgumentException("diverged on purpose");
        }, () -> result("pima", 2), () -> result("pima", 3));

        Suite.PartialRuns e = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> Suite.inOrder(jobs, 2, "suite"), Suite.PartialRuns.class);

        assertThat(e).hasMessageContaining("A suite run failed (1 of 4)").hasMessageContaining("diverged on purpose")
                .hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(e.finished()).extracting(RunResult::seed).containsExactly(0, 2, 3);
        Path csv = dir.resolve("partial.csv");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(e.saveFinished(csv.toString(), new PrintStream(err, true))).isSameAs(e);
        assertThat(RunResult.readCsv(csv)).isEqualTo(e.finished());
        assertThat(err.toString()).contains("3 finished runs are in " + csv);
    }

    @Test
    void givenHaberman_whenSuiteRuns_thenOneRowPerSeedWithTheFoldCountsAndMetricsInRange() throws Exception {
        Suite.Plan plan = plan(List.of("e=10"), 1, 2);
        List<RunResult> runs = Suite.run(plan, new PrintStream(new ByteArrayOutputStream()));

        assertThat(runs).hasSize(1);
        RunResult r = runs.get(0);
        assertThat(r.set()).isEqualTo("haberman");
        assertThat(r.candidate()).isEqualTo("e=10");
        assertThat(r.seed()).isZero();
        // 306 rows, 81 anomalies: ceil(0.3 * 306) = 92 test rows, 24 of them anomalies.
        assertThat(r.trainRows()).isEqualTo(214);
        assertThat(r.testRows()).isEqualTo(92);
        assertThat(r.testAnomalies()).isEqualTo(24);
        assertThat(r.epochs()).isBetween(1, 10);
        assertThat(r.auroc()).isBetween(0.0, 1.0);
        // Average precision is at least about the share of anomalies only for a useful score; any score is > 0.
        assertThat(r.auprc()).isGreaterThan(0.0).isLessThanOrEqualTo(1.0);
        // The default threshold's flags are measured on every run (ProtocolTest checks their values).
        assertThat(r.f1()).isBetween(0.0, 1.0);
        assertThat(r.flaggedShare()).isBetween(0.0, 1.0);

        Baselines b = Baselines.read(SharedData.require("data/baselines.csv"));
        List<SetSummary> sets = Report.summarise(runs, plan.sets(), b);
        assertThat(sets).hasSize(1);
        assertThat(sets.get(0).half()).isEqualTo("confirmation");
        assertThat(sets.get(0).rank()).isBetween(1.0, 9.0);
        assertThat(sets.get(0).bestBaseline()).isEqualTo("lof");
        String report = Suite.tabularReport(plan, runs, b);
        assertThat(report).contains("| haberman | con |").contains("| confirmation | 1 |");
        assertThat(r.csv()).startsWith("\"e=10\",haberman,0,");
    }

    @Test
    void givenTwoJobsAtATime_whenRunTwice_thenTheSameNumbersAsOneAtATime() throws Exception {
        List<String> candidates = List.of("e=5", "e=5/lik=gaussian-shared");
        List<RunResult> parallel = Suite.run(plan(candidates, 2, 2), new PrintStream(new ByteArrayOutputStream()));
        List<RunResult> serial = Suite.run(plan(candidates, 2, 1), new PrintStream(new ByteArrayOutputStream()));
        assertThat(parallel).hasSize(4);
        for (int i = 0; i < serial.size(); i++) {
            assertThat(parallel.get(i).candidate()).isEqualTo(serial.get(i).candidate());
            assertThat(parallel.get(i).seed()).isEqualTo(serial.get(i).seed());
            assertThat(parallel.get(i).auroc()).isEqualTo(serial.get(i).auroc());
            assertThat(parallel.get(i).auprc()).isEqualTo(serial.get(i).auprc());
        }
        // The two candidates are different models, so the check above compares something.
        assertThat(parallel.get(0).auprc()).isNotEqualTo(parallel.get(2).auprc());
    }

    @Test
    void givenDefaults_whenParsed_thenTheLibraryDefaultsWithOneThread() {
        TrainingConfig expected = TrainingConfig.defaults().toBuilder().threads(1).build();
        assertThat(Candidate.parse("defaults", 9).config()).isEqualTo(expected);
        assertThat(Candidate.parse("", 9).config()).isEqualTo(expected);
        assertThat(Candidate.parse("defaults", 9).isDefaults()).isTrue();
        Candidate c = Candidate.parse("lik=gaussian/trim=0/h=2/e=7", 9);
        assertThat(c.config().hidden()).containsExactly(18);
        assertThat(c.config().epochs()).isEqualTo(7);
        assertThat(c.config().trimFraction()).isZero();
        assertThat(c.config().likelihood().id()).isEqualTo("gaussian");
        assertThatThrownBy(() -> Candidate.parse("x=1", 9)).hasMessageContaining("Unknown candidate key 'x'");
        assertThatThrownBy(() -> Candidate.parse("e=ten", 9)).hasMessageContaining("'ten'");
    }

    @Test
    void givenClassRanges_whenParsed_thenListed() {
        assertThat(Suite.classes("0-3")).containsExactly(0, 1, 2, 3);
        assertThat(Suite.classes("0,1,7")).containsExactly(0, 1, 7);
        assertThat(Suite.ALL).hasSize(13).doesNotHaveDuplicates();
    }

    @Test
    void givenASetOfEachGroup_whenItsHalfIsAsked_thenTheGroupIsNamed() {
        assertThat(Suite.half("pima")).isEqualTo("selection");
        assertThat(Suite.half("haberman")).isEqualTo("confirmation");
        for (String set : Suite.HELD_OUT) {
            assertThat(Suite.half(set)).as(set).isEqualTo("held-out");
        }
        assertThat(Suite.half("mnist")).isEqualTo("other");
        assertThat(Suite.HELD_OUT).containsExactly("digits", "wbc", "wine").doesNotContainAnyElementsOf(Suite.ALL);
    }

    @Test
    void givenSetKeywordsOrAList_whenParsed_thenTheirSetsInOrder() {
        assertThat(Suite.sets("all")).isEqualTo(Suite.ALL);
        assertThat(Suite.sets("held-out")).containsExactly("digits", "wbc", "wine");
        assertThat(Suite.sets("all+held-out")).hasSize(16).startsWith("shuttle").endsWith("digits", "wbc", "wine")
                .containsAll(Suite.ALL);
        assertThat(Suite.sets("none")).isEmpty();
        assertThat(Suite.sets("wine, pima,haberman")).containsExactly("wine", "pima", "haberman");
    }

    @Test
    void givenAnUnknownOrRepeatedSet_whenParsed_thenRefusedNamingIt() {
        assertThatThrownBy(() -> Suite.sets("pima,mnist")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown set 'mnist'").hasMessageContaining("held-out")
                .hasMessageContaining("wine");
        assertThatThrownBy(() -> Suite.sets("heldout")).hasMessageContaining("Unknown set 'heldout'");
        assertThatThrownBy(() -> Suite.sets("wbc,wbc")).hasMessageContaining("'wbc' named twice");
    }

    @Test
    void givenWine_whenSuiteRuns_thenItIsReadFromTheHeldOutFolderAndReportedAsHeldOut() throws Exception {
        Suite.Plan plan = new Suite.Plan(List.of("e=5"), List.of("wine"), 1, 1, List.of(), List.of(), 0,
                SharedData.root(), Suite.heldOutRoot());
        assertThat(plan.folder("wine")).isEqualTo(Suite.heldOutRoot().resolve("wine"));
        assertThat(plan.folder("pima")).isEqualTo(SharedData.root().resolve("data").resolve("pima"));

        List<RunResult> runs = Suite.run(plan, new PrintStream(new ByteArrayOutputStream()));

        // 129 rows, 10 anomalies: ceil(0.3 * 129) = 39 test rows, 3 of them anomalies.
        assertThat(runs).singleElement().satisfies(r -> {
            assertThat(r.trainRows()).isEqualTo(90);
            assertThat(r.testRows()).isEqualTo(39);
            assertThat(r.testAnomalies()).isEqualTo(3);
        });
        String report = Suite.tabularReport(plan, runs, Suite.tabularBaselines(plan));
        assertThat(report).contains("| wine | hel |").contains("| held-out | 1 |").doesNotContain("| selection |");
    }

    /** The plan of a command line, as {@link Suite#main} makes it, with {@code saved} as the runs of --from-csv. */
    private static Suite.Plan planOf(List<RunResult> saved, String... args) {
        return Suite.plan(LongOptions.parse(args), saved);
    }

    /** A saved run of the defaults on {@code set}; only its name matters here. */
    private static RunResult saved(String set) {
        return new RunResult("defaults", set, 0, 0.9, 0.98, 1, 2, 2, 6000, 10000, 9000, 0.8, 0.2, 0.5, 0.1);
    }

    @Test
    void givenImagesOptions_whenPlanned_thenTheirImageSetsWithTheClassesAndBareImagesIsFashion() {
        Suite.Plan bare = planOf(List.of(), "--sets", "none", "--images", "--image-epochs", "2");
        assertThat(bare.images()).containsExactly(ImageSet.FASHION);
        assertThat(bare.classes()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(bare.imageEpochs()).isEqualTo(2);
        assertThat(planOf(List.of(), "--sets", "none", "--images").images()).containsExactly(ImageSet.FASHION);
        assertThat(planOf(List.of(), "--classes", "3").images()).containsExactly(ImageSet.FASHION);

        Suite.Plan mnist = planOf(List.of(), "--sets", "none", "--images", "mnist", "--classes", "0");
        assertThat(mnist.images()).containsExactly(ImageSet.MNIST);
        assertThat(mnist.classes()).containsExactly(0);
        assertThat(mnist.sets()).isEmpty();
        assertThat(planOf(List.of(), "--images", "fashion,mnist").images())
                .containsExactly(ImageSet.FASHION, ImageSet.MNIST);

        Suite.Plan none = planOf(List.of(), "--sets", "wine");
        assertThat(none.images()).isEmpty();
        assertThat(none.classes()).isEmpty();
    }

    @Test
    void givenABadImagesValue_whenPlanned_thenRefusedNamingTheOption() {
        assertThatThrownBy(() -> planOf(List.of(), "--images", "digits")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--images digits").hasMessageContaining("expected fashion, mnist");
        assertThatThrownBy(() -> planOf(List.of(), "--images", "fashion,mnist,fashion"))
                .hasMessageContaining("'fashion' named twice in --images");
        assertThatThrownBy(() -> planOf(List.of(), "--image", "mnist")).hasMessageContaining("Unknown option --image");
        assertThatThrownBy(() -> planOf(List.of(), "--images", "mnist", "--classes", "10"))
                .hasMessageContaining("Invalid image class: 10");
        assertThatThrownBy(() -> new Suite.Plan(List.of("defaults"), List.of(), 1, 1, List.of(ImageSet.MNIST),
                List.of(), 0, SharedData.root(), Suite.heldOutRoot())).hasMessageContaining("both or neither");
    }

    @Test
    void givenSavedRunsOfBothImageSets_whenReportedFromCsv_thenBareImagesTakesTheirSetsAndTheClassesFilterThem() {
        List<RunResult> saved = List.of(saved("mnist/0"), saved("mnist/5"), saved("fashion_mnist/0"), saved("pima"));

        // A bare --images reports the image sets the saved runs hold, as a missing --candidates their candidates.
        Suite.Plan both = planOf(saved, "--sets", "pima", "--images", "--classes", "0");
        assertThat(both.images()).containsExactly(ImageSet.FASHION, ImageSet.MNIST);
        assertThat(Suite.ofPlan(both, saved)).extracting(RunResult::set)
                .containsExactly("mnist/0", "fashion_mnist/0", "pima");

        Suite.Plan mnist = planOf(saved, "--sets", "none", "--images", "mnist");
        assertThat(Suite.ofPlan(mnist, saved)).extracting(RunResult::set).containsExactly("mnist/0", "mnist/5");
        // Saved runs without images: a bare --images is Fashion-MNIST, as without --from-csv.
        assertThat(planOf(List.of(saved("pima")), "--images").images()).containsExactly(ImageSet.FASHION);
    }

    @Test
    void givenRunsOfBothImageSets_whenEachIsReported_thenEachSectionHoldsItsOwnRunsBesideItsOwnBaselines()
            throws IOException {
        SharedData.require("data/fashion_oneclass_baselines.csv");
        Suite.Plan plan = planOf(List.of(), "--sets", "none", "--images", "fashion,mnist", "--classes", "0", "--shared",
                SharedData.root().toString(), "--heldout", Suite.heldOutRoot().toString());
        List<RunResult> runs = List.of(saved("fashion_mnist/0"), saved("mnist/0"));

        String fashion = Suite.imageReport(plan, ImageSet.FASHION, runs,
                Baselines.read(plan.imageBaselines(ImageSet.FASHION)));
        String mnist = Suite.imageReport(plan, ImageSet.MNIST, runs, Baselines.read(plan.imageBaselines(ImageSet.MNIST)));

        // Fashion-MNIST class 0: iforest 0.912, pca 0.866, vae_torch 0.627 (BASELINES.md); MNIST digit 0: iforest
        // 0.966, pca 0.950, pca_unscaled 0.978 (mnist_oneclass_baselines.csv).
        assertThat(fashion).startsWith("## One-class Fashion-MNIST (").contains("`fashion_oneclass_baselines.csv`")
                .contains("| iforest | pca | vae_torch | epochs (kept) |")
                .contains("| 0 | 0.9000 | 0.9800 | 0.500 (0.80 / 0.20) | 0.912 | 0.866 | 0.627 |")
                .contains("| **mean of 1** |").doesNotContain("held-out");
        assertThat(mnist).startsWith("## One-class MNIST, a held-out image kind")
                .contains("`mnist_oneclass_baselines.csv` in the held-out folder")
                .contains("| iforest | pca | pca_unscaled | epochs (kept) |")
                .contains("| 0 | 0.9000 | 0.9800 | 0.500 (0.80 / 0.20) | 0.966 | 0.950 | 0.978 |")
                .contains("| **mean of 1** |").doesNotContain("vae_torch");
    }

    @Test
    void givenMnistDigitZero_whenSuiteRunsTwoEpochs_thenOneMnistRunOnTheOfficialImagesBesideItsHeldOutBaselines()
            throws Exception {
        SharedData.require("data/mnist/mnist_train.csv.gz");
        SharedData.require("data/mnist/mnist_test.csv.gz");
        Suite.Plan plan = planOf(List.of(), "--sets", "none", "--images", "mnist", "--classes", "0", "--image-epochs",
                "2", "--jobs", "1", "--shared", SharedData.root().toString(), "--heldout",
                Suite.heldOutRoot().toString());

        List<RunResult> runs = Suite.run(plan, new PrintStream(new ByteArrayOutputStream()));

        // 5,923 training images of digit 0; all 10,000 test images, of which 980 are zeros.
        RunResult r = runs.get(0);
        assertThat(runs).hasSize(1);
        assertThat(r.set()).isEqualTo("mnist/0");
        assertThat(r.candidate()).isEqualTo("defaults");
        assertThat(r.trainRows()).isEqualTo(5923);
        assertThat(r.testRows()).isEqualTo(10000);
        assertThat(r.testAnomalies()).isEqualTo(10000 - 980);
        assertThat(r.epochs()).isEqualTo(2);
        assertThat(r.auroc()).isBetween(0.0, 1.0);
        assertThat(r.auprc()).isGreaterThan(0.0).isLessThanOrEqualTo(1.0);
        assertThat(r.f1()).isBetween(0.0, 1.0);

        String report = Suite.imageReport(plan, ImageSet.MNIST, runs,
                Baselines.read(plan.imageBaselines(ImageSet.MNIST)));
        assertThat(report).contains("## One-class MNIST, a held-out image kind").contains("at most 2 epochs")
                .contains("`mnist_oneclass_baselines.csv`")
                .contains(String.format(Locale.ROOT, "| 0 | %.4f | %.4f |", r.auroc(), r.auprc()))
                .contains(" | 0.966 | 0.950 | 0.978 | 2 (");
    }
}
