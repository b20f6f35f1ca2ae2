package dev.vae.core.kernel.simd;

import dev.vae.core.kernel.ElementKernels;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.jspecify.annotations.Nullable;

/**
 * {@link ElementKernels} on the Vector API, in the machine's preferred vector width.
 *
 * <p>Each term is computed in float on full vectors of the row, with exp and log1p written here from their
 * classical range reductions (exp: {@code x = n ln 2 + r}, a degree-6 polynomial on |r| <= ln2/2, 2^n from the
 * exponent bits; log1p on [0, 1]: {@code 2 atanh(e / (2 + e))} as an odd series): within 1.2e-7 and 2.1e-7 relative
 * of the double results (tested), with the rounding behaviour written down rather than left to a library's vector
 * math. Terms are summed in double, lane by lane and then lanes in order; the last {@code d mod lanes} features of
 * a row run as masked lanes of one more vector, whose other lanes add zero (so no feature goes through a second,
 * scalar formula, and a 30-feature Gaussian row, six of them a tail, scores about 5% faster). Which
 * features share a vector depends only on {@code d}, so a row's result is the same in any batch, and
 * {@link #tanh(float[], int, int)}, whose slices' length depends on the batch, gives a masked lane the bits of a full
 * one.
 *
 * <p>The likelihood loops repeat their widen-and-sum lines instead of calling a helper, and each masked tail repeats
 * its loop's body with masked loads and stores: JDK 17's C2 does not reliably inline a helper that takes and returns
 * vectors (the accumulators would cross the call), and a vector that crosses a call is boxed (measured: the same
 * loops with two such helpers scored 15-30% fewer rows a second).
 */
public final class VectorElementKernels implements ElementKernels {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Doubles in a vector of the same size: each float vector converts into two of them. */
    private static final VectorSpecies<Double> D = VectorSpecies.of(double.class,
            VectorShape.forBitSize(F.vectorBitSize()));
    private static final int L = F.length();
    private static final int HALF = D.length();

    private static final double LOG_2PI = Math.log(2.0 * Math.PI);
    private static final float LOG_2PI_F = (float) LOG_2PI;

    private static final float LOG2E = 1.44269504f;
    /** ln 2 split so that n * LN2_HI is exact for |n| < 2^9. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding it rounds a float of magnitude < 2^22 to an integer, held in the low mantissa bits. */
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
    /** Below 0.25 tanh uses its series: (1 - t) / (1 + t) loses low bits to cancellation there. */
    private static final float TANH_SERIES_BELOW = 0.25f;

    private VectorElementKernels() {
    }

    /** The kernels, or null when the preferred vector holds fewer than four floats (too narrow to pay). */
    public static @Nullable ElementKernels create() {
        return L >= 4 ? new VectorElementKernels() : null;
    }

    @Override
    public String name() {
        return "simd-" + F.vectorBitSize();
    }

    private static FloatVector bc(float c) {
        return FloatVector.broadcast(F, c);
    }

