package dev.vae.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.train.TrainingConfig;
import dev.vae.train.TrainingOptions;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.junit.jupiter.api.Test;
import scala.Function1;

/** {@link VaeEstimator}'s training params: their validators are the {@link TrainingOptions} catalogue's ranges. */
class VaeEstimatorParamsTest {

    private final VaeEstimator estimator = new VaeEstimator();

    @Test
    void givenTheDefaults_whenTheEstimatorIsMade_thenEveryParamIsValidAndTheConfigIsTheLibrarys() {
        assertThat(estimator.trainingConfig().epochs()).isEqualTo(TrainingConfig.defaults().epochs());
    }

    @Test
    void givenEachIntParamsEnds_whenValidated_thenOnlyTheCataloguesRangeIsAccepted() {
        check(estimator.epochs(), TrainingOptions.EPOCHS_RANGE, 1, 1_000_000);
        check(estimator.batchSize(), TrainingOptions.BATCH_RANGE, 1, 1 << 20);
        check(estimator.latent(), TrainingOptions.LATENT_RANGE, 0, 65_536);
        assertThat(valid(estimator.patience(), 0)).isTrue();
        assertThat(valid(estimator.patience(), Integer.MAX_VALUE)).isTrue();
        assertThat(valid(estimator.patience(), -1)).isFalse();
        check(estimator.ensemble(), TrainingOptions.ENSEMBLE_RANGE, 1, 16);
    }

    @Test
    void givenTheEnsembleParam_whenReadAsATrainingConfig_thenItIsTheMemberCountDefaultingToOneNetwork() {
        assertThat(estimator.trainingConfig().members()).isEqualTo(TrainingConfig.defaults().members()).isEqualTo(1);
        assertThat(estimator.setEnsemble(3).trainingConfig().members()).isEqualTo(3);
        assertThatThrownBy(() -> estimator.setEnsemble(17)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parameter ensemble given invalid value 17");
    }

    /** Whether {@code param}'s validator accepts {@code value}. */
    @SuppressWarnings("unchecked")
    private static boolean valid(Param<?> param, Object value) {
        return (Boolean) ((Function1<Object, Object>) (Function1<?, Object>) param.isValid()).apply(value);
    }

    private static void check(IntParam param, TrainingOptions.Range range, int min, int max) {
        assertThat(range.min()).isEqualTo(min);
        assertThat(range.max()).isEqualTo(max);
        assertThat(valid(param, min)).as("%s %s", param.name(), min).isTrue();
        assertThat(valid(param, max)).as("%s %s", param.name(), max).isTrue();
        assertThat(valid(param, min - 1)).as("%s %s", param.name(), min - 1).isFalse();
        assertThat(valid(param, max + 1)).as("%s %s", param.name(), max + 1).isFalse();
    }

    @Test
    void givenEachDoubleParamsEnds_whenValidated_thenOpenEndsAreRefusedAndClosedOnesAccepted() {
        DoubleParam lr = estimator.learningRate();
        assertThat(valid(lr, 0.0)).isFalse();
        assertThat(valid(lr, Double.MIN_VALUE)).isTrue();
        assertThat(valid(lr, 10.0)).isTrue();
        assertThat(valid(lr, Math.nextUp(10.0))).isFalse();
        assertThat(valid(lr, Double.NaN)).isFalse();
        assertThat(valid(estimator.beta(), 0.0)).isTrue();
        assertThat(valid(estimator.beta(), 1e6)).isTrue();
        assertThat(valid(estimator.beta(), Math.nextDown(0.0))).isFalse();
        assertThat(valid(estimator.validationFraction(), 0.0)).isTrue();
        assertThat(valid(estimator.validationFraction(), 1.0)).isFalse();
        assertThat(valid(estimator.trimFraction(), Math.nextDown(0.5))).isTrue();
        assertThat(valid(estimator.trimFraction(), 0.5)).isFalse();
    }

    @Test
    void givenOutOfRangeValues_whenSet_thenSparkRefusesThemBeforeAnyFit() {
        assertThatThrownBy(() -> estimator.setEpochs(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parameter epochs given invalid value 0");
        assertThatThrownBy(() -> estimator.setHidden(64, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parameter hidden given invalid value");
        assertThat(estimator.setHidden(64, 65_536).trainingConfig().hidden()).containsExactly(64, 65_536);
        assertThat(estimator.setHidden().trainingConfig().hidden()).isEmpty();
        assertThatThrownBy(() -> estimator.setTrimFraction(-0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parameter trimFraction given invalid value -0.1");
    }
}
