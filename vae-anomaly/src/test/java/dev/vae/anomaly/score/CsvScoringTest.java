package dev.vae.anomaly.score;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.VaeModel;
import dev.vae.core.testing.SharedData;
import dev.vae.train.TrainingConfig;
import dev.vae.train.VaeTrainer;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CsvScoringTest {

    @Test
    void givenShuttleCsvOfManyChunks_whenStreamed_thenSameScoresAndLabelsAsInMemoryInOrder() throws Exception {
        Path csv = SharedData.require("data/shuttle/shuttle.csv");
        Table all = CsvReader.read(csv, CsvOptions.withLabel("label", Set.of()));
        VaeModel model = new VaeTrainer(TrainingConfig.defaults().withEpochs(1)).fit(all.select(new int[] {0, 1, 2, 3, 4, 5, 6, 7}))
                .model();
        Scorer scorer = new Scorer(model);
        double[] expected = scorer.score(all.values(), all.rows());
        double[] streamed = new double[all.rows()];
        int[] labels = new int[all.rows()];
        long[] next = {0};
        long rows = CsvScoring.score(csv, scorer, "label", false, (first, n, scores, l, parts) -> {
            assertThat(first).isEqualTo(next[0]);
            assertThat(parts).isNull();
            System.arraycopy(scores, 0, streamed, (int) first, n);
            System.arraycopy(l, 0, labels, (int) first, n);
            next[0] += n;
        });
        assertThat(rows).isEqualTo(all.rows()).isGreaterThan(10L * CsvScoring.CHUNK);
        assertThat(streamed).containsExactly(expected);
        assertThat(labels).containsExactly(all.labels());
    }
}
