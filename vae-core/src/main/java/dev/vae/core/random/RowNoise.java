package dev.vae.core.random;

/**
 * Derives the sampling noise of one row from the model's seed and the row's values.
 *
 * <p>Two rows with the same values get the same noise; the noise of a row never depends on its position, its
 * batch, the thread scoring it or the rows around it. This is what makes sampled scores deterministic.
 */
public final class RowNoise {

    /** The name of the derivation below together with the sampler it seeds: what sampled scores depend on. */
    public static final String ALGORITHM = "splitmix64(seed, row bits) -> " + NormalSampler.ALGORITHM;

    private RowNoise() {
    }

    /** A 64-bit seed for the row {@code x[off, off + width)} of a model with seed {@code modelSeed}. */
    public static long seed(long modelSeed, float[] x, int off, int width) {
        long h = mix(modelSeed ^ 0x9E3779B97F4A7C15L);
        for (int j = 0; j < width; j++) {
            h = mix(h ^ (Float.floatToIntBits(x[off + j]) & 0xFFFFFFFFL) ^ ((long) j << 32));
        }
        return h;
    }

    /** Fills {@code eps[off, off + len)} with N(0, 1) values drawn from the row's own stream. */
    public static void fill(long modelSeed, float[] x, int xOff, int width, float[] eps, int off, int len) {
        new NormalSampler(seed(modelSeed, x, xOff, width)).fill(eps, off, len);
    }

    /** The SplitMix64 finaliser: a fast, well-distributed 64-bit mixing function. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
