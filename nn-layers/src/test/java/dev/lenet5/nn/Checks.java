package dev.lenet5.nn;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import java.util.function.ToDoubleFunction;

/** Finite differences and tolerance comparisons shared by the tests. */
final class Checks {

    private Checks() {
    }

    /** Central-difference step in double precision: truncation error ~eps^2, rounding ~1e-16/eps, both tiny. */
    static final double EPS = 1e-6;

    /**
     * d f / d x[i] by central differences in double, for the given indices; {@code f} reads {@code x}, which is
     * perturbed in place and restored.
     */
    static double[] numericGradient(ToDoubleFunction<double[]> f, double[] x, int[] indices) {
        double[] g = new double[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            double saved = x[i];
            x[i] = saved + EPS;
            double plus = f.applyAsDouble(x);
            x[i] = saved - EPS;
            double minus = f.applyAsDouble(x);
            x[i] = saved;
            g[k] = (plus - minus) / (2 * EPS);
        }
        return g;
    }

    static int[] all(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return idx;
    }

    /** {@code count} distinct-ish indices in [0, n), always including 0 and n-1 (the edges catch offset bugs). */
    static int[] sample(Random rng, int n, int count) {
        if (count >= n) {
            return all(n);
        }
        int[] idx = new int[count];
        idx[0] = 0;
        idx[1] = n - 1;
        for (int k = 2; k < count; k++) {
            idx[k] = rng.nextInt(n);
        }
        return idx;
    }

    /**
     * Asserts {@code |actual[idx[k]] - expected[k]| <= rtol * |expected[k]| + atol} for every k, reporting the
     * worst offender.
     */
    static void assertClose(String what, double[] expected, float[] actual, int[] idx, double rtol, double atol) {
        int worst = -1;
        double worstExcess = 0;
        for (int k = 0; k < idx.length; k++) {
            double err = Math.abs(actual[idx[k]] - expected[k]);
            double allowed = rtol * Math.abs(expected[k]) + atol;
            if (!(err <= allowed) && (worst < 0 || err - allowed > worstExcess)) {
                worst = k;
                worstExcess = err - allowed;
            }
        }
        if (worst >= 0) {
            fail(what + ": element " + idx[worst] + " is " + actual[idx[worst]] + ", expected " + expected[worst]
                    + " (rtol " + rtol + ", atol " + atol + ")");
        }
    }

    /** Same, over whole arrays (the first {@code expected.length} elements of {@code actual}). */
    static void assertClose(String what, double[] expected, float[] actual, double rtol, double atol) {
        assertClose(what, expected, actual, all(expected.length), rtol, atol);
    }

    static double maxAbs(double[] x) {
        double m = 0;
        for (double v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    static float[] uniform(Random rng, int n, double lo, double hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (lo + (hi - lo) * rng.nextDouble());
        }
        return x;
    }

    static void copyInto(double[] src, float[] dst) {
        for (int i = 0; i < src.length; i++) {
            dst[i] = (float) src[i];
        }
    }
}
