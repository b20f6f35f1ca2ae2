package dev.vae.core.random;

import java.util.SplittableRandom;

/**
 * The one Fisher-Yates shuffle of the project (Durstenfeld's form, from the last element down), so that every seeded
 * split, subsample and epoch order draws from its generator in the same way.
 */
public final class Shuffle {

    private Shuffle() {
    }

    /** Shuffles {@code a} in place with {@code random}: one {@code nextInt(i + 1)} for i = length - 1 down to 1. */
    public static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** 0 .. n - 1 in an order drawn with {@code random} ({@link #shuffle}). */
    public static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p, random);
        return p;
    }
}