    /** e^x per lane, for x in [-87, 88] (clamped to it: e^-87 stands in for smaller values); NaN stays NaN. */
    static FloatVector exp(FloatVector x) {
        FloatVector c = x.max(-87f).min(88f);
        FloatVector t = c.fma(LOG2E, ROUNDER);
        FloatVector n = t.sub(ROUNDER);
        FloatVector r = n.fma(bc(-LN2_HI), c);
        r = n.fma(bc(-LN2_LO), r);
        FloatVector p = FloatVector.broadcast(F, 1.9875691500e-4f);
        p = p.fma(r, bc(1.3981999507e-3f));
        p = p.fma(r, bc(8.3334519073e-3f));
        p = p.fma(r, bc(4.1665795894e-2f));
        p = p.fma(r, bc(1.6666665459e-1f));
        p = p.fma(r, bc(5.0000001201e-1f));
        p = p.fma(r.mul(r), r.add(1f));
        IntVector biased = ((IntVector) t.reinterpretAsInts()).sub(ROUNDER_BITS - 127);
        return p.mul(biased.lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
    }

    /** log(1 + e) per lane for e in [0, 1]: {@code 2 s (1 + s^2/3 + ... + s^12/13)}, s = e / (2 + e) <= 1/3. */
    static FloatVector log1pOfUnit(FloatVector e) {
        FloatVector s = e.div(e.add(2f));
        FloatVector s2 = s.mul(s);
        FloatVector p = FloatVector.broadcast(F, 1f / 13);
        p = p.fma(s2, bc(1f / 11));
        p = p.fma(s2, bc(1f / 9));
        p = p.fma(s2, bc(1f / 7));
        p = p.fma(s2, bc(1f / 5));
        p = p.fma(s2, bc(1f / 3));
        p = p.fma(s2, bc(1f));
        return p.mul(s.add(s));
    }

    /** tanh(x) per lane, within 3e-7 relative; NaN stays NaN. */
    static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector t = exp(ax.mul(-2f));
        FloatVector far = t.neg().add(1f).div(t.add(1f));
        FloatVector x2 = ax.mul(ax);
        FloatVector p = FloatVector.broadcast(F, 62f / 2835);
        p = p.fma(x2, bc(-17f / 315));
        p = p.fma(x2, bc(2f / 15));
        p = p.fma(x2, bc(-1f / 3));
        p = p.fma(x2, bc(1f));
        FloatVector y = far.blend(ax.mul(p), ax.compare(VectorOperators.LT, TANH_SERIES_BELOW));
        IntVector sign = ((IntVector) x.reinterpretAsInts()).and(0x80000000);
        return ((IntVector) y.reinterpretAsInts()).or(sign).reinterpretAsFloats();
    }

    /** softplus(a) - x a = a (step(a) - x) + log1p(e^-|a|): no cancellation of a against x a when x = 1. */
    private static FloatVector bernoulliTerm(FloatVector a, FloatVector x, FloatVector e) {
        VectorMask<Float> positive = a.compare(VectorOperators.GE, 0f);
        FloatVector step = FloatVector.zero(F).blend(1f, positive);
        return a.mul(step.sub(x)).add(log1pOfUnit(e));
    }

    @Override
    public double bernoulli(float[] x, int xOff, float[] logits, int aOff, int d, double @Nullable [] terms,
                            int tOff) {
        DoubleVector acc0 = DoubleVector.zero(D);
        DoubleVector acc1 = DoubleVector.zero(D);
        int upper = F.loopBound(d);
        for (int j = 0; j < upper; j += L) {
            FloatVector a = FloatVector.fromArray(F, logits, aOff + j);
            FloatVector xv = FloatVector.fromArray(F, x, xOff + j);
            FloatVector term = bernoulliTerm(a, xv, exp(a.abs().neg()));
            DoubleVector t0 = (DoubleVector) term.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector t1 = (DoubleVector) term.convertShape(VectorOperators.F2D, D, 1);
            acc0 = acc0.add(t0);
            acc1 = acc1.add(t1);
            if (terms != null) {
                t0.intoArray(terms, tOff + j);
                t1.intoArray(terms, tOff + j + HALF);
            }
        }
        if (upper < d) {
            VectorMask<Float> in = F.indexInRange(upper, d);
            FloatVector a = FloatVector.fromArray(F, logits, aOff + upper, in);
            FloatVector xv = FloatVector.fromArray(F, x, xOff + upper, in);
            FloatVector term = FloatVector.zero(F).blend(bernoulliTerm(a, xv, exp(a.abs().neg())), in);
            DoubleVector t0 = (DoubleVector) term.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector t1 = (DoubleVector) term.convertShape(VectorOperators.F2D, D, 1);
            acc0 = acc0.add(t0);
            acc1 = acc1.add(t1);
            if (terms != null) {
                t0.intoArray(terms, tOff + upper, D.indexInRange(upper, d));
                t1.intoArray(terms, tOff + upper + HALF, D.indexInRange(upper + HALF, d));
            }
        }
        return sumLanes(acc0.add(acc1));
    }

