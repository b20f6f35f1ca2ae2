package dev.vae.core.kernel.simd;

import dev.vae.core.kernel.ElementKernels;
import dev.vae.core.kernel.FloatMath;
import dev.vae.core.kernel.ScalarElementKernels;
import dev.vae.core.kernel.Transcendentals;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.jspecify.annotations.Nullable;

/**
 * {@link ElementKernels} on the Vector API, bit-identical to {@link ScalarElementKernels} at either of its widths.
 *
 * <p>The width is fixed when the class loads: 512 bits when the machine's preferred vector holds 16 floats, else 256
 * bits (on narrower machines {@link #create()} gives null and the scalar kernels run), or as the system property
 * {@value #BITS_PROPERTY} says ({@code 256} or {@code 512}, for tests and comparisons). The species are
 * {@code static final} constants, as C2 needs to compile Vector API calls into vector instructions (a species held in
 * an instance field leaves them as boxed Java objects). The width changes the speed, never the bits:
 * each lane computes {@link FloatMath}'s expression (the same operations in the same order, no fused
 * multiply-add), and a row's sum keeps {@link ElementKernels#LANES} double partial sums, feature j in partial
 * {@code j mod 8} (see {@link ElementKernels}). A 256-bit float vector (8 features) widens into two 4-double halves,
 * partials 0-3 and 4-7; a 512-bit one (16 features) into two 8-double halves, both added in order into the one
 * accumulator of partials 0-7. The last features of a row run as masked lanes of one more vector, whose other lanes
 * add +0 (which changes no partial), so no feature goes through a second formula.
 * {@link #tanh(float[], int, int)}, whose slices' length depends on the batch, gives a masked lane the bits of a full
 * one.
 *
 * <p>The likelihood loops repeat their widen-and-sum lines instead of calling a helper, and each masked tail repeats
 * its loop's body with masked loads and stores. JDK 17's C2 stops inlining ordinary methods once a compilation has
 * made 18,000 nodes ({@code NodeCountInliningCutoff}, fixed in product JVMs), and the force-inlined Vector API calls
 * of one loop body nearly reach that alone: a helper met after that point, or one already compiled by itself into
 * more than 2.5 KB, stays a call, and every vector that crosses a call is boxed. Measured with
 * {@code -XX:+LogCompilation} and the bytes allocated per call (784 features, 512 bits): these loops already box about
 * 192 bytes a vector (the last helper of each body stays a call); a step method per kernel shared by the loop and its
 * tail, accumulator helpers, one masked loop, or one loop taking its tail as a last masked vector boxed up to 2.8 to
 * 4.7 times as much, and two accumulator helpers once cost 15-30% of the rows a second. The matrix blocks hold no
 * vector across a call, so they finish their rows with the scalar kernels' loops.
 */
public final class VectorElementKernels implements ElementKernels {

    /** The system property that fixes the vector width: {@code 256} or {@code 512} bits (default: the machine's). */
    public static final String BITS_PROPERTY = "vae.simd.bits";

    /** The vector width in bits, or 0 when the machine's vectors hold fewer than 8 floats. */
    private static final int BITS = chooseBits();
    private static final VectorSpecies<Float> F = BITS == 512 ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;
    /** Doubles in a vector of the same size: each float vector converts into two of them. */
    private static final VectorSpecies<Double> D = BITS == 512 ? DoubleVector.SPECIES_512 : DoubleVector.SPECIES_256;
    private static final int L = F.length();
    private static final int HALF = D.length();
    /** Whether one double vector holds all {@link ElementKernels#LANES} partials (512 bits) or half of them (256). */
    private static final boolean WIDE = HALF == LANES;

    private VectorElementKernels() {
    }

    private static int chooseBits() {
        String wanted = System.getProperty(BITS_PROPERTY);
        if (wanted != null && !wanted.isBlank()) {
            return switch (wanted.trim()) {
                case "256" -> 256;
                case "512" -> 512;
                default -> throw new IllegalArgumentException(
                        "Invalid " + BITS_PROPERTY + ": '" + wanted + "' (expected 256 or 512)");
            };
        }
        int preferred = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        return preferred >= 512 ? 512 : preferred >= 256 ? 256 : 0;
    }

