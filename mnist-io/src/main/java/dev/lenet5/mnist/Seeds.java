package dev.lenet5.mnist;

import java.util.Random;

/**
 * Derives independent seeds from the one the user gives, so the split, each epoch's shuffle and each
 * epoch's augmentation draw from unrelated streams: {@code new Random(seed)} for all of them would make
 * them correlated. Mixing is SplitMix64's finaliser; the permutation is Fisher-Yates on
 * {@link java.util.Random}, whose algorithm the JDK specifies, so orders are the same on every JVM.
 */
final class Seeds {

    static final long SPLIT = 1;
    static final long SHUFFLE = 2;
    static final long TRANSFORM = 3;
    /** Under an epoch's transform seed: one image's draws, by its position in the epoch. */
    static final long IMAGE = 4;

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Seeds() {
    }

    /** A seed for element {@code index} of stream {@code stream} under the user's {@code seed}. */
    static long derive(long seed, long stream, long index) {
        return mix64(mix64(seed + stream * GOLDEN) + index * GOLDEN);
    }

    /** Fisher-Yates: every permutation equally likely, and a pure function of the Random's seed. */
    static void shuffle(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