    @Override
    public double bernoulliGradient(float[] x, int xOff, float[] logits, int aOff, int d, float scale, float[] grad,
                                    int gOff) {
        DoubleVector acc0 = DoubleVector.zero(D);
        DoubleVector acc1 = DoubleVector.zero(D);
        int upper = F.loopBound(d);
        for (int j = 0; j < upper; j += L) {
            FloatVector a = FloatVector.fromArray(F, logits, aOff + j);
            FloatVector xv = FloatVector.fromArray(F, x, xOff + j);
            // One exp serves both the loss and sigmoid(a) = 1 / (1 + e) for a >= 0, e / (1 + e) below.
            FloatVector e = exp(a.abs().neg());
            FloatVector term = bernoulliTerm(a, xv, e);
            acc0 = acc0.add((DoubleVector) term.convertShape(VectorOperators.F2D, D, 0));
            acc1 = acc1.add((DoubleVector) term.convertShape(VectorOperators.F2D, D, 1));
            FloatVector inv = FloatVector.broadcast(F, 1f).div(e.add(1f));
            FloatVector sigmoid = e.mul(inv).blend(inv, a.compare(VectorOperators.GE, 0f));
            sigmoid.sub(xv).mul(scale).intoArray(grad, gOff + j);
        }
        if (upper < d) {
            VectorMask<Float> in = F.indexInRange(upper, d);
            FloatVector a = FloatVector.fromArray(F, logits, aOff + upper, in);
            FloatVector xv = FloatVector.fromArray(F, x, xOff + upper, in);
            FloatVector e = exp(a.abs().neg());
            FloatVector term = FloatVector.zero(F).blend(bernoulliTerm(a, xv, e), in);
            acc0 = acc0.add((DoubleVector) term.convertShape(VectorOperators.F2D, D, 0));
            acc1 = acc1.add((DoubleVector) term.convertShape(VectorOperators.F2D, D, 1));
            FloatVector inv = FloatVector.broadcast(F, 1f).div(e.add(1f));
            FloatVector sigmoid = e.mul(inv).blend(inv, a.compare(VectorOperators.GE, 0f));
            sigmoid.sub(xv).mul(scale).intoArray(grad, gOff + upper, in);
        }
        return sumLanes(acc0.add(acc1));
    }

    @Override
    public double gaussian(float[] x, int xOff, float[] raw, int rawOff, int d, float bound,
                           double @Nullable [] terms, int tOff) {
        DoubleVector acc0 = DoubleVector.zero(D);
        DoubleVector acc1 = DoubleVector.zero(D);
        int upper = F.loopBound(d);
        float invBound = 1f / bound;
        for (int j = 0; j < upper; j += L) {
            FloatVector r = FloatVector.fromArray(F, x, xOff + j).sub(FloatVector.fromArray(F, raw, rawOff + j));
            FloatVector s = tanh(FloatVector.fromArray(F, raw, rawOff + d + j).mul(invBound)).mul(bound);
            FloatVector term = r.mul(r).mul(exp(s.neg())).add(s).add(LOG_2PI_F).mul(0.5f);
            DoubleVector t0 = (DoubleVector) term.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector t1 = (DoubleVector) term.convertShape(VectorOperators.F2D, D, 1);
            acc0 = acc0.add(t0);
            acc1 = acc1.add(t1);
            if (terms != null) {
                t0.intoArray(terms, tOff + j);
                t1.intoArray(terms, tOff + j + HALF);
            }
        }
        if (upper < d) {
            VectorMask<Float> in = F.indexInRange(upper, d);
            FloatVector r = FloatVector.fromArray(F, x, xOff + upper, in)
                    .sub(FloatVector.fromArray(F, raw, rawOff + upper, in));
            FloatVector s = tanh(FloatVector.fromArray(F, raw, rawOff + d + upper, in).mul(invBound)).mul(bound);
            FloatVector term = FloatVector.zero(F).blend(r.mul(r).mul(exp(s.neg())).add(s).add(LOG_2PI_F).mul(0.5f), in);
            DoubleVector t0 = (DoubleVector) term.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector t1 = (DoubleVector) term.convertShape(VectorOperators.F2D, D, 1);
            acc0 = acc0.add(t0);
            acc1 = acc1.add(t1);
            if (terms != null) {
                t0.intoArray(terms, tOff + upper, D.indexInRange(upper, d));
                t1.intoArray(terms, tOff + upper + HALF, D.indexInRange(upper + HALF, d));
            }
        }
        return sumLanes(acc0.add(acc1));
    }

