package dev.vae.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vae.anomaly.eval.RankingMetrics;
import dev.vae.anomaly.score.Scorer;
import dev.vae.core.VaeModel;
import dev.vae.core.data.CsvOptions;
import dev.vae.core.data.CsvReader;
import dev.vae.core.data.Table;
import dev.vae.core.testing.SharedData;
import dev.vae.train.VaeTrainer;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QuantileScalingTest {

    // Standard-normal quantiles from tables (Phi^-1 of 0.2, 0.25, 0.4; 0.6, 0.75, 0.8 by symmetry).
    private static final double Z20 = -0.8416212335729143;
    private static final double Z25 = -0.6744897501960817;
    private static final double Z40 = -0.2533471031357998;
    private static final double TOL = 1e-6;   // the mapped values are floats

    private static QuantileScaling fitColumn(float... column) {
        return QuantileScaling.fit(column, column.length, 1);
    }

    @Test
    void givenThreeDistinctValues_whenFitted_thenKnotsAreTheSortedValuesAndScoresTheNormalQuartiles() {
        // n = 3, no ties: p = (i + 1/2 + 1/2) / 4 = 1/4, 1/2, 3/4.
        QuantileScaling q = fitColumn(3f, 1f, 2f);

        assertThat(q.knots()[0]).containsExactly(1f, 2f, 3f);
        assertThat(q.scores()[0]).containsExactly(new double[] {Z25, 0, -Z25}, within(1e-12));
        assertThat(q.sd()[0]).isCloseTo(Math.sqrt(2.0 / 3), within(1e-12));
        assertThat((double) q.apply(0, 1f)).isCloseTo(Z25, within(TOL));
        assertThat((double) q.apply(0, 2f)).isCloseTo(0, within(TOL));
        assertThat((double) q.apply(0, 3f)).isCloseTo(-Z25, within(TOL));
    }

    @Test
    void givenTies_whenFitted_thenTiedValuesShareOneKnotAtTheirMidRank() {
        // {1, 2, 2, 3}, n = 4: p(1) = (0 + 1/2 + 1/2) / 5 = 0.2, p(2) = (1 + 1 + 1/2) / 5 = 0.5, p(3) = 0.8.
        QuantileScaling q = fitColumn(2f, 1f, 3f, 2f);
        assertThat(q.knots()[0]).containsExactly(1f, 2f, 3f);
        assertThat(q.scores()[0]).containsExactly(new double[] {Z20, 0, -Z20}, within(1e-12));

        // {5, 5, 5, 7}: p(5) = (0 + 3/2 + 1/2) / 5 = 0.4, p(7) = (3 + 1/2 + 1/2) / 5 = 0.8.
        QuantileScaling lowTies = fitColumn(5f, 7f, 5f, 5f);
        assertThat(lowTies.knots()[0]).containsExactly(5f, 7f);
        assertThat(lowTies.scores()[0]).containsExactly(new double[] {Z40, -Z20}, within(1e-12));
    }

    @Test
    void givenAValueBetweenKnots_whenApplied_thenLinearInterpolationOfTheScores() {
        QuantileScaling q = fitColumn(1f, 2f, 3f);
        // Halfway between 1 and 2: (Z25 + 0) / 2; three quarters from 2 to 3: 0.75 x (-Z25).
        assertThat((double) q.apply(0, 1.5f)).isCloseTo(Z25 / 2, within(TOL));
        assertThat((double) q.apply(0, 2.75f)).isCloseTo(-0.75 * Z25, within(TOL));
    }

    @Test
    void givenValuesOutsideTheTrainingRange_whenApplied_thenLinearExtrapolationWithThePopulationSd() {
        QuantileScaling q = fitColumn(1f, 2f, 3f);
        double sd = Math.sqrt(2.0 / 3);   // population sd of {1, 2, 3}
        assertThat((double) q.apply(0, 0f)).isCloseTo(Z25 - 1 / sd, within(TOL));
        assertThat((double) q.apply(0, 5f)).isCloseTo(-Z25 + 2 / sd, within(TOL));
        assertThat((double) q.apply(0, -10f)).isCloseTo(Z25 - 11 / sd, within(TOL));
    }

    @Test
    void givenAConstantColumn_whenApplied_thenItsValueIsZeroAndOtherValuesMoveWithUnitSlope() {
        // Two columns: the second is constant 4, the first is not; each is fitted on its own.
        float[] rows = {1f, 4f, 2f, 4f, 3f, 4f};
        QuantileScaling q = QuantileScaling.fit(rows, 3, 2);
        assertThat(q.knots()[1]).containsExactly(4f);
        assertThat(q.sd()[1]).isZero();
        assertThat(q.apply(1, 4f)).isZero();
        assertThat(q.apply(1, 6f)).isEqualTo(2f);
        assertThat(q.apply(1, 1f)).isEqualTo(-3f);
        assertThat((double) q.apply(0, 1f)).isCloseTo(Z25, within(TOL));
    }

    @Test
    void givenRoundedNormalDataWithManyTies_whenAppliedToAGridBeyondItsRange_thenStrictlyIncreasingAndRankPreserving() {
        SplittableRandom rnd = new SplittableRandom(11);
        int n = 400;
        float[] column = new float[n];
        for (int i = 0; i < n; i++) {
            // Rounded to a tenth and skewed: ties and uneven gaps between knots.
            column[i] = (float) (Math.rint(10 * Math.exp(rnd.nextGaussian())) / 10);
        }
        QuantileScaling q = fitColumn(column);
        assertThat(q.knots()[0].length).isLessThan(n);   // ties did happen
        float previous = Float.NEGATIVE_INFINITY;
        for (int t = -200; t <= 3000; t++) {
            float x = t / 100f;
            float y = q.apply(0, x);
            assertThat(y).as("x = %s", x).isGreaterThan(previous);
            previous = y;
        }
        // The training values keep their order: equal stay equal, smaller stay smaller.
        for (int i = 1; i < n; i++) {
            int expected = Float.compare(column[i - 1], column[i]);
            assertThat(Integer.signum(Float.compare(q.apply(0, column[i - 1]), q.apply(0, column[i]))))
                    .isEqualTo(Integer.signum(expected));
        }
    }

    @Test
    void givenATable_whenAppliedThroughPreprocessing_thenColumnsMapAndLabelsStayAndAWrongWidthIsRefused() {
        QuantileScaling q = QuantileScaling.fit(new float[] {1f, 4f, 2f, 4f, 3f, 4f}, 3, 2);
        Table t = new Table(List.of("a", "b"), new float[] {2f, 4f, 5f, 6f}, 2, new int[] {0, 1}, "hand");
        Table out = q.apply(t);
        assertThat(out.labels()).containsExactly(0, 1);
        assertThat(out.values()[0]).isZero();
        assertThat(out.values()[1]).isZero();
        assertThat(out.values()[3]).isEqualTo(2f);
        Table narrow = new Table(List.of("a"), new float[] {1f}, 1, null, "narrow");
        assertThatThrownBy(() -> q.apply(narrow)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 columns").hasMessageContaining("1 columns").hasMessageContaining("narrow");
        assertThatThrownBy(() -> QuantileScaling.fit(new float[] {1f, Float.NaN}, 2, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 1, column 0");
    }

    @Test
    void givenTheKinds_whenFitScalingIsCalled_thenQuantileIsTheRankGaussAndTheOthersStayLinear() {
        float[] v = {1f, 2f, 3f};
        assertThat(Preprocessing.fitScaling("quantile", v, 3, 1)).isInstanceOf(QuantileScaling.class);
        Preprocessing.Scaling standard = Preprocessing.fitScaling("standard", v, 3, 1);
        assertThat(standard).isInstanceOf(Preprocessing.Linear.class);
        // Library standardisation: mean 2, and the divisor the Scaler's standard deviation.
        float divisor = ((Preprocessing.Linear) standard).divisor()[0];
        assertThat(standard.apply(0, 3f)).isEqualTo(1f / divisor);
        assertThat(((Preprocessing.Linear) Preprocessing.fitScaling("robust", v, 3, 1)).offset()[0]).isEqualTo(2f);
        assertThatThrownBy(() -> Preprocessing.fitScaling("rank", v, 3, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'rank'").hasMessageContaining("quantile");
        assertThat(Candidate.parse("sc=quantile", 4).scaling()).isEqualTo("quantile");
        assertThatThrownBy(() -> Candidate.parse("e=3/sc=rank", 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'e=3/sc=rank'")
                .hasMessageContaining("quantile");
    }

    @Test
    void givenScQuantile_whenProtocolRuns_thenItTrainsAndScoresOnTheRankGaussRows() throws Exception {
        String set = "haberman";
        Table data = CsvReader.read(SharedData.require("data/" + set + "/" + set + ".csv"),
                CsvOptions.withLabel("label", Set.of()));
        Folds folds = Folds.read(SharedData.require("data/" + set + "/" + set + ".folds.csv"));
        Table train = data.select(folds.train(0));
        Table test = data.select(folds.test(0));
        Candidate c = Candidate.parse("e=3/sc=quantile", data.width());

        RunResult viaProtocol = Protocol.run(c, set, train, test, 0);

        // The same run by hand: transform both with the training rows' fit, train with the prescaled likelihood.
        Table unlabelled = new Table(train.columns(), train.values(), train.rows(), null, train.source());
        QuantileScaling q = QuantileScaling.fit(unlabelled.values(), unlabelled.rows(), unlabelled.width());
        VaeModel model = new VaeTrainer(c.members(0, q.apply(unlabelled)).get(0)).fit(q.apply(unlabelled)).model();
        Table scaledTest = q.apply(test);
        double[] scores = new Scorer(model).score(scaledTest.values(), scaledTest.rows());
        assertThat(viaProtocol.auroc()).isEqualTo(RankingMetrics.auroc(scores, test.labels()));
        assertThat(viaProtocol.auprc()).isEqualTo(RankingMetrics.averagePrecision(scores, test.labels()));
        // And the transform matters: sc=standard gives another model.
        RunResult standard = Protocol.run(Candidate.parse("e=3/sc=standard", data.width()), set, train, test, 0);
        assertThat(standard.auprc()).isNotEqualTo(viaProtocol.auprc());
    }
}
