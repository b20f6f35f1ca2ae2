package dev.vae.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vae.core.testing.SharedData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselinesTest {

    @Test
    void givenBaselinesCsv_whenRead_thenEverySetHasTheEightLabelFreeMethodsOverFiveSeeds() throws IOException {
        Baselines b = Baselines.read(SharedData.require("data/baselines.csv"));
        for (String set : Suite.ALL) {
            assertThat(b.methods(set)).as(set).containsAll(Baselines.LABEL_FREE);
            for (String m : Baselines.LABEL_FREE) {
                assertThat(b.get(set, m).seeds()).as(set + " " + m).isEqualTo(5);
            }
        }
        // BASELINES.md's table, rounded to 3 decimals there.
        assertThat(b.get("haberman", "iforest").auroc()).isCloseTo(0.632, within(0.0005));
        assertThat(b.get("vehicle", "knn").auroc()).isCloseTo(0.769, within(0.0005));
        assertThat(b.get("shuttle", "pca").auroc()).isCloseTo(0.513, within(0.0005));
        assertThat(b.get("nothing", "iforest")).isNull();
    }

    @Test
    void givenAllAndHeldOutSets_whenTheirBaselinesAreRead_thenOneTableWithEightMethodsOverFiveSeedsForEach()
            throws IOException {
        SharedData.require("data/baselines.csv");
        Suite.Plan plan = new Suite.Plan(List.of("defaults"), Suite.sets("all+held-out"), 5, 1, List.of(), List.of(), 0,
                SharedData.root(), Suite.heldOutRoot());
        Baselines b = Suite.tabularBaselines(plan);
        assertThat(b.means().keySet()).containsAll(plan.sets());
        for (String set : plan.sets()) {
            assertThat(b.methods(set)).as(set).containsAll(Baselines.LABEL_FREE);
            for (String m : Baselines.LABEL_FREE) {
                assertThat(b.get(set, m).seeds()).as(set + " " + m).isEqualTo(5);
            }
        }
        // heldout/baselines.csv, by hand: lof on wine 0.8889, 0.9444, 0.9907, 0.8148, 0.9722; hbos on digits
        // 0.8178, 0.8248, 0.8711, 0.8246, 0.8198.
        assertThat(b.get("wine", "lof").auroc()).isCloseTo(4.6110 / 5, within(1e-12));
        assertThat(b.get("digits", "hbos").auroc()).isCloseTo(4.1581 / 5, within(1e-12));
        assertThat(b.get("haberman", "iforest").auroc()).isCloseTo(0.632, within(0.0005));
    }

    @Test
    void givenOnlyHeldOutSets_whenTheirBaselinesAreRead_thenTheSharedFileIsNotNeeded(@TempDir Path nowhere)
            throws IOException {
        Suite.Plan plan = new Suite.Plan(List.of("defaults"), Suite.HELD_OUT, 5, 1, List.of(), List.of(), 0, nowhere,
                Suite.heldOutRoot());
        assertThat(Suite.tabularBaselines(plan).means().keySet()).containsExactly("digits", "wbc", "wine");
    }

    @Test
    void givenTheSameSetInBoth_whenMerged_thenRefusedNamingIt() {
        Baselines a = new Baselines(Map.of("wine", Map.of("iforest", new Baselines.Score(0.8, 0.3, 5))));
        Baselines b = new Baselines(Map.of("wine", Map.of("lof", new Baselines.Score(0.9, 0.5, 5)),
                "wbc", Map.of("lof", new Baselines.Score(0.95, 0.6, 5))));
        assertThatThrownBy(() -> a.merge(b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Set wine");
        Baselines merged = a.merge(new Baselines(Map.of("wbc", Map.of("lof", new Baselines.Score(0.95, 0.6, 5)))));
        assertThat(merged.means().keySet()).containsExactly("wine", "wbc");
        assertThat(merged.get("wbc", "lof").auroc()).isEqualTo(0.95);
    }

    @Test
    void givenThePlansImageSets_whenTheirBaselinesAreLocated_thenMnistsIsInTheHeldOutFolderAndFashionsInShared()
            throws IOException {
        Suite.Plan plan = new Suite.Plan(List.of("defaults"), List.of(), 1, 1,
                List.of(ImageSet.FASHION, ImageSet.MNIST), List.of(0), 0, SharedData.root(), Suite.heldOutRoot());
        assertThat(plan.imageBaselines(ImageSet.FASHION))
                .isEqualTo(SharedData.root().resolve("data/fashion_oneclass_baselines.csv"));
        assertThat(plan.imageBaselines(ImageSet.MNIST))
                .isEqualTo(Suite.heldOutRoot().resolve("mnist_oneclass_baselines.csv"));
        assertThat(plan.imageFolder(ImageSet.MNIST)).isEqualTo(SharedData.root().resolve("data/mnist"));

        Baselines b = Baselines.read(plan.imageBaselines(ImageSet.MNIST));

        assertThat(b.means().keySet()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        for (String k : b.means().keySet()) {
            assertThat(b.methods(k)).as(k).containsExactly("iforest", "pca", "pca_unscaled");
            for (String m : b.methods(k)) {
                assertThat(b.get(k, m).seeds()).as(k + " " + m).isEqualTo(1);
            }
        }
        // mnist_oneclass_baselines.csv by hand: digit 0's iforest 0.9658 / 0.9948, digit 8's pca 0.7999; the AUROC
        // of iforest sums to 8.5767 over the digits, pca to 9.1704, pca_unscaled to 9.3003 (heldout/README.md).
        assertThat(b.get("0", "iforest")).isEqualTo(new Baselines.Score(0.9658, 0.9948, 1));
        assertThat(b.get("8", "pca").auroc()).isEqualTo(0.7999);
        assertThat(b.means().values().stream().mapToDouble(m -> m.get("iforest").auroc()).sum())
                .isCloseTo(8.5767, within(1e-9));
        assertThat(b.means().values().stream().mapToDouble(m -> m.get("pca").auroc()).sum())
                .isCloseTo(9.1704, within(1e-9));
        assertThat(b.means().values().stream().mapToDouble(m -> m.get("pca_unscaled").auroc()).sum())
                .isCloseTo(9.3003, within(1e-9));
    }

    @Test
    void givenFashionBaselines_whenRead_thenPerClassMeansMatchBaselinesMd() throws IOException {
        Baselines b = Baselines.read(SharedData.require("data/fashion_oneclass_baselines.csv"));
        assertThat(b.get("0", "iforest").auroc()).isCloseTo(0.912, within(0.0005));
        // vae_torch: the mean of 2 seeds (0.6247, 0.6288).
        assertThat(b.get("0", "vae_torch").seeds()).isEqualTo(2);
        assertThat(b.get("0", "vae_torch").auroc()).isCloseTo(0.627, within(0.0005));
        assertThat(b.get("6", "pca").auroc()).isCloseTo(0.768, within(0.0005));
    }
}
