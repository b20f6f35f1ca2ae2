package dev.vae.core.nn;

import dev.vae.core.likelihood.Likelihood;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * How a row of a likelihood's raw parameters ({@link Likelihood#rawWidth}) is made: the decoder's outputs, which
 * depend on z, and the likelihood's own parameters ({@link Likelihood#isOwnParameter}), which are the same for every
 * row, each at its raw index. The decoder computes only its outputs, in raw-index order; a network holds the own
 * parameters after the decoder's weights and biases ({@link VaeObjective}) and writes them into every raw row it
 * hands to the likelihood, so the likelihood's per-row formulas are the same whoever computes a value. Immutable and
 * thread-safe.
 */
public final class RawLayout {

    private final int rawWidth;
    /** The raw index of each decoder output, ascending. */
    private final int[] decoderColumns;
    /** The raw index of each own parameter, ascending. */
    private final int[] ownColumns;
    /** Whether the own parameters are the raw row's tail (so a row is two copies). */
    private final boolean ownTail;

    private RawLayout(int rawWidth, int[] decoderColumns, int[] ownColumns) {
        this.rawWidth = rawWidth;
        this.decoderColumns = decoderColumns;
        this.ownColumns = ownColumns;
        this.ownTail = ownColumns.length == 0 || ownColumns[0] == decoderColumns.length;
    }

    /** The layout of {@code likelihood}'s raw rows over {@code features} features. */
    public static RawLayout of(Likelihood likelihood, int features) {
        int rw = likelihood.rawWidth(features);
        int[] own = IntStream.range(0, rw).filter(i -> likelihood.isOwnParameter(features, i)).toArray();
        int[] decoded = IntStream.range(0, rw).filter(i -> !likelihood.isOwnParameter(features, i)).toArray();
        return new RawLayout(rw, decoded, own);
    }

    /** The width of a raw row. */
    public int rawWidth() {
        return rawWidth;
    }

    /** How many raw values of a row the decoder computes: the width of its last layer. */
    public int decoderWidth() {
        return decoderColumns.length;
    }

    /** How many raw values of a row are the likelihood's own parameters. */
    public int ownCount() {
        return ownColumns.length;
    }

    /** The raw index of decoder output {@code c}. */
    public int decoderColumn(int c) {
        return decoderColumns[c];
    }

    /** The raw index of own parameter {@code t}. */
    public int ownColumn(int t) {
        return ownColumns[t];
    }

    /** The decoder output that computes raw value {@code rawIndex}, or -1 when it is an own parameter. */
    public int decoderColumnOf(int rawIndex) {
        int c = Arrays.binarySearch(decoderColumns, rawIndex);
        return c < 0 ? -1 : c;
    }

    /** The own parameter that raw value {@code rawIndex} is, or -1 when the decoder computes it. */
    public int ownIndexOf(int rawIndex) {
        int t = Arrays.binarySearch(ownColumns, rawIndex);
        return t < 0 ? -1 : t;
    }

    /**
     * Writes {@code n} raw rows to {@code raw} from offset {@code rawOff}: row i's decoder outputs from
     * {@code decoded[i * decoderWidth(), ...)} and the own parameters from {@code own[ownOff, ownOff + ownCount())}.
     */
    public void assemble(float[] decoded, int n, float[] own, int ownOff, float[] raw, int rawOff) {
        int dw = decoderColumns.length;
        int ow = ownColumns.length;
        if (ownTail) {
            for (int i = 0; i < n; i++) {
                System.arraycopy(decoded, i * dw, raw, rawOff + i * rawWidth, dw);
                System.arraycopy(own, ownOff, raw, rawOff + i * rawWidth + dw, ow);
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            int r = rawOff + i * rawWidth;
            for (int c = 0; c < dw; c++) {
                raw[r + decoderColumns[c]] = decoded[i * dw + c];
            }
            for (int t = 0; t < ow; t++) {
                raw[r + ownColumns[t]] = own[ownOff + t];
            }
        }
    }

    /**
     * Splits the gradient {@code dRaw} of {@code n} raw rows: the decoder outputs' part goes to {@code dDecoded} (n x
     * {@link #decoderWidth()}), and each own parameter's gradient, the sum over the rows of its raw value's, to
     * {@code grad[gradOff + t]} (overwritten). The sums run over the rows in order in float, as a dense layer sums its
     * bias's gradient ({@link DenseStack#backward}), so an own parameter moves in training as a bias with zero weights
     * would.
     */
    public void splitGradient(float[] dRaw, int n, float[] dDecoded, float[] grad, int gradOff) {
        int dw = decoderColumns.length;
        int ow = ownColumns.length;
        for (int t = 0; t < ow; t++) {
            grad[gradOff + t] = 0f;
        }
        for (int i = 0; i < n; i++) {
            int r = i * rawWidth;
            for (int t = 0; t < ow; t++) {
                grad[gradOff + t] += dRaw[r + ownColumns[t]];
            }
            if (ownTail) {
                System.arraycopy(dRaw, r, dDecoded, i * dw, dw);
            } else {
                for (int c = 0; c < dw; c++) {
                    dDecoded[i * dw + c] = dRaw[r + decoderColumns[c]];
                }
            }
        }
    }
}
