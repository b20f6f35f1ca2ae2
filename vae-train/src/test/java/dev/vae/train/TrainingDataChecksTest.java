package dev.vae.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import dev.vae.core.likelihood.Likelihoods;
import dev.vae.core.nn.Architecture;
import dev.vae.core.testing.SharedData;
import java.io.IOException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrainingDataChecksTest {

    private static Table read(String set) throws IOException {
        return CsvReader.read(SharedData.require("data/" + set + "/" + set + ".csv"), CsvOptions.withLabel("label", Set.of()));
    }

    @Test
    void givenSpamsTwoNearConstantColumns_whenCheckedUnderAGaussian_thenOneWarningNamesBothAndTheStudentT() throws IOException {
        Table spam = read("spam");
        // num3d and font hold 0 in 2923 and 2908 of 2935 rows (99.6% and 99.1%).
        assertThat(spam.nearConstantColumns(Architecture.NEAR_CONSTANT_SHARE))
                .containsExactly(spam.columns().indexOf("num3d"), spam.columns().indexOf("font"));
        // A Gaussian the user chose (the shape-only defaults are one): the table's own default is the Student-t.
        assertThat(TrainingDataChecks.warnings(Architecture.defaults(spam.width(), spam.rows()), spam)).singleElement()
                .asString().startsWith("2 columns hold one value in 99% or more of the rows (num3d, font);")
                .contains("--likelihood student-t:nu=16");
    }

    @Test
    void givenAHeavyTailedLikelihoodOrNoNearConstantColumn_whenChecked_thenNothingIsSaid() throws IOException {
        Table spam = read("spam");
        Architecture studentT = Architecture.defaults(spam.width()).withLikelihood(Likelihoods.parse("student-t:nu=16"));
        assertThat(TrainingDataChecks.warnings(studentT, spam)).isEmpty();
        assertThat(TrainingDataChecks.warnings(TrainingConfig.defaults().architecture(spam), spam)).isEmpty();
        Table breastw = read("breastw");
        assertThat(TrainingDataChecks.warnings(Architecture.defaults(breastw.width()), breastw)).isEmpty();
    }

    @Test
    void givenGreyLevelsUnderABernoulli_whenChecked_thenTheWarningSuggestsTheGaussian() throws IOException {
        Table breastw = read("breastw");
        Architecture bernoulli = Architecture.defaults(breastw.width()).withLikelihood(Likelihoods.parse("bernoulli"));
        assertThat(TrainingDataChecks.warnings(bernoulli, breastw)).singleElement().asString()
                .contains("Bernoulli").endsWith("--likelihood gaussian");
    }

    @Test
    void givenManyNearConstantColumns_whenWarned_thenFiveAreNamedAndTheRestCounted() {
        float[][] rows = new float[200][8];
        for (int j = 0; j < 8; j++) {
            rows[j][j] = 1;
        }
        Table t = Table.of(java.util.stream.IntStream.range(0, 8).mapToObj(j -> "c" + j).toList(), rows, null);
        assertThat(TrainingDataChecks.warnings(Architecture.defaults(8), t)).singleElement().asString()
                .startsWith("8 columns hold one value in 99% or more of the rows (c0, c1, c2, c3, c4 and 3 more);");
    }
}
