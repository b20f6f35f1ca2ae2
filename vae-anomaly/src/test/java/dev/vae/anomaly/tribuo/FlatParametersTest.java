package dev.vae.anomaly.tribuo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.tribuo.math.la.DenseVector;
import org.tribuo.math.la.Tensor;
import org.tribuo.math.optimisers.util.ShrinkingVector;

/** The Parameters view: one DenseVector over the trainer's floats, read as exact doubles, written rounded once. */
class FlatParametersTest {

    @Test
    void givenBoundFloats_whenRead_thenOneDenseVectorOfTheirExactValuesWhichIsACopy() {
        float[] p = {0.1f, -2f, 3.5f};
        FlatParameters view = new FlatParameters(3);
        view.bind(p);
        Tensor[] read = view.get();
        assertThat(read).hasSize(1);
        assertThat(((DenseVector) read[0]).toArray()).containsExactly(0.1f, -2.0, 3.5);
        ((DenseVector) read[0]).set(0, 9);
        assertThat(p[0]).isEqualTo(0.1f);
        assertThat(view.getEmptyCopy()).singleElement().isEqualTo(new DenseVector(3));
    }

    @Test
    void givenAnUpdate_whenApplied_thenEachParameterIsTheDoubleSumRoundedOnce() {
        float[] p = {1f, 1f, -4f};
        FlatParameters view = new FlatParameters(3);
        view.bind(p);
        // Rounded to float first, the update 2^-24 + 2^-50 would be 2^-24, and 1f + 2^-24 a tie rounding to 1f; the
        // sum in double lies above the tie and rounds up.
        view.update(new Tensor[] {DenseVector.createDenseVector(new double[] {0x1p-24 + 0x1p-50, 0.5, 1e-3})});
        assertThat(p).containsExactly(Math.nextUp(1f), 1.5f, (float) (-4 + 1e-3));
        assertThat(1f + (float) (0x1p-24 + 0x1p-50)).isEqualTo(1f);
    }

    @Test
    void givenTensors_whenSetOrMerged_thenWrittenRoundedAndSummed() {
        float[] p = new float[2];
        FlatParameters view = new FlatParameters(2);
        view.bind(p);
        view.set(new Tensor[] {DenseVector.createDenseVector(new double[] {0.1, -7})});
        assertThat(p).containsExactly(0.1f, -7f);
        Tensor[] merged = view.merge(new Tensor[][] {
                {DenseVector.createDenseVector(new double[] {1, 2})},
                {DenseVector.createDenseVector(new double[] {10, 20})},
                {DenseVector.createDenseVector(new double[] {100, 200})}}, 2);
        assertThat(((DenseVector) merged[0]).toArray()).containsExactly(11, 22);
    }

    @Test
    void givenAnotherShapeOrTensorType_whenWritten_thenRefusedNamingWhatArrived() {
        FlatParameters view = new FlatParameters(3);
        view.bind(new float[3]);
        assertThatThrownBy(() -> view.update(new Tensor[] {new DenseVector(4)}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one DenseVector of 3 elements")
                .hasMessageContaining("DenseVector of shape [4]");
        assertThatThrownBy(() -> view.set(new Tensor[] {new ShrinkingVector(new DenseVector(3), 0.1, true)}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ShrinkingVector");
        assertThatThrownBy(() -> view.bind(new float[2])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("made for 3 parameters, got 2");
        assertThatThrownBy(view::serialize).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("VaeModel holds the parameters");
    }
}
