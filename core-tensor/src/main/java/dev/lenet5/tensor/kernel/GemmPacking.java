package dev.lenet5.tensor.kernel;

/**
 * Copies blocks of op(A) and op(B) into the contiguous strip layouts the GEMM micro-kernel streams
 * through (Goto/BLIS packing). Packing absorbs the transposes and alpha, so the micro-kernel only ever
 * sees one layout; the strips are zero-padded to full width so it never needs a bounds special case.
 *
 * <p>Plain loops: packing is O(m*k + k*n) against the O(m*n*k) of the product, and the loop order is
 * chosen so each source row is read contiguously.
 */
final class GemmPacking {

    private GemmPacking() {
    }

    /**
     * alpha * op(A)[i0 : i0+mc, p0 : p0+kc] → dst as ceil(mc/mr) strips; strip s holds rows
     * [s*mr, s*mr+mr) as a (kc, mr) row-major block at {@code s*mr*kc}, so the micro-kernel reads the mr
     * values of one k step from consecutive floats. Rows past mc are zeros.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int p0, int mc, int kc,
                      float alpha, int mr, float[] dst) {
        for (int is = 0; is < mc; is += mr) {
            int rows = Math.min(mr, mc - is);
            int base = is * kc;
            if (transA) {
                // A is stored (k, m): one stored row holds op(A)[., p], contiguous in i.
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (p0 + p) * lda + i0 + is;
                    int d = base + p * mr;
                    for (int ii = 0; ii < rows; ii++) {
                        dst[d + ii] = alpha * a[src + ii];
                    }
                    for (int ii = rows; ii < mr; ii++) {
                        dst[d + ii] = 0f;
                    }
                }
            } else {
                // A is stored (m, k): read each row contiguously, write it down a strip column.
                for (int ii = 0; ii < rows; ii++) {
                    int src = aOff + (i0 + is + ii) * lda + p0;
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * mr + ii] = alpha * a[src + p];
                    }
                }
                for (int ii = rows; ii < mr; ii++) {
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * mr + ii] = 0f;
                    }
                }
            }
        }
    }

    /**
     * op(B)[p0 : p0+kc, j0 : j0+nc] → dst as ceil(nc/nr) strips; strip s holds columns [s*nr, s*nr+nr)
     * as a (kc, nr) row-major block at {@code s*nr*kc}. Columns past nc are zeros.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int j0, int kc, int nc,
                      int nr, float[] dst) {
        for (int js = 0; js < nc; js += nr) {
            int cols = Math.min(nr, nc - js);
            int base = js * kc;
            if (transB) {
                // B is stored (n, k): one stored row holds op(B)[., j], contiguous in p.
                for (int jj = 0; jj < cols; jj++) {
                    int src = bOff + (j0 + js + jj) * ldb + p0;
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * nr + jj] = b[src + p];
                    }
                }
                for (int jj = cols; jj < nr; jj++) {
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * nr + jj] = 0f;
                    }
                }
            } else {
                // B is stored (k, n): each k step of the strip is a contiguous run of a stored row.
                for (int p = 0; p < kc; p++) {
                    int d = base + p * nr;
                    System.arraycopy(b, bOff + (p0 + p) * ldb + j0 + js, dst, d, cols);
                    for (int jj = cols; jj < nr; jj++) {
                        dst[d + jj] = 0f;
                    }
                }
            }
        }
    }
}
