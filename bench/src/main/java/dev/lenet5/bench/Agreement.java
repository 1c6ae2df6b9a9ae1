package dev.lenet5.bench;

/**
 * The correctness gate of the layer and network benchmarks: the candidate kernels' results must match the
 * scalar reference's within what float rounding of a reordered sum can explain, or the benchmark refuses to
 * report a number. A kernel that drops a term or reads the wrong element is off by about the size of the
 * values themselves, far outside these bounds.
 */
public final class Agreement {

    private static final double U = Math.ulp(1f) / 2;

    private Agreement() {
    }

    /**
     * Relative tolerance for results that are sums of {@code terms} products each: {@code 8 (terms + 4) u},
     * four times the classic bound on one float sum, since both sides round and the order differs.
     */
    public static double forSums(long terms) {
        return 8.0 * (terms + 4) * U;
    }

    /**
     * Throws unless every {@code |got[i] - expected[i]| <= relative * max_j |expected[j]|} over the first
     * {@code n} entries (the scale is the array's largest magnitude, so entries that cancel to near zero are
     * judged by the size of what was summed, not by their own tiny size).
     *
     * @throws IllegalStateException naming {@code what}, the first entry out of tolerance and both values
     */
    public static void requireClose(String what, float[] expected, float[] got, int n, double relative) {
        if (expected.length < n || got.length < n) {
            throw new IllegalStateException(what + ": expected " + n + " values, got arrays of " + expected.length
                    + " and " + got.length);
        }
        double scale = 0;
        for (int i = 0; i < n; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        double tolerance = relative * scale + Float.MIN_NORMAL;
        for (int i = 0; i < n; i++) {
            if (!(Math.abs(got[i] - expected[i]) <= tolerance)) {
                throw new IllegalStateException(what + ": entry " + i + " is " + got[i] + " but the scalar reference gives "
                        + expected[i] + " (tolerance " + (float) tolerance + ")");
            }
        }
    }

    /** Throws unless the first {@code n} entries are equal bit for bit (for kernels that only compare and copy). */
    public static void requireEqual(String what, float[] expected, float[] got, int n) {
        for (int i = 0; i < n; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(got[i])) {
                throw new IllegalStateException(what + ": entry " + i + " is " + got[i] + " but the scalar reference gives "
                        + expected[i] + " (must be equal)");
            }
        }
    }
}
