package dev.vae.core.kernel;

/**
 * exp, log1p and tanh in single precision from + - * / alone: the per-element functions of the scoring kernels.
 *
 * <p>Every {@link ElementKernels} implementation evaluates these exact expressions (the Vector API kernels lane by
 * lane, {@link ScalarElementKernels} one element at a time), in the same order and without fused multiply-adds.
 * Java rounds each float operation to nearest since JDK 17 (JEP 306) and a vector lane rounds as the scalar
 * operation does, so the results are the same bits on every JVM and CPU, with or without the Vector API module.
 * {@code Math.exp} and {@code Math.log} could not promise that: the JDK lets them differ by an ulp between
 * platforms and between the interpreter and the JIT's intrinsics.
 *
 * <p>exp reduces {@code x = n ln 2 + r} with |r| <= ln 2 / 2 and a degree-7 polynomial, 2^n from the exponent
 * bits; log1p on [0, 1] is {@code 2 atanh(e / (2 + e))} as an odd series; tanh is a series below 1/4 and
 * {@code (1 - e^-2|x|) / (1 + e^-2|x|)} above. Accuracy (tested against {@code StrictMath}): exp within 2.5e-7,
 * log1p within 3e-7, tanh within 5e-7 relative, all near the float rounding of the model outputs they take.
 */
public final class FloatMath {

    /** log2(e), rounded to float. */
    public static final float LOG2E = 1.44269504f;
    /** ln 2 split so that {@code n * LN2_HI} is exact for |n| < 2^9. */
    public static final float LN2_HI = 0.693359375f;
    /** The rest of ln 2: {@code ln 2 - LN2_HI}, rounded to float. */
    public static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding it rounds a float of magnitude < 2^22 to an integer, held in the low mantissa bits. */
    public static final float ROUNDER = 12582912f;
    /** The bits of {@link #ROUNDER}. */
    public static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
    /** exp's argument is clamped to {@code [EXP_MIN, EXP_MAX]}: e^-87 stands in for smaller values. */
    public static final float EXP_MIN = -87f;
    /** The largest argument of exp whose result is finite after the clamp. */
    public static final float EXP_MAX = 88f;
    /** exp's polynomial coefficients, highest degree first: {@code p(r) ~ (e^r - 1 - r) / r^2}. */
    public static final float EXP_P5 = 1.9875691500e-4f;
    /** See {@link #EXP_P5}. */
    public static final float EXP_P4 = 1.3981999507e-3f;
    /** See {@link #EXP_P5}. */
    public static final float EXP_P3 = 8.3334519073e-3f;
    /** See {@link #EXP_P5}. */
    public static final float EXP_P2 = 4.1665795894e-2f;
    /** See {@link #EXP_P5}. */
    public static final float EXP_P1 = 1.6666665459e-1f;
    /** See {@link #EXP_P5}. */
    public static final float EXP_P0 = 5.0000001201e-1f;
    /** Below this |x| tanh uses its series: {@code (1 - t) / (1 + t)} loses low bits to cancellation there. */
    public static final float TANH_SERIES_BELOW = 0.25f;
    /** log(2 pi), rounded to float: the Gaussian terms' constant. */
    public static final float LOG_2PI = (float) StrictMath.log(2.0 * Math.PI);

    private FloatMath() {
    }

    /** e^x for x in [-87, 88] (clamped to it); NaN stays NaN. */
    public static float exp(float x) {
        float c = Math.min(Math.max(x, EXP_MIN), EXP_MAX);
        float t = c * LOG2E + ROUNDER;
        float n = t - ROUNDER;
        float r = c - n * LN2_HI;
        r = r - n * LN2_LO;
        float p = EXP_P5;
        p = p * r + EXP_P4;
        p = p * r + EXP_P3;
        p = p * r + EXP_P2;
        p = p * r + EXP_P1;
        p = p * r + EXP_P0;
        p = p * (r * r) + (r + 1f);
        int biased = Float.floatToRawIntBits(t) - (ROUNDER_BITS - 127);
        return p * Float.intBitsToFloat(biased << 23);
    }

    /** log(1 + e) for e in [0, 1]: {@code 2 s (1 + s^2/3 + ... + s^12/13)}, s = e / (2 + e) <= 1/3. */
    public static float log1pOfUnit(float e) {
        float s = e / (e + 2f);
        float s2 = s * s;
        float p = 1f / 13;
        p = p * s2 + 1f / 11;
        p = p * s2 + 1f / 9;
        p = p * s2 + 1f / 7;
        p = p * s2 + 1f / 5;
        p = p * s2 + 1f / 3;
        p = p * s2 + 1f;
        return p * (s + s);
    }

    /** tanh(x), odd, saturating at 1; NaN stays NaN. */
    public static float tanh(float x) {
        float ax = Math.abs(x);
        float y;
        if (ax < TANH_SERIES_BELOW) {
            float x2 = ax * ax;
            float p = 62f / 2835;
            p = p * x2 + -17f / 315;
            p = p * x2 + 2f / 15;
            p = p * x2 + -1f / 3;
            p = p * x2 + 1f;
            y = ax * p;
        } else {
            float t = exp(ax * -2f);
            y = (1f - t) / (t + 1f);
        }
        // The sign bit of x on |tanh|: -0 stays -0, as the vector kernels' bitwise or gives.
        return Float.intBitsToFloat(Float.floatToRawIntBits(y) | (Float.floatToRawIntBits(x) & 0x80000000));
    }

    /** softplus(a) - x a = a (step(a) - x) + log1p(e^-|a|), with e = e^-|a| given: no cancellation when x = 1. */
    public static float bernoulliTerm(float a, float x, float e) {
        float step = a >= 0f ? 1f : 0f;
        return a * (step - x) + log1pOfUnit(e);
    }

    /** {@code 1/2 (log 2 pi + s + r^2 e^-s)} with {@code r = x - m}, the precision {@code e^-s} given. */
    public static float gaussianTerm(float r, float s, float precision) {
        return (r * r * precision + s + LOG_2PI) * 0.5f;
    }
}