    @Override
    public double gaussianGradient(float[] x, int xOff, float[] raw, int rawOff, int d, float bound, float scale,
                                   float[] grad, int gOff) {
        DoubleVector acc0 = DoubleVector.zero(D);
        DoubleVector acc1 = DoubleVector.zero(D);
        int upper = F.loopBound(d);
        float invBound = 1f / bound;
        for (int j = 0; j < upper; j += L) {
            FloatVector r = FloatVector.fromArray(F, x, xOff + j).sub(FloatVector.fromArray(F, raw, rawOff + j));
            FloatVector u = tanh(FloatVector.fromArray(F, raw, rawOff + d + j).mul(invBound));
            FloatVector s = u.mul(bound);
            FloatVector precision = exp(s.neg());
            FloatVector r2p = r.mul(r).mul(precision);
            FloatVector term = r2p.add(s).add(LOG_2PI_F).mul(0.5f);
            acc0 = acc0.add((DoubleVector) term.convertShape(VectorOperators.F2D, D, 0));
            acc1 = acc1.add((DoubleVector) term.convertShape(VectorOperators.F2D, D, 1));
            r.mul(precision).mul(-scale).intoArray(grad, gOff + j);
            // d s / d raw = 1 - u^2 with u = s / bound
            r2p.neg().add(1f).mul(u.mul(u).neg().add(1f)).mul(0.5f * scale).intoArray(grad, gOff + d + j);
        }
        if (upper < d) {
            VectorMask<Float> in = F.indexInRange(upper, d);
            FloatVector r = FloatVector.fromArray(F, x, xOff + upper, in)
                    .sub(FloatVector.fromArray(F, raw, rawOff + upper, in));
            FloatVector u = tanh(FloatVector.fromArray(F, raw, rawOff + d + upper, in).mul(invBound));
            FloatVector s = u.mul(bound);
            FloatVector precision = exp(s.neg());
            FloatVector r2p = r.mul(r).mul(precision);
            FloatVector term = FloatVector.zero(F).blend(r2p.add(s).add(LOG_2PI_F).mul(0.5f), in);
            acc0 = acc0.add((DoubleVector) term.convertShape(VectorOperators.F2D, D, 0));
            acc1 = acc1.add((DoubleVector) term.convertShape(VectorOperators.F2D, D, 1));
            r.mul(precision).mul(-scale).intoArray(grad, gOff + upper, in);
            r2p.neg().add(1f).mul(u.mul(u).neg().add(1f)).mul(0.5f * scale).intoArray(grad, gOff + d + upper, in);
        }
        return sumLanes(acc0.add(acc1));
    }

    @Override
    public void tanh(float[] v, int off, int len) {
        int upper = F.loopBound(len);
        for (int i = 0; i < upper; i += L) {
            tanh(FloatVector.fromArray(F, v, off + i)).intoArray(v, off + i);
        }
        if (upper < len) {
            // The tail as masked lanes, not scalar code: an element's bits must not depend on where the slice ends
            // (a batch's hidden units are one slice, whose length depends on the batch size).
            VectorMask<Float> tail = F.indexInRange(upper, len);
            tanh(FloatVector.fromArray(F, v, off + upper, tail)).intoArray(v, off + upper, tail);
        }
    }

