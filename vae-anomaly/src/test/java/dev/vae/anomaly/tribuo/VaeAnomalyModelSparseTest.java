package dev.vae.anomaly.tribuo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.anomaly.score.ScoreBreakdown;
import dev.vae.anomaly.score.Scorer;
import dev.vae.anomaly.threshold.ThresholdSpec;
import dev.vae.core.ScoreSettings;
import dev.vae.core.data.Table;
import dev.vae.core.testing.ModelFingerprint;
import dev.vae.train.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.Example;
import org.tribuo.Excuse;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ArrayExample;

/**
 * Sparse Tribuo examples on breastw: a feature absent from an example is the raw value 0, and a feature the model
 * never saw is ignored, so a sparse example scores bit for bit as the dense row with zeros in its gaps, scored
 * directly by the VAE's {@link Scorer} without Tribuo.
 */
class VaeAnomalyModelSparseTest {

    private static final String UNSEEN = "Not.a.breastw.column";
    private static final TrainingConfig SMALL = TrainingConfig.builder().hidden(List.of(8)).latent(2).batchSize(32)
            .epochs(10).build();

    private static Table table;
    private static VaeAnomalyModel model;

    @BeforeAll
    static void trainOnBenignEvenRows() {
        table = BreastwEvents.table();
        MutableDataset<Event> expected = BreastwEvents.dataset("breastw benign even rows");
        for (int i = 0; i < table.rows(); i += 2) {
            if (table.labels()[i] == 0) {
                expected.add(BreastwEvents.example(table, i, j -> true));
            }
        }
        model = new VaeAnomalyTrainer(SMALL, ThresholdSpec.defaults(), ScoreSettings.defaults(), 21L).train(expected);
    }

    /** Row i keeps the columns j with (i + j) % 3 != 0: each row misses three of its nine features. */
    private static IntPredicate kept(int row) {
        return j -> (row + j) % 3 != 0;
    }

    /** The rows in the model's column order, with the columns {@code kept} rejects set to 0. */
    private static float[] denseRows(boolean withGaps) {
        List<String> names = model.vaeModel().featureNames();
        float[] rows = new float[table.rows() * names.size()];
        for (int i = 0; i < table.rows(); i++) {
            for (int c = 0; c < names.size(); c++) {
                int j = table.columns().indexOf(names.get(c));
                if (!withGaps || kept(i).test(j)) {
                    rows[i * names.size() + c] = table.values()[i * table.width() + j];
                }
            }
        }
        return rows;
    }

    @Test
    void givenSparseExamplesWithAnUnseenFeature_whenPredicted_thenScoresAreTheDenseRowsWithZerosBitForBit() {
        double[] expected = new Scorer(model.vaeModel()).score(denseRows(true), table.rows());
        double[] complete = new Scorer(model.vaeModel()).score(denseRows(false), table.rows());
        List<Example<Event>> sparse = new ArrayList<>();
        List<Example<Event>> zeroFilled = new ArrayList<>();
        for (int i = 0; i < table.rows(); i++) {
            ArrayExample<Event> e = BreastwEvents.example(table, i, kept(i));
            e.add(UNSEEN, 50.0);
            sparse.add(e);
            zeroFilled.add(BreastwEvents.zeroFilled(table, i, kept(i)));
        }
        List<Prediction<Event>> batch = model.predict(sparse);
        List<Prediction<Event>> dense = model.predict(zeroFilled);
        int changed = 0;
        for (int i = 0; i < table.rows(); i++) {
            assertThat(batch.get(i).getOutput().getScore()).as("row %d, batch", i).isEqualTo(expected[i]);
            assertThat(model.predict(sparse.get(i)).getOutput().getScore()).as("row %d, one", i).isEqualTo(expected[i]);
            assertThat(dense.get(i).getOutput().getScore()).as("row %d, explicit zeros", i).isEqualTo(expected[i]);
            // Tribuo's count of the features the model used: the six known ones, not the unseen one.
            assertThat(batch.get(i).getNumActiveFeatures()).isEqualTo(6);
            assertThat(batch.get(i).getOutput().getType()).isEqualTo(model.threshold().isAnomalous(expected[i])
                    ? Event.EventType.ANOMALOUS : Event.EventType.EXPECTED);
            if (expected[i] != complete[i]) {
                changed++;
            }
        }
        // The gaps matter: breastw's values are 1 to 10, so a missing feature (0) moves every row's score.
        assertThat(changed).isEqualTo(table.rows());
    }

    @Test
    void givenSparseExample_whenExcused_thenPartsAreTheDenseRowsReconstructionTerms() {
        int row = 5;
        ArrayExample<Event> e = BreastwEvents.example(table, row, kept(row));
        e.add(UNSEEN, -3.0);
        Excuse<Event> excuse = model.getExcuse(e).orElseThrow();
        int d = model.vaeModel().inputDim();
        float[] dense = new float[d];
        System.arraycopy(denseRows(true), row * d, dense, 0, d);
        ScoreBreakdown b = new Scorer(model.vaeModel()).explain(dense, 1);
        assertThat(excuse.getPrediction().getOutput().getScore()).isEqualTo(b.scores()[0]);
        for (var part : excuse.excuse(Model.ALL_OUTPUTS)) {
            int c = model.vaeModel().featureNames().indexOf(part.getA());
            assertThat(part.getB()).as(part.getA()).isEqualTo(b.contribution(0, c));
        }
        assertThat(excuse.excuse(Model.ALL_OUTPUTS)).extracting(p -> p.getA()).doesNotContain(UNSEEN).hasSize(d);
    }

    @Test
    void givenAnExampleWithOnlyUnseenFeatures_whenPredicted_thenRefusedSayingWhatTheModelKnows() {
        ArrayExample<Event> e = new ArrayExample<>(AnomalyFactory.EXPECTED_EVENT, new String[] {UNSEEN},
                new double[] {1.0});
        assertThatThrownBy(() -> model.predict(e)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no feature this model knows").hasMessageContaining("it knows 9")
                .hasMessageContaining(UNSEEN);
        assertThatThrownBy(() -> model.predict(List.of(BreastwEvents.example(table, 0, j -> true), e)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no feature this model knows");
    }

    @Test
    void givenSparseAndZeroFilledDatasetsOfTheSameRows_whenTrained_thenTheSameModelBits() {
        MutableDataset<Event> sparse = BreastwEvents.dataset("breastw benign odd rows");
        MutableDataset<Event> zeroFilled = BreastwEvents.dataset("breastw benign odd rows");
        for (int i = 1; i < table.rows(); i += 2) {
            if (table.labels()[i] == 0) {
                sparse.add(BreastwEvents.example(table, i, kept(i)));
                zeroFilled.add(BreastwEvents.zeroFilled(table, i, kept(i)));
            }
        }
        assertThat(sparse.getFeatureIDMap().keySet()).isEqualTo(zeroFilled.getFeatureIDMap().keySet()).hasSize(9);
        VaeAnomalyModel fromSparse = new VaeAnomalyTrainer(SMALL, ThresholdSpec.defaults(), ScoreSettings.defaults(), 4L)
                .train(sparse);
        VaeAnomalyModel fromZeros = new VaeAnomalyTrainer(SMALL, ThresholdSpec.defaults(), ScoreSettings.defaults(), 4L)
                .train(zeroFilled);
        assertThat(ModelFingerprint.of(fromSparse.vaeModel())).isEqualTo(ModelFingerprint.of(fromZeros.vaeModel()));
    }
}