    /** The kernels, or null when the preferred vector holds fewer than 8 floats (the scalar kernels are faster). */
    public static @Nullable ElementKernels create() {
        return BITS == 0 ? null : new VectorElementKernels();
    }

    @Override
    public String name() {
        return "simd-" + F.vectorBitSize();
    }

    /** e^x per lane: {@link FloatMath#exp} lane by lane. */
    static FloatVector exp(FloatVector x) {
        FloatVector c = x.max(FloatMath.EXP_MIN).min(FloatMath.EXP_MAX);
        FloatVector t = c.mul(FloatMath.LOG2E).add(FloatMath.ROUNDER);
        FloatVector n = t.sub(FloatMath.ROUNDER);
        FloatVector r = c.sub(n.mul(FloatMath.LN2_HI));
        r = r.sub(n.mul(FloatMath.LN2_LO));
        FloatVector p = r.mul(FloatMath.EXP_P5).add(FloatMath.EXP_P4);
        p = p.mul(r).add(FloatMath.EXP_P3);
        p = p.mul(r).add(FloatMath.EXP_P2);
        p = p.mul(r).add(FloatMath.EXP_P1);
        p = p.mul(r).add(FloatMath.EXP_P0);
        p = p.mul(r.mul(r)).add(r.add(1f));
        IntVector biased = ((IntVector) t.reinterpretAsInts()).sub(FloatMath.ROUNDER_BITS - 127);
        return p.mul(biased.lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
    }

    /** log(1 + e) per lane for e in [0, 1]: {@link FloatMath#log1pOfUnit} lane by lane. */
    static FloatVector log1pOfUnit(FloatVector e) {
        FloatVector s = e.div(e.add(2f));
        FloatVector s2 = s.mul(s);
        FloatVector p = s2.mul(1f / 13).add(1f / 11);
        p = p.mul(s2).add(1f / 9);
        p = p.mul(s2).add(1f / 7);
        p = p.mul(s2).add(1f / 5);
        p = p.mul(s2).add(1f / 3);
        p = p.mul(s2).add(1f);
        return p.mul(s.add(s));
    }

    /** tanh(x) per lane: {@link FloatMath#tanh} lane by lane (both branches computed, one kept). */
    static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector t = exp(ax.mul(-2f));
        FloatVector far = t.neg().add(1f).div(t.add(1f));
        FloatVector x2 = ax.mul(ax);
        FloatVector p = x2.mul(62f / 2835).add(-17f / 315);
        p = p.mul(x2).add(2f / 15);
        p = p.mul(x2).add(-1f / 3);
        p = p.mul(x2).add(1f);
        FloatVector y = far.blend(ax.mul(p), ax.compare(VectorOperators.LT, FloatMath.TANH_SERIES_BELOW));
        IntVector sign = ((IntVector) x.reinterpretAsInts()).and(0x80000000);
        return ((IntVector) y.reinterpretAsInts()).or(sign).reinterpretAsFloats();
    }