    @Override
    public void block4x2(int m, float[] c0, float[] c1, float[] c2, float[] c3, float[] a0, float[] a1, float w00,
                         float w01, float w02, float w03, float w10, float w11, float w12, float w13) {
        int upper = F.loopBound(m);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector x0 = FloatVector.fromArray(F, a0, i);
            FloatVector x1 = FloatVector.fromArray(F, a1, i);
            FloatVector.fromArray(F, c0, i).add(x0.mul(w00)).add(x1.mul(w10)).intoArray(c0, i);
            FloatVector.fromArray(F, c1, i).add(x0.mul(w01)).add(x1.mul(w11)).intoArray(c1, i);
            FloatVector.fromArray(F, c2, i).add(x0.mul(w02)).add(x1.mul(w12)).intoArray(c2, i);
            FloatVector.fromArray(F, c3, i).add(x0.mul(w03)).add(x1.mul(w13)).intoArray(c3, i);
        }
        for (; i < m; i++) {
            float x0 = a0[i];
            float x1 = a1[i];
            c0[i] = (c0[i] + x0 * w00) + x1 * w10;
            c1[i] = (c1[i] + x0 * w01) + x1 * w11;
            c2[i] = (c2[i] + x0 * w02) + x1 * w12;
            c3[i] = (c3[i] + x0 * w03) + x1 * w13;
        }
    }

    @Override
    public void block4x1(int m, float[] c0, float[] c1, float[] c2, float[] c3, float[] a0, float w0, float w1,
                         float w2, float w3) {
        int upper = F.loopBound(m);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector x0 = FloatVector.fromArray(F, a0, i);
            FloatVector.fromArray(F, c0, i).add(x0.mul(w0)).intoArray(c0, i);
            FloatVector.fromArray(F, c1, i).add(x0.mul(w1)).intoArray(c1, i);
            FloatVector.fromArray(F, c2, i).add(x0.mul(w2)).intoArray(c2, i);
            FloatVector.fromArray(F, c3, i).add(x0.mul(w3)).intoArray(c3, i);
        }
        for (; i < m; i++) {
            float x0 = a0[i];
            c0[i] = c0[i] + x0 * w0;
            c1[i] = c1[i] + x0 * w1;
            c2[i] = c2[i] + x0 * w2;
            c3[i] = c3[i] + x0 * w3;
        }
    }

    @Override
    public void axpy4(float[] c, int n, float[] b0, float[] b1, float[] b2, float[] b3, float x0, float x1, float x2,
                      float x3) {
        int upper = F.loopBound(n);
        int j = 0;
        for (; j < upper; j += L) {
            FloatVector.fromArray(F, c, j)
                    .add(FloatVector.fromArray(F, b0, j).mul(x0))
                    .add(FloatVector.fromArray(F, b1, j).mul(x1))
                    .add(FloatVector.fromArray(F, b2, j).mul(x2))
                    .add(FloatVector.fromArray(F, b3, j).mul(x3))
                    .intoArray(c, j);
        }
        for (; j < n; j++) {
            c[j] = (((c[j] + x0 * b0[j]) + x1 * b1[j]) + x2 * b2[j]) + x3 * b3[j];
        }
    }

    @Override
    public void axpy1(float[] c, int n, float[] b, float x) {
        int upper = F.loopBound(n);
        int j = 0;
        for (; j < upper; j += L) {
            FloatVector.fromArray(F, c, j).add(FloatVector.fromArray(F, b, j).mul(x)).intoArray(c, j);
        }
        for (; j < n; j++) {
            c[j] = c[j] + x * b[j];
        }
    }

    /** The lanes' sum in lane order (a fixed order, unlike {@code reduceLanes}, whose order is unspecified). */
    private static double sumLanes(DoubleVector v) {
        double sum = 0.0;
        for (int i = 0; i < HALF; i++) {
            sum += v.lane(i);
        }
        return sum;
    }
}
