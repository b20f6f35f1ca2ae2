package dev.vae.core.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The scaler's tiled loop against the plain per-element formula, and its round trip. */
class ScalerTest {

    private static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() * 200 - 100);
        }
        return v;
    }

    @Test
    void givenNarrowAndWideRowsAtAnyOffset_whenApplied_thenEveryElementIsThePlainFormulasBits() {
        SplittableRandom r = new SplittableRandom(3);
        // 30 columns make several rows a tile (and a last, partial tile); 784 make one row a tile; 1 is degenerate.
        for (int w : new int[] {1, 30, 784}) {
            float[] offset = random(r, w);
            float[] divisor = random(r, w);
            Scaler scaler = new Scaler(ScalingKind.STANDARDIZE, offset, divisor);
            for (int rows : new int[] {0, 1, 5, 8, 9, 37}) {
                int inOff = 3 * w;
                float[] in = random(r, inOff + rows * w + 2);
                float[] out = new float[5 + rows * w];
                scaler.apply(in, inOff, out, 5, rows);
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < w; j++) {
                        float expected = (in[inOff + i * w + j] - offset[j]) / divisor[j];
                        assertThat(Float.floatToRawIntBits(out[5 + i * w + j])).as("w=%d rows=%d (%d, %d)", w, rows, i, j)
                                .isEqualTo(Float.floatToRawIntBits(expected));
                    }
                }
                assertThat(out[0]).isZero();
            }
        }
    }

    @Test
    void givenTheSameArrayAsInputAndOutput_whenApplied_thenItIsMappedInPlace() {
        SplittableRandom r = new SplittableRandom(4);
        Scaler scaler = new Scaler(ScalingKind.STANDARDIZE, random(r, 30), random(r, 30));
        float[] data = random(r, 30 * 20);
        float[] copy = data.clone();
        float[] expected = new float[data.length];
        scaler.apply(copy, 0, expected, 0, 20);
        scaler.apply(data, 0, data, 0, 20);
        assertThat(data).containsExactly(expected);
        float[] back = new float[data.length];
        scaler.invert(data, 0, back, 0, 20);
        for (int i = 0; i < back.length; i++) {
            assertThat((double) back[i]).isCloseTo(copy[i], org.assertj.core.api.Assertions.within(1e-3));
        }
    }
}
