package dev.lenet5.tensor;

import dev.lenet5.tensor.kernel.TensorKernels;

/**
 * Checked matrix multiply: validates dimensions, offsets, leading dimensions and array lengths, then
 * calls {@link TensorKernels#sgemm} (which checks nothing). Use it where a wrong shape must fail with a
 * message naming the operand, not an {@code ArrayIndexOutOfBoundsException} deep in a kernel or, worse,
 * silently reading a neighbouring matrix; hot loops that validated once may call the kernels directly.
 *
 * <pre>
 * Gemm gemm = new Gemm(Kernels.get());
 * // y (N, out) = x (N, in) * W^T, with W stored (out, in)
 * gemm.multiply(false, true, n, out, in, 1f, x, 0, in, w, 0, in, 0f, y, 0, out);
 * </pre>
 */
public final class Gemm {

    private final TensorKernels kernels;

    public Gemm(TensorKernels kernels) {
        if (kernels == null) {
            throw new IllegalArgumentException("kernels must not be null");
        }
        this.kernels = kernels;
    }

    public TensorKernels kernels() {
        return kernels;
    }

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C} after {@link #check}: op(A) is m x k (A stored k x m
     * when transA), op(B) is k x n (B stored n x k when transB), C is m x n, all row-major.
     *
     * @throws IllegalArgumentException if any operand does not fit its array or C overlaps A or B
     */
    public void multiply(boolean transA, boolean transB, int m, int n, int k,
                         float alpha, float[] a, int aOff, int lda,
                         float[] b, int bOff, int ldb,
                         float beta, float[] c, int cOff, int ldc) {
        check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        kernels.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * Validates an sgemm call without running it, for callers that check once and then call the kernels
     * in a loop.
     *
     * @throws IllegalArgumentException naming the first operand that does not fit
     */
    public static void check(boolean transA, boolean transB, int m, int n, int k,
                             float[] a, int aOff, int lda,
                             float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("sgemm: dimensions must not be negative, got m=" + m + " n=" + n + " k=" + k);
        }
        // Stored shapes: op() transposes, so a transposed A is stored k x m.
        int aRows = transA ? k : m;
        int aCols = transA ? m : k;
        int bRows = transB ? n : k;
        int bCols = transB ? k : n;
        Shapes.checkMatrix("sgemm", transA ? "A (stored k x m, transA)" : "A", a, aOff, aRows, aCols, lda);
        Shapes.checkMatrix("sgemm", transB ? "B (stored n x k, transB)" : "B", b, bOff, bRows, bCols, ldb);
        Shapes.checkMatrix("sgemm", "C", c, cOff, m, n, ldc);
        if (m > 0 && n > 0 && k > 0) {
            Shapes.checkDisjoint("sgemm", "C", c, cOff, m, n, ldc, "A", a, aOff, aRows, aCols, lda);
            Shapes.checkDisjoint("sgemm", "C", c, cOff, m, n, ldc, "B", b, bOff, bRows, bCols, ldb);
        }
    }
}
