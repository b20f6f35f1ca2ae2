package dev.vae.anomaly.threshold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.anomaly.score.Scorer;
import dev.vae.core.Threshold;
import dev.vae.core.VaeModel;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import dev.vae.core.testing.SharedData;
import dev.vae.train.TrainingConfig;
import dev.vae.train.TrainingResult;
import dev.vae.train.VaeTrainer;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DetectorFittingTest {

    private static VaeModel model;
    private static Table validation;
    private static double[] sorted;

    @BeforeAll
    static void trainOnPima() throws Exception {
        Table data = CsvReader.read(SharedData.require("data/pima/pima.csv"), CsvOptions.withLabel("label", Set.of()));
        TrainingResult r = new VaeTrainer(TrainingConfig.defaults().withEpochs(5)).fit(data);
        model = r.model();
        validation = r.validation();
        sorted = new Scorer(model).score(validation.values(), validation.rows());
        Arrays.sort(sorted);
    }

    /** The model with its threshold just below the k-th lowest validation score: n - k rows lie above it. */
    private static VaeModel withThresholdLeaving(int above) {
        double value = Math.nextDown(sorted[sorted.length - above]);
        return model.toBuilder().threshold(new Threshold(value, "fixed", "test", new Scorer(model).settings())).build();
    }

    @Test
    void givenAThresholdBelowThreeQuartersOfItsRows_whenCounted_thenAboveThresholdCountsThemAndSplitIsWarned() {
        int n = validation.rows();
        int above = n * 3 / 4;
        VaeModel m = withThresholdLeaving(above);

        assertThat(DetectorFitting.aboveThreshold(m, validation)).isEqualTo(above);
        assertThat(DetectorFitting.majorityAboveWarning(m, validation, ThresholdSpec.split()))
                .startsWith(above + " of the " + n + " rows the threshold was fitted on lie above it")
                .contains("(split)").contains("contamination:C");
        assertThat(DetectorFitting.majorityAboveWarning(m, validation, ThresholdSpec.parse("sigma:3"))).isNotNull();
    }

    @Test
    void givenAStatedShareOrAMinorityAbove_whenChecked_thenNoWarning() {
        int n = validation.rows();
        VaeModel most = withThresholdLeaving(n * 3 / 4);
        for (String stated : new String[] {"quantile:0.25", "contamination:0.5", "fixed:1"}) {
            assertThat(DetectorFitting.majorityAboveWarning(most, validation, ThresholdSpec.parse(stated))).as(stated)
                    .isNull();
        }
        assertThat(DetectorFitting.majorityAboveWarning(withThresholdLeaving(n / 2), validation, ThresholdSpec.split()))
                .isNull();
    }

    @Test
    void givenRowsOfAnotherWidth_whenCounted_thenRefusedNamingBothWidths() {
        Table wrong = Table.of(java.util.List.of("a"), new double[][] {{1}}, null);
        assertThatThrownBy(() -> DetectorFitting.aboveThreshold(model, wrong))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected " + model.inputDim())
                .hasMessageContaining("actual 1");
    }
}
