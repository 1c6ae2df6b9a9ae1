package dev.lenet5.tensor.kernel;

import static dev.lenet5.tensor.kernel.VectorConstants.L;

/**
 * {@code A * B^T} with a small C and a long k as blocks of dot products along k, which is contiguous in both
 * operands ({@link VectorDotTile}): packing B^T for the GEMM's micro-kernel costs more than it saves there.
 */
final class VectorDotProducts {

    private VectorDotProducts() {
    }

    /*
     * C (m, n) = alpha * A (m, k) * B^T + beta * C where B is stored (n, k): every output is a dot
     * product of two contiguous rows. A tile of RA rows of A by 4 rows of B shares its loads; k is cut into
     * chunks so a block's rows stay in L2 while all blocks visit them.
     */
    static void gemmDot(GemmWorkspace ws, boolean wideRegisterFile, int m, int n, int k, float alpha,
                        float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        VectorDotTile tile = VectorDotTile.forRows(m, wideRegisterFile);
        int ra = tile.rows;
        float[] sums = ws.sums;
        int[] aRow = ws.aRows;
        int[] bRow = ws.bRows;
        for (int p0 = 0; p0 < k; p0 += KernelTuning.DOT_KC) {
            int len = Math.min(KernelTuning.DOT_KC, k - p0);
            float betaChunk = p0 == 0 ? beta : 1f;
            for (int j = 0; j < n; j += 4) {
                int cols = Math.min(4, n - j);
                // Rows past the edge repeat the last real row: valid memory, results dropped below.
                for (int q = 0; q < 4; q++) {
                    bRow[q] = bOff + Math.min(j + q, n - 1) * ldb + p0;
                }
                for (int i = 0; i < m; i += ra) {
                    int rows = Math.min(ra, m - i);
                    for (int r = 0; r < ra; r++) {
                        aRow[r] = aOff + Math.min(i + r, m - 1) * lda + p0;
                    }
                    if (len < L) {
                        dotShort(len, ra, a, aRow, b, bRow, sums);
                    } else {
                        tile.run(1, len, a, 0, aRow, b, 0, bRow, ws.tile);
                        VectorDotTile.sumLanes(ws.tile, ra * 4, sums);
                    }
                    for (int ii = 0; ii < rows; ii++) {
                        int cRow = cOff + (i + ii) * ldc + j;
                        for (int jj = 0; jj < cols; jj++) {
                            float s = alpha * sums[ii * 4 + jj];
                            c[cRow + jj] = betaChunk == 0f ? s : betaChunk * c[cRow + jj] + s;
                        }
                    }
                }
            }
        }
    }

    // sums[r*4 + q] = sum_p a[aRow[r] + p] * b[bRow[q] + p] for p < len, a chunk shorter than a vector
    private static void dotShort(int len, int ra, float[] a, int[] aRow, float[] b, int[] bRow, float[] sums) {
        for (int r = 0; r < ra; r++) {
            for (int q = 0; q < 4; q++) {
                float s = 0f;
                for (int p = 0; p < len; p++) {
                    s += a[aRow[r] + p] * b[bRow[q] + p];
                }
                sums[r * 4 + q] = s;
            }
        }
    }
}
