package dev.vae.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import dev.vae.core.likelihood.Likelihoods;
import dev.vae.core.nn.Architecture;
import dev.vae.core.testing.SharedData;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The default likelihood looks at the columns: a near-constant one makes it the Student-t. */
class NearConstantDefaultTest {

    private static Table read(String set) throws IOException {
        return CsvReader.read(SharedData.require("data/" + set + "/" + set + ".csv"), CsvOptions.withLabel("label", Set.of()));
    }

    /** 200 rows: column a is 0 but in row 7 (99.5%), b counts 0..199; {@code rows} of them. */
    private static Table table(int rows) {
        float[][] v = new float[rows][];
        for (int i = 0; i < rows; i++) {
            v[i] = new float[] {i == 7 ? 5 : 0, i};
        }
        return Table.of(List.of("a", "b"), v, null);
    }

    @Test
    void givenTablesWithAndWithoutANearConstantColumn_whenTheDefaultIsResolved_thenOnlyTheFormerGetsTheStudentT() {
        assertThat(Architecture.defaultLikelihood(table(200))).isEqualTo(Architecture.NEAR_CONSTANT_LIKELIHOOD);
        assertThat(Architecture.NEAR_CONSTANT_LIKELIHOOD.id()).isEqualTo("student-t:nu=16");
        // 99 of 100 rows is still 99%; the rare value in 2 of 100 rows is not.
        assertThat(Architecture.defaultLikelihood(table(100))).isEqualTo(Architecture.NEAR_CONSTANT_LIKELIHOOD);
        float[][] two = new float[100][];
        for (int i = 0; i < 100; i++) {
            two[i] = new float[] {i < 2 ? 5 : 0, i};
        }
        assertThat(Architecture.defaultLikelihood(Table.of(List.of("a", "b"), two, null)))
                .isEqualTo(Architecture.DEFAULT_LIKELIHOOD);
        // A constant column is no sign of anything: nothing to outweigh.
        float[][] constant = new float[100][];
        for (int i = 0; i < 100; i++) {
            constant[i] = new float[] {3, i};
        }
        assertThat(Architecture.defaultLikelihood(Table.of(List.of("a", "b"), constant, null)))
                .isEqualTo(Architecture.DEFAULT_LIKELIHOOD);
    }

    @Test
    void givenFewerRowsThanColumnsAndANearConstantColumn_whenResolved_thenTheSmallSampleRuleComesFirst() {
        float[][] v = new float[150][];
        for (int i = 0; i < 150; i++) {
            float[] row = new float[200];
            row[0] = i == 3 ? 1 : 0;
            for (int j = 1; j < 200; j++) {
                row[j] = (i * 31 + j * 17) % 13;
            }
            v[i] = row;
        }
        Table wide = Table.of(IntStream.range(0, 200).mapToObj(j -> "c" + j).toList(), v, null);
        assertThat(wide.nearConstantColumns(Architecture.NEAR_CONSTANT_SHARE)).containsExactly(0);
        assertThat(Architecture.defaultLikelihood(wide)).isEqualTo(Architecture.SMALL_SAMPLE_LIKELIHOOD);
    }

    @Test
    void givenSpamAndBreastw_whenTrainedWithDefaults_thenSpamsModelIsTheStudentTAndBreastwsTheGaussian() throws IOException {
        TrainingConfig c = TrainingConfig.defaults().toBuilder().epochs(2).threads(1).build();
        Table spam = read("spam");
        Table breastw = read("breastw");

        assertThat(c.architecture(spam).likelihood()).isEqualTo(Architecture.NEAR_CONSTANT_LIKELIHOOD);
        assertThat(new VaeTrainer(c).fit(spam).model().architecture().likelihood())
                .isEqualTo(Architecture.NEAR_CONSTANT_LIKELIHOOD);
        assertThat(new VaeTrainer(c).fit(breastw).model().architecture().likelihood())
                .isEqualTo(Architecture.DEFAULT_LIKELIHOOD);
        // The shape-only view cannot see the columns; a likelihood the user names is always kept.
        assertThat(c.architecture(spam.width(), spam.rows()).likelihood()).isEqualTo(Architecture.DEFAULT_LIKELIHOOD);
        TrainingConfig gaussian = c.toBuilder().likelihood(Likelihoods.parse("gaussian:logvar-bound=2")).build();
        assertThat(gaussian.architecture(spam).likelihood().id()).isEqualTo("gaussian:logvar-bound=2");
    }
}
