package dev.vae.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vae.core.testing.SharedData;
import java.io.IOException;
import org.junit.jupiter.api.Test;

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
    void givenFashionBaselines_whenRead_thenPerClassMeansMatchBaselinesMd() throws IOException {
        Baselines b = Baselines.read(SharedData.require("data/fashion_oneclass_baselines.csv"));
        assertThat(b.get("0", "iforest").auroc()).isCloseTo(0.912, within(0.0005));
        // vae_torch: the mean of 2 seeds (0.6247, 0.6288).
        assertThat(b.get("0", "vae_torch").seeds()).isEqualTo(2);
        assertThat(b.get("0", "vae_torch").auroc()).isCloseTo(0.627, within(0.0005));
        assertThat(b.get("6", "pca").auroc()).isCloseTo(0.768, within(0.0005));
    }
}
