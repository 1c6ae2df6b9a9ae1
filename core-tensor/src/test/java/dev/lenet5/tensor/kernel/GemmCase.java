package dev.lenet5.tensor.kernel;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;

/**
 * One sgemm problem with deliberately awkward storage, its naive double-precision answer and an error
 * bound. Leading dimensions are larger than the rows they hold and the matrices start at odd offsets;
 * the unused floats of A and B (offset, row gaps, tail) are NaN, so a kernel that reads outside the
 * matrices poisons its result, and the unused floats of C are NaN sentinels checked bit for bit, so a
 * kernel that writes outside C is caught too. With {@code beta == 0} the C region itself is NaN: BLAS
 * semantics say it must be overwritten, not scaled.
 */
final class GemmCase {

    /** Unit roundoff of float. */
    static final double U = Math.ulp(1f) / 2;

    final String label;
    final boolean transA;
    final boolean transB;
    final int m;
    final int n;
    final int k;
    final float alpha;
    final float beta;
    final int lda;
    final int ldb;
    final int ldc;
    final int aOff;
    final int bOff;
    final int cOff;
    final float[] a;
    final float[] b;
    final float[] c0;
    /** Whether every float partial sum is exact (dyadic data), so all kernels must agree exactly. */
    final boolean exact;

    private double[] reference;
    private double[] bound;

    /**
     * @param dyadic draw multiples of 1/8 in [-1, 1] instead of uniform floats: with |alpha| and |beta| at
     *               most 2 and k below 2^16 every product and partial sum is then a float without rounding,
     *               in any order, so the result must equal the double reference exactly
     */
    GemmCase(String label, boolean transA, boolean transB, int m, int n, int k, float alpha, float beta,
             long seed, boolean dyadic) {
        this.label = label;
        this.transA = transA;
        this.transB = transB;
        this.m = m;
        this.n = n;
        this.k = k;
        this.alpha = alpha;
        this.beta = beta;
        this.exact = dyadic;
        Random random = new Random(seed);
        // Odd paddings and offsets: no stride or start is a multiple of a vector.
        this.lda = (transA ? m : k) + 3;
        this.ldb = (transB ? k : n) + 5;
        this.ldc = n + 7;
        this.aOff = 11;
        this.bOff = 13;
        this.cOff = 17;
        this.a = matrix(transA ? k : m, transA ? m : k, lda, aOff, random, dyadic, Float.NaN);
        this.b = matrix(transB ? n : k, transB ? k : n, ldb, bOff, random, dyadic, Float.NaN);
        this.c0 = matrix(m, n, ldc, cOff, random, dyadic, Float.NaN);
        if (beta == 0f) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    c0[cOff + i * ldc + j] = Float.NaN;
                }
            }
        }
    }

    private static float[] matrix(int rows, int cols, int ld, int off, Random random, boolean dyadic, float gap) {
        float[] x = new float[off + rows * ld + 9];
        java.util.Arrays.fill(x, gap);
        for (int r = 0; r < rows; r++) {
            for (int col = 0; col < cols; col++) {
                x[off + r * ld + col] = dyadic ? (random.nextInt(17) - 8) / 8f : 2 * random.nextFloat() - 1;
            }
        }
        return x;
    }

    float opA(int i, int p) {
        return transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
    }

    float opB(int p, int j) {
        return transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
    }

    /** Runs the kernels on a fresh copy of C and returns it. */
    float[] run(TensorKernels kernels) {
        float[] c = c0.clone();
        kernels.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        return c;
    }

    /** The naive triple loop in double: alpha * sum_p op(A)[i,p] op(B)[p,j] + beta * C0[i,j]. */
    double[] reference() {
        if (reference == null) {
            reference = new double[m * n];
            bound = new double[m * n];
            double[] row = new double[n];
            double[] abs = new double[n];
            for (int i = 0; i < m; i++) {
                java.util.Arrays.fill(row, 0);
                java.util.Arrays.fill(abs, 0);
                if (alpha != 0f) {
                    for (int p = 0; p < k; p++) {
                        double aip = opA(i, p);
                        for (int j = 0; j < n; j++) {
                            double t = aip * opB(p, j);
                            row[j] += t;
                            abs[j] += Math.abs(t);
                        }
                    }
                }
                for (int j = 0; j < n; j++) {
                    double cij = beta == 0f ? 0 : (double) beta * c0[cOff + i * ldc + j];
                    reference[i * n + j] = (double) alpha * row[j] + cij;
                    // A float sum of k terms errs by at most about k*u*sum|terms| (Higham, ch. 3); alpha
                    // and beta add a few roundings. Allow 2 * (k + 4) * u * sum|terms|: it grows with K.
                    bound[i * n + j] = 2.0 * (k + 4) * U * (Math.abs(alpha) * abs[j] + Math.abs(cij)) + Float.MIN_NORMAL;
                }
            }
        }
        return reference;
    }

    double bound(int i, int j) {
        reference();
        return bound[i * n + j];
    }

    /** Fails unless c holds the reference (exactly for dyadic data) and nothing outside C changed. */
    void assertMatchesReference(String who, float[] c) {
        double[] ref = reference();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float got = c[cOff + i * ldc + j];
                double want = ref[i * n + j];
                double tolerance = exact ? 0 : bound(i, j);
                if (!(Math.abs(got - want) <= tolerance)) {
                    fail(who + " " + this + ": C[" + i + "," + j + "] = " + got + ", reference " + want
                            + (exact ? " (exact data)" : ", tolerance " + tolerance));
                }
            }
        }
        assertOutsideUntouched(who, c);
    }

    /** Fails unless the two results agree within twice the reference bound (both may err by one bound). */
    void assertClose(String who, float[] c, float[] expected) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int idx = cOff + i * ldc + j;
                double tolerance = exact ? 0 : 2 * bound(i, j);
                if (!(Math.abs(c[idx] - expected[idx]) <= tolerance)) {
                    fail(who + " " + this + ": C[" + i + "," + j + "] = " + c[idx] + " but scalar gives "
                            + expected[idx] + ", tolerance " + tolerance);
                }
            }
        }
    }

    private void assertOutsideUntouched(String who, float[] c) {
        for (int idx = 0; idx < c.length; idx++) {
            int rel = idx - cOff;
            boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
            if (!inside && Float.floatToRawIntBits(c[idx]) != Float.floatToRawIntBits(c0[idx])) {
                fail(who + " " + this + ": wrote " + c[idx] + " at index " + idx + ", outside C");
            }
        }
    }

    @Override
    public String toString() {
        return label + " " + (transA ? "T" : "N") + (transB ? "T" : "N") + " m=" + m + " n=" + n + " k=" + k
                + " alpha=" + alpha + " beta=" + beta + (exact ? " dyadic" : "");
    }
}
