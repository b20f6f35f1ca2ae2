package dev.vae.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.anomaly.score.Scorer;
import dev.vae.core.VaeModel;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad input fails clearly: schema problems before any job, bad cells by the null policy. */
class VaeTransformerErrorsTest {

    private static VaeModel model;
    private static SparkSession spark;
    private static Dataset<Row> data;

    @BeforeAll
    static void setUp() throws Exception {
        model = LocalSpark.breastwModel();
        spark = LocalSpark.session();
        data = SparkData.readCsv(spark, LocalSpark.breastwCsv().toString(), model.featureNames()).coalesce(1);
    }

    /** Four rows of the model's columns as doubles; {@code bad} holds a null or a NaN in feature 'Mitoses'. */
    private static Dataset<Row> fourRows(Double bad) {
        List<StructField> fields = new ArrayList<>();
        for (String name : model.featureNames()) {
            fields.add(DataTypes.createStructField(name, DataTypes.DoubleType, true));
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Object[] v = new Object[model.inputDim()];
            for (int j = 0; j < v.length; j++) {
                v[j] = (double) (1 + (i + j) % 5);
            }
            if (i == 2) {
                v[v.length - 1] = bad;
            }
            rows.add(RowFactory.create(v));
        }
        return spark.createDataFrame(rows, new StructType(fields.toArray(new StructField[0]))).coalesce(1);
    }

    @Test
    void givenMissingColumn_whenTransformed_thenErrorNamesItBeforeAnyJob() {
        Dataset<Row> missing = data.drop("Mitoses");

        assertThatThrownBy(() -> VaeTransformer.of(model).transform(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Missing input column 'Mitoses'");
    }

    @Test
    void givenStringColumn_whenTransformed_thenErrorNamesColumnAndType() {
        Dataset<Row> text = data.withColumn("Mitoses", data.col("Mitoses").cast("string"));

        assertThatThrownBy(() -> VaeTransformer.of(model).transform(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Column 'Mitoses' has type string, expected a numeric type");
    }

    @Test
    void givenFeaturesColThatIsNotAVector_whenTransformed_thenErrorNamesIt() {
        assertThatThrownBy(() -> VaeTransformer.of(model).setFeaturesCol("Mitoses").transform(data))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Column 'Mitoses' has type double, expected an ML vector");
    }

    @Test
    void givenExistingOutputColumn_whenTransformed_thenError() {
        assertThatThrownBy(() -> VaeTransformer.of(model).setScoreCol("label").transform(data))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Output column 'label' already exists");
    }

    @Test
    void givenNullCell_whenScoredWithDefaultPolicy_thenJobFailsNamingColumnAndRow() {
        Dataset<Row> scored = VaeTransformer.of(model).transform(fourRows(null));

        assertThatThrownBy(scored::collectAsList)
                .hasStackTraceContaining("Column 'Mitoses' at row 2 of partition 0 is null");
    }

    @Test
    void givenNanCell_whenScoredWithDefaultPolicy_thenJobFails() {
        Dataset<Row> scored = VaeTransformer.of(model).transform(fourRows(Double.NaN));

        assertThatThrownBy(scored::collectAsList)
                .hasStackTraceContaining("Column 'Mitoses' at row 2 of partition 0 is NaN (not a finite float32)");
    }

    @Test
    void givenNullCell_whenScoredWithNullPolicy_thenThatRowScoresNullAndOthersAsScorer() {
        Dataset<Row> in = fourRows(null);
        List<Row> out = VaeTransformer.of(model).setNullPolicy("null").setLatentCol("z").transform(in).collectAsList();

        assertThat(out).hasSize(4);
        Scorer scorer = new Scorer(model);
        for (int i = 0; i < 4; i++) {
            Row r = out.get(i);
            int score = r.fieldIndex("score");
            if (i == 2) {
                assertThat(r.isNullAt(score)).isTrue();
                assertThat(r.isNullAt(r.fieldIndex("is_anomaly"))).isTrue();
                assertThat(r.isNullAt(r.fieldIndex("z"))).isTrue();
            } else {
                float[] x = new float[model.inputDim()];
                for (int j = 0; j < x.length; j++) {
                    x[j] = (float) r.getDouble(j);
                }
                assertThat(r.getDouble(score)).isEqualTo(scorer.score(x));
            }
        }
    }

    @Test
    void givenIwaeScore_whenTransformed_thenEveryRowEqualsTheScorersBitForBit() {
        VaeTransformer t = VaeTransformer.of(model).setScoreKind("iwae").setSamples(4);
        Scorer scorer = new Scorer(model, t.scoreSettings());
        List<Row> out = t.transform(fourRows(1.0)).collectAsList();
        assertThat(out).hasSize(4);
        for (Row r : out) {
            float[] x = new float[model.inputDim()];
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) r.getDouble(j);
            }
            assertThat(r.getDouble(r.fieldIndex("score"))).isEqualTo(scorer.score(x));
        }
    }

    @Test
    void givenOtherScoreThanTheModels_whenNoThresholdSet_thenNoAnomalyColumn() {
        Dataset<Row> scored = VaeTransformer.of(model).setScoreKind("reconstruction").transform(data);
        Dataset<Row> flagged = VaeTransformer.of(model).setScoreKind("reconstruction").setThreshold(3.0).transform(data);

        assertThat(scored.columns()).contains("score").doesNotContain("is_anomaly");
        assertThat(flagged.columns()).contains("score", "is_anomaly");
    }
}
