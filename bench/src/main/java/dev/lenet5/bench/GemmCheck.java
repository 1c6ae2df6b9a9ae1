package dev.lenet5.bench;

import dev.lenet5.tensor.kernel.ScalarKernels;
import dev.lenet5.tensor.kernel.TensorKernels;

/**
 * The correctness gate of the GEMM benchmarks: a kernel whose result differs from the scalar reference
 * by more than rounding can explain never gets to report a number.
 */
public final class GemmCheck {

    private static final double U = Math.ulp(1f) / 2;

    private GemmCheck() {
    }

    /**
     * Runs {@code candidate} and the scalar reference on the same operands and throws unless every entry
     * agrees within {@code 4 (k + 4) u (|alpha| |A||B| + |beta| |C|)}: twice the classic bound for a
     * k-term float sum, since both results carry rounding error. The bound's |A||B| is itself computed
     * with the scalar kernels on absolute values.
     *
     * @throws IllegalStateException naming the first entry out of tolerance
     */
    public static void verify(String what, TensorKernels candidate, GemmShape s, float alpha,
                              float[] a, float[] b, float[] c0) {
        float[] expected = c0.clone();
        float[] got = c0.clone();
        ScalarKernels ref = ScalarKernels.INSTANCE;
        ref.sgemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), alpha, a, 0, s.lda(), b, 0, s.ldb(), s.beta(), expected, 0, s.n());
        candidate.sgemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), alpha, a, 0, s.lda(), b, 0, s.ldb(), s.beta(), got, 0, s.n());
        float[] absA = abs(a);
        float[] absB = abs(b);
        float[] scale = abs(c0);
        ref.sgemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), Math.abs(alpha), absA, 0, s.lda(), absB, 0, s.ldb(),
                Math.abs(s.beta()), scale, 0, s.n());
        for (int i = 0; i < s.m() * s.n(); i++) {
            double tolerance = 4.0 * (s.k() + 4) * U * scale[i] + Float.MIN_NORMAL;
            if (!(Math.abs(got[i] - expected[i]) <= tolerance)) {
                throw new IllegalStateException(what + ": " + candidate.name() + " sgemm " + s.paramName() + " ("
                        + s.describe() + ") gives C[" + i / s.n() + "," + i % s.n() + "] = " + got[i]
                        + " but the scalar reference gives " + expected[i] + " (tolerance " + tolerance + ")");
            }
        }
    }

    private static float[] abs(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.abs(x[i]);
        }
        return y;
    }
}
