package dev.vae.core.random;

import java.util.SplittableRandom;

/**
 * Standard normal draws by the Box-Muller transform from a {@link SplittableRandom}.
 *
 * <p>Written out (rather than {@code RandomGenerator.nextGaussian}) so the sequence is the same on every JDK, and
 * on {@link StrictMath}, whose log, sin and cos the JDK fixes bit for bit on every platform ({@code Math}'s may
 * differ by an ulp between CPUs and between the interpreter and the JIT): sampled scores must be the same on every
 * JVM (SPEC section 3). The uniform stream is unchanged, so a seed still gives the same draws in the same order;
 * the switch from {@code Math} changed the last bits of some draws, and so of sampled scores, once.
 * Not thread-safe: give each thread its own instance.
 */
public final class NormalSampler {

    /**
     * The name of the algorithm behind every draw: sampled scores (and so thresholds fitted on them) depend on it,
     * so model files record it and a reader refuses a file made with another.
     */
    public static final String ALGORITHM = "box-muller(StrictMath)/SplittableRandom";

    private final SplittableRandom random;
    private double spare;
    private boolean hasSpare;

    /** A sampler over a generator seeded with {@code seed}. */
    public NormalSampler(long seed) {
        this(new SplittableRandom(seed));
    }

    /** A sampler drawing from {@code random}, which it then owns. */
    public NormalSampler(SplittableRandom random) {
        this.random = random;
    }

    /** The next N(0, 1) value. */
    public double next() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u1;
        do {
            u1 = random.nextDouble();
        } while (u1 == 0.0);
        double u2 = random.nextDouble();
        double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
        double theta = 2.0 * Math.PI * u2;
        spare = r * StrictMath.sin(theta);
        hasSpare = true;
        return r * StrictMath.cos(theta);
    }

    /** Fills {@code out[off, off + len)} with N(0, 1) values. */
    public void fill(float[] out, int off, int len) {
        for (int i = 0; i < len; i++) {
            out[off + i] = (float) next();
        }
    }

    /** The underlying uniform generator (for Bernoulli draws and shuffles that must share this stream). */
    public SplittableRandom uniform() {
        return random;
    }
}