    /** {@link FloatMath#bernoulliTerm} lane by lane. */
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
            if (WIDE) {
                acc0 = acc0.add(t0).add(t1);
            } else {
                acc0 = acc0.add(t0);
                acc1 = acc1.add(t1);
            }
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
            if (WIDE) {
                acc0 = acc0.add(t0).add(t1);
            } else {
                acc0 = acc0.add(t0);
                acc1 = acc1.add(t1);
            }
            if (terms != null) {
                t0.intoArray(terms, tOff + upper, D.indexInRange(upper, d));
                t1.intoArray(terms, tOff + upper + HALF, D.indexInRange(upper + HALF, d));
            }
        }
        return total(acc0, acc1);
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
            DoubleVector t0 = (DoubleVector) term.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector t1 = (DoubleVector) term.convertShape(VectorOperators.F2D, D, 1);
            if (WIDE) {
                acc0 = acc0.add(t0).add(t1);
            } else {
                acc0 = acc0.add(t0);
                acc1 = acc1.add(t1);
            }
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
            DoubleVector t0 = (DoubleVector) term.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector t1 = (DoubleVector) term.convertShape(VectorOperators.F2D, D, 1);
            if (WIDE) {
                acc0 = acc0.add(t0).add(t1);
            } else {
                acc0 = acc0.add(t0);
                acc1 = acc1.add(t1);
            }
            FloatVector inv = FloatVector.broadcast(F, 1f).div(e.add(1f));
            FloatVector sigmoid = e.mul(inv).blend(inv, a.compare(VectorOperators.GE, 0f));
            sigmoid.sub(xv).mul(scale).intoArray(grad, gOff + upper, in);
        }
        return total(acc0, acc1);
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
            FloatVector term = r.mul(r).mul(exp(s.neg())).add(s).add(FloatMath.LOG_2PI).mul(0.5f);
            DoubleVector t0 = (DoubleVector) term.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector t1 = (DoubleVector) term.convertShape(VectorOperators.F2D, D, 1);
            if (WIDE) {
                acc0 = acc0.add(t0).add(t1);
            } else {
                acc0 = acc0.add(t0);
                acc1 = acc1.add(t1);
            }
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
            FloatVector term = FloatVector.zero(F).blend(r.mul(r).mul(exp(s.neg())).add(s).add(FloatMath.LOG_2PI).mul(0.5f), in);
            DoubleVector t0 = (DoubleVector) term.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector t1 = (DoubleVector) term.convertShape(VectorOperators.F2D, D, 1);
            if (WIDE) {
                acc0 = acc0.add(t0).add(t1);
            } else {
                acc0 = acc0.add(t0);
                acc1 = acc1.add(t1);
            }
            if (terms != null) {
                t0.intoArray(terms, tOff + upper, D.indexInRange(upper, d));
                t1.intoArray(terms, tOff + upper + HALF, D.indexInRange(upper + HALF, d));
            }
        }
        return total(acc0, acc1);
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
            FloatVector term = r2p.add(s).add(FloatMath.LOG_2PI).mul(0.5f);
            DoubleVector t0 = (DoubleVector) term.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector t1 = (DoubleVector) term.convertShape(VectorOperators.F2D, D, 1);
            if (WIDE) {
                acc0 = acc0.add(t0).add(t1);
            } else {
                acc0 = acc0.add(t0);
                acc1 = acc1.add(t1);
            }
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
            FloatVector term = FloatVector.zero(F).blend(r2p.add(s).add(FloatMath.LOG_2PI).mul(0.5f), in);
            DoubleVector t0 = (DoubleVector) term.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector t1 = (DoubleVector) term.convertShape(VectorOperators.F2D, D, 1);
            if (WIDE) {
                acc0 = acc0.add(t0).add(t1);
            } else {
                acc0 = acc0.add(t0);
                acc1 = acc1.add(t1);
            }
            r.mul(precision).mul(-scale).intoArray(grad, gOff + upper, in);
            r2p.neg().add(1f).mul(u.mul(u).neg().add(1f)).mul(0.5f * scale).intoArray(grad, gOff + d + upper, in);
        }
        return total(acc0, acc1);
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
        for (int i = 0; i < upper; i += L) {
            FloatVector x0 = FloatVector.fromArray(F, a0, i);
            FloatVector x1 = FloatVector.fromArray(F, a1, i);
            FloatVector.fromArray(F, c0, i).add(x0.mul(w00)).add(x1.mul(w10)).intoArray(c0, i);
            FloatVector.fromArray(F, c1, i).add(x0.mul(w01)).add(x1.mul(w11)).intoArray(c1, i);
            FloatVector.fromArray(F, c2, i).add(x0.mul(w02)).add(x1.mul(w12)).intoArray(c2, i);
            FloatVector.fromArray(F, c3, i).add(x0.mul(w03)).add(x1.mul(w13)).intoArray(c3, i);
        }
        // The last rows by the plain loop: each element is the same float expression in a lane or alone (no fused
        // multiply-add), so its bits do not depend on where the vectors ended.
        ScalarElementKernels.block4x2From(upper, m, c0, c1, c2, c3, a0, a1, w00, w01, w02, w03, w10, w11, w12, w13);
    }

    @Override
    public void block4x1(int m, float[] c0, float[] c1, float[] c2, float[] c3, float[] a0, float w0, float w1,
                         float w2, float w3) {
        int upper = F.loopBound(m);
        for (int i = 0; i < upper; i += L) {
            FloatVector x0 = FloatVector.fromArray(F, a0, i);
            FloatVector.fromArray(F, c0, i).add(x0.mul(w0)).intoArray(c0, i);
            FloatVector.fromArray(F, c1, i).add(x0.mul(w1)).intoArray(c1, i);
            FloatVector.fromArray(F, c2, i).add(x0.mul(w2)).intoArray(c2, i);
            FloatVector.fromArray(F, c3, i).add(x0.mul(w3)).intoArray(c3, i);
        }
        ScalarElementKernels.block4x1From(upper, m, c0, c1, c2, c3, a0, w0, w1, w2, w3);
    }

    @Override
    public void axpy4(float[] c, int n, float[] b0, float[] b1, float[] b2, float[] b3, float x0, float x1, float x2,
                      float x3) {
        int upper = F.loopBound(n);
        for (int j = 0; j < upper; j += L) {
            FloatVector.fromArray(F, c, j)
                    .add(FloatVector.fromArray(F, b0, j).mul(x0))
                    .add(FloatVector.fromArray(F, b1, j).mul(x1))
                    .add(FloatVector.fromArray(F, b2, j).mul(x2))
                    .add(FloatVector.fromArray(F, b3, j).mul(x3))
                    .intoArray(c, j);
        }
        ScalarElementKernels.axpy4From(upper, c, n, b0, b1, b2, b3, x0, x1, x2, x3);
    }

    @Override
    public void axpy1(float[] c, int n, float[] b, float x) {
        int upper = F.loopBound(n);
        for (int j = 0; j < upper; j += L) {
            FloatVector.fromArray(F, c, j).add(FloatVector.fromArray(F, b, j).mul(x)).intoArray(c, j);
        }
        ScalarElementKernels.axpy1From(upper, c, n, b, x);
    }

    @Override
    public boolean allInUnitInterval(float[] x, int off, int len) {
        int upper = F.loopBound(len);
        for (int j = 0; j < upper; j += L) {
            FloatVector v = FloatVector.fromArray(F, x, off + j);
            // A NaN compares false both ways, so it fails the test as it does the scalar one.
            if (!v.compare(VectorOperators.GE, 0f).and(v.compare(VectorOperators.LE, 1f)).allTrue()) {
                return false;
            }
        }
        return ScalarElementKernels.allInUnitIntervalFrom(upper, x, off, len);
    }

    // fdlibm's e^x (java.lang.FdLibm.Exp), whose operations strictExp repeats lane by lane.
    private static final double LN2_HI = 0x1.62e42feep-1;
    private static final double LN2_LO = 0x1.a39ef35793c76p-33;
    private static final double INV_LN2 = 0x1.71547652b82fep0;
    private static final double EXP_P1 = 0x1.555555555553ep-3;
    private static final double EXP_P2 = -0x1.6c16c16bebd93p-9;
    private static final double EXP_P3 = 0x1.1566aaf25de2cp-14;
    private static final double EXP_P4 = -0x1.bbd41c5d26bf1p-20;
    private static final double EXP_P5 = 0x1.6376972bea4d0p-25;
    /*
     * Where fdlibm changes its argument reduction, as |x| bounds: the high word of |x| above 0x3fd62e42 (0.5 ln2),
     * below 0x3ff0a2b2 (1.5 ln2), below 0x3e300000 (2^-28, where e^x = 1 + x). Positive doubles order as their bits,
     * so a high-word test is a comparison with the double whose high word is the boundary's (plus one for "above").
     */
    private static final double ABOVE_HALF_LN2 = Double.longBitsToDouble(0x3fd62e43L << 32);
    private static final double BELOW_THREE_HALVES_LN2 = Double.longBitsToDouble(0x3ff0a2b2L << 32);
    private static final double TINY = Double.longBitsToDouble(0x3e300000L << 32);
    /**
     * From |x| = 700 (and for infinities and NaN) a vector of lanes goes to StrictMath itself, which handles overflow,
     * underflow and the subnormal results that the exponent addition below cannot make.
     */
    private static final double SCALAR_FROM = 700.0;
    /** 2^52: adding and subtracting it rounds a double below 2^51 to an integer. */
    private static final double TWO_52 = 0x1.0p52;
    /** 1.5 * 2^52: an integer k below 2^31 plus this has k in the low bits of its mantissa. */
    private static final double INTEGER_BITS = 0x1.8p52;

    /**
     * StrictMath.exp lane by lane, with its bits: fdlibm's operations in its order (no fused multiply-add). fdlibm
     * picks k = round(x / ln2) in three ways by the size of |x| (0 up to 0.5 ln2, +-1 up to 1.5 ln2, else
     * (int) (x / ln2 +- 1/2), a truncation, computed here exactly in doubles); every lane reduces with its k, and the
     * one formula that follows gives for k = 0 the same bits as fdlibm's k = 0 formula: (x * c) / (c - 2) is exactly
     * -((x * c) / (2 - c)), and 0 - q is exactly -q. The scaling by 2^k adds k to the exponent bits, as fdlibm does.
     * No lane converts between doubles and longs: JDK 17's C2 leaves those conversions in Java.
     */
    @Override
    public void strictExp(double[] v, int off, int len) {
        int upper = off + D.loopBound(len);
        for (int i = off; i < upper; i += HALF) {
            DoubleVector x = DoubleVector.fromArray(D, v, i);
            DoubleVector ax = x.abs();
            if (!ax.compare(VectorOperators.LT, SCALAR_FROM).allTrue()) {
                ScalarElementKernels.strictExpFrom(i, v, i + HALF);
                continue;
            }
            VectorMask<Double> negative = x.compare(VectorOperators.LT, 0.0);
            // |x / ln2 +- 1/2| truncated: rounded to an integer, less one where that rounded up, the sign put back.
            DoubleVector a = x.mul(INV_LN2).add(DoubleVector.broadcast(D, 0.5).blend(-0.5, negative)).abs();
            DoubleVector whole = a.add(TWO_52).sub(TWO_52);
            whole = whole.sub(DoubleVector.broadcast(D, 0.0).blend(1.0, whole.compare(VectorOperators.GT, a)));
            DoubleVector k = whole.blend(whole.neg(), negative);
            k = k.blend(DoubleVector.broadcast(D, 1.0).blend(-1.0, negative),
                    ax.compare(VectorOperators.LT, BELOW_THREE_HALVES_LN2));
            k = k.blend(0.0, ax.compare(VectorOperators.LT, ABOVE_HALF_LN2));
            DoubleVector hi = x.sub(k.mul(LN2_HI));
            DoubleVector lo = k.mul(LN2_LO);
            DoubleVector r = hi.sub(lo);
            DoubleVector t = r.mul(r);
            DoubleVector p = t.mul(EXP_P5).add(EXP_P4);
            p = t.mul(p).add(EXP_P3);
            p = t.mul(p).add(EXP_P2);
            p = t.mul(p).add(EXP_P1);
            DoubleVector c = r.sub(t.mul(p));
            DoubleVector q = r.mul(c).div(DoubleVector.broadcast(D, 2.0).sub(c));
            DoubleVector y = DoubleVector.broadcast(D, 1.0).sub(lo.sub(q).sub(hi));
            LongVector exponent = ((LongVector) k.add(INTEGER_BITS).reinterpretAsLongs())
                    .lanewise(VectorOperators.LSHL, 52);
            ((LongVector) y.reinterpretAsLongs()).add(exponent).reinterpretAsDoubles()
                    .blend(x.add(1.0), ax.compare(VectorOperators.LT, TINY)).intoArray(v, i);
        }
        ScalarElementKernels.strictExpFrom(upper, v, off + len);
    }

    /** A double's sign bit: x's, or-ed into a non-negative y, makes Math.copySign(y, x). */
    private static final long SIGN = Long.MIN_VALUE;

    /**
     * {@link Transcendentals#tanh} lane by lane, with its bits: its three branches computed and kept per lane by
     * blends, the same operations in the same order (no fused multiply-add). Its exponential e^(-2|x|) is
     * {@link #strictExp}'s lanes, repeated here rather than called: as a method of its own C2 does not inline it
     * (too large), and strictExp then ran 2.7 times slower (vectors crossing a call are boxed). Where tanh is +-1 the
     * exponential is not used: its argument stops at -40 there (the lanes need |argument| below
     * {@value #SCALAR_FROM}). A vector with a NaN goes to Transcendentals.tanh itself.
     */
    @Override
    public void tanh(double[] v, int off, int len) {
        int upper = off + D.loopBound(len);
        for (int i = off; i < upper; i += HALF) {
            DoubleVector x = DoubleVector.fromArray(D, v, i);
            DoubleVector ax = x.abs();
            if (!ax.compare(VectorOperators.EQ, ax).allTrue()) {
                ScalarElementKernels.tanhFrom(i, v, i + HALF);
                continue;
            }
            // t = e^e2 for e2 = -2|x| (capped), as strictExp's lanes for a negative argument.
            DoubleVector e2 = ax.min(Transcendentals.TANH_ONE_FROM).mul(-2.0);
            DoubleVector ae2 = e2.abs();
            DoubleVector a = e2.mul(INV_LN2).sub(0.5).abs();
            DoubleVector whole = a.add(TWO_52).sub(TWO_52);
            whole = whole.sub(DoubleVector.broadcast(D, 0.0).blend(1.0, whole.compare(VectorOperators.GT, a)));
            DoubleVector k = whole.neg();
            k = k.blend(-1.0, ae2.compare(VectorOperators.LT, BELOW_THREE_HALVES_LN2));
            k = k.blend(0.0, ae2.compare(VectorOperators.LT, ABOVE_HALF_LN2));
            DoubleVector hi = e2.sub(k.mul(LN2_HI));
            DoubleVector lo = k.mul(LN2_LO);
            DoubleVector r = hi.sub(lo);
            DoubleVector rr = r.mul(r);
            DoubleVector p = rr.mul(EXP_P5).add(EXP_P4);
            p = rr.mul(p).add(EXP_P3);
            p = rr.mul(p).add(EXP_P2);
            p = rr.mul(p).add(EXP_P1);
            DoubleVector c = r.sub(rr.mul(p));
            DoubleVector q = r.mul(c).div(DoubleVector.broadcast(D, 2.0).sub(c));
            DoubleVector y = DoubleVector.broadcast(D, 1.0).sub(lo.sub(q).sub(hi));
            LongVector exponent = ((LongVector) k.add(INTEGER_BITS).reinterpretAsLongs())
                    .lanewise(VectorOperators.LSHL, 52);
            DoubleVector t = ((LongVector) y.reinterpretAsLongs()).add(exponent).reinterpretAsDoubles()
                    .blend(e2.add(1.0), ae2.compare(VectorOperators.LT, TINY));
            // tanh: (1 - t) / (1 + t), 1 from TANH_ONE_FROM, the series below TANH_SERIES_BELOW; x's sign.
            DoubleVector far = DoubleVector.broadcast(D, 1.0).sub(t).div(t.add(1.0));
            DoubleVector x2 = ax.mul(ax);
            DoubleVector s = x2.mul(-1382.0 / 155925).add(62.0 / 2835);
            s = x2.mul(s).add(-17.0 / 315);
            s = x2.mul(s).add(2.0 / 15);
            s = x2.mul(s).add(-1.0 / 3);
            s = x2.mul(s).add(1.0);
            DoubleVector tanh = far.blend(1.0, ax.compare(VectorOperators.GE, Transcendentals.TANH_ONE_FROM))
                    .blend(ax.mul(s), ax.compare(VectorOperators.LT, Transcendentals.TANH_SERIES_BELOW));
            ((LongVector) tanh.reinterpretAsLongs()).or(((LongVector) x.reinterpretAsLongs()).and(SIGN))
                    .reinterpretAsDoubles().intoArray(v, i);
        }
        ScalarElementKernels.tanhFrom(upper, v, off + len);
    }

    // fdlibm's log(1 + x) (java.lang.FdLibm.Log1p), whose operations strictLog1p repeats lane by lane.
    private static final double LP1 = 0x1.5555555555593p-1;
    private static final double LP2 = 0x1.999999997fa04p-2;
    private static final double LP3 = 0x1.2492494229359p-2;
    private static final double LP4 = 0x1.c71c51d8e78afp-3;
    private static final double LP5 = 0x1.7466496cb03dep-3;
    private static final double LP6 = 0x1.39a09d078c69fp-3;
    private static final double LP7 = 0x1.2f112df3e5244p-3;
    /** fdlibm's literal, as written there (the double nearest 2/3). */
    private static final double TWO_THIRDS = 0.66666666666666666;
    /*
     * fdlibm's high-word tests as comparisons of doubles (see strictExp's). On x: from -0.2929 (|x| below 0x3fd2bec4)
     * to 0.41422 (below 0x3fda827a) log1p takes k = 0 and f = x; |x| below 2^-29 (0x3e200000) gives x - x^2 / 2, below
     * 2^-54 (0x3c900000) x itself; from 2^53 (0x43400000) u = x, without a correction term.
     */
    private static final double K0_ABOVE = -highWord(0x3fd2bec4L);
    private static final double K0_BELOW = highWord(0x3fda827aL);
    private static final double SERIES_BELOW = highWord(0x3e200000L);
    private static final double IDENTITY_BELOW = highWord(0x3c900000L);
    private static final double NO_CORRECTION_FROM = highWord(0x43400000L);
    /*
     * On u's mantissa scaled into [1, 2), fdlibm's hu: from 0x6a09e (about sqrt 2) it halves u and adds one to k; its
     * hu is 0 (|f| < 2^-20, a shorter formula) below 0x00001 and, once halved, from 0xffffd ((0x100000 - hu) >> 2).
     */
    private static final double HALVE_FROM = highWord(0x3ff6a09eL);
    private static final double FLAT_BELOW = highWord(0x3ff00001L);
    private static final double FLAT_FROM = highWord(0x3ffffffdL);
    private static final long MANTISSA = 0x000f_ffff_ffff_ffffL;
    private static final long ONE_BITS = 0x3ff0_0000_0000_0000L;
    /** 2^52's bits: an integer below 2^52 put in its mantissa reads, less 2^52, as that integer. */
    private static final long TWO_52_BITS = 0x4330_0000_0000_0000L;

    /** The positive double whose high word is {@code word} and low word 0. */
    private static double highWord(long word) {
        return Double.longBitsToDouble(word << 32);
    }

    /**
     * StrictMath.log1p lane by lane, with its bits: fdlibm's operations in its order (no fused multiply-add), each of
     * its branches computed and kept per lane by a blend. A vector with a NaN, an infinity or an x at or below -1
     * goes to StrictMath itself. k, fdlibm's integer exponent, is u's exponent field read as a double through 2^52's
     * mantissa, as strictExp does: no lane converts between doubles and longs. fdlibm chooses its final formulas by
     * the k it ends with, which is 0 for the small x and also for x just below -0.2929 (where halving u adds one to
     * k = -1), so the blends test k == 0, not the range of x.
     */
    @Override
    public void strictLog1p(double[] v, int off, int len) {
        int upper = off + D.loopBound(len);
        for (int i = off; i < upper; i += HALF) {
            DoubleVector x = DoubleVector.fromArray(D, v, i);
            if (!x.compare(VectorOperators.GT, -1.0).and(x.compare(VectorOperators.LT, Double.POSITIVE_INFINITY))
                    .allTrue()) {
                ScalarElementKernels.strictLog1pFrom(i, v, i + HALF);
                continue;
            }
            // u = 1 + x rounded and its correction c = (1 + x - u) / u; from 2^53, u = x and c = 0.
            VectorMask<Double> huge = x.compare(VectorOperators.GE, NO_CORRECTION_FROM);
            DoubleVector u = x.add(1.0);
            DoubleVector c = x.sub(u.sub(1.0)).blend(DoubleVector.broadcast(D, 1.0).sub(u.sub(x)),
                    u.compare(VectorOperators.GE, 2.0)).div(u).blend(0.0, huge);
            u = u.blend(x, huge);
            LongVector bits = (LongVector) u.reinterpretAsLongs();
            DoubleVector m = bits.and(MANTISSA).or(ONE_BITS).reinterpretAsDoubles();
            DoubleVector exponent = ((LongVector) bits.lanewise(VectorOperators.LSHR, 52)).or(TWO_52_BITS)
                    .reinterpretAsDoubles().sub(TWO_52);
            VectorMask<Double> halve = m.compare(VectorOperators.GE, HALVE_FROM);
            VectorMask<Double> near = x.compare(VectorOperators.GT, K0_ABOVE)
                    .and(x.compare(VectorOperators.LT, K0_BELOW));
            VectorMask<Double> flat = m.compare(VectorOperators.LT, FLAT_BELOW)
                    .or(m.compare(VectorOperators.GE, FLAT_FROM)).andNot(near);
            DoubleVector k = exponent.sub(DoubleVector.broadcast(D, 1023.0).blend(1022.0, halve)).blend(0.0, near);
            DoubleVector f = m.blend(m.mul(0.5), halve).sub(1.0).blend(x, near);
            DoubleVector hfsq = f.mul(0.5).mul(f);
            DoubleVector s = f.div(f.add(2.0));
            DoubleVector z = s.mul(s);
            DoubleVector p = z.mul(LP7).add(LP6);
            p = z.mul(p).add(LP5);
            p = z.mul(p).add(LP4);
            p = z.mul(p).add(LP3);
            p = z.mul(p).add(LP2);
            p = z.mul(p).add(LP1);
            DoubleVector big = z.mul(p);
            DoubleVector shr = s.mul(hfsq.add(big));
            DoubleVector kHi = k.mul(LN2_HI);
            DoubleVector kLo = k.mul(LN2_LO);
            DoubleVector kLoC = kLo.add(c);
            VectorMask<Double> kZero = k.compare(VectorOperators.EQ, 0.0);
            DoubleVector y = kHi.sub(hfsq.sub(shr.add(kLoC)).sub(f)).blend(f.sub(hfsq.sub(shr)), kZero);
            // |f| < 2^-20: R = hfsq (1 - 2/3 f), or for f = 0 only k ln2.
            DoubleVector small = hfsq.mul(DoubleVector.broadcast(D, 1.0).sub(f.mul(TWO_THIRDS)));
            DoubleVector flatY = kHi.sub(small.sub(kLoC).sub(f)).blend(f.sub(small), kZero)
                    .blend(kHi.add(c.add(kLo)).blend(0.0, kZero), f.compare(VectorOperators.EQ, 0.0));
            y = y.blend(flatY, flat);
            DoubleVector ax = x.abs();
            y = y.blend(x.sub(x.mul(x).mul(0.5)).blend(x, ax.compare(VectorOperators.LT, IDENTITY_BELOW)),
                    ax.compare(VectorOperators.LT, SERIES_BELOW));
            y.intoArray(v, i);
        }
        ScalarElementKernels.strictLog1pFrom(upper, v, off + len);
    }

    /**
     * The row's value from its partials, in {@link ElementKernels}'s order: {@code acc0} holds partials 0 to 7 (512
     * bits) or 0 to 3 and {@code acc1} 4 to 7 (256 bits). Not {@code reduceLanes}, whose order is unspecified.
     */
    private static double total(DoubleVector acc0, DoubleVector acc1) {
        double sum = acc0.lane(0);
        for (int i = 1; i < HALF; i++) {
            sum += acc0.lane(i);
        }
        if (!WIDE) {
            for (int i = 0; i < HALF; i++) {
                sum += acc1.lane(i);
            }
        }
        return sum;
    }
}
