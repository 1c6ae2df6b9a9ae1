package dev.lenet5.tensor.kernel;

import static dev.lenet5.tensor.kernel.VectorConstants.L;
import static dev.lenet5.tensor.kernel.VectorElementwise.addRun;
import static dev.lenet5.tensor.kernel.VectorElementwise.copyRun;
import static dev.lenet5.tensor.kernel.VectorElementwise.scaleRun;
import static dev.lenet5.tensor.kernel.VectorGemmTiles.kernel6x1;
import static dev.lenet5.tensor.kernel.VectorGemmTiles.kernel6x2;
import static dev.lenet5.tensor.kernel.VectorGemmTiles.kernel8x1;
import static dev.lenet5.tensor.kernel.VectorGemmTiles.kernel8x2;
import static dev.lenet5.tensor.kernel.VectorGemmTiles.kernel8x3;

import java.util.Arrays;

/**
 * sgemm on the Vector API.
 *
 * <p>Goto/BLIS blocking (see {@link KernelTuning} for the sizes): for each NC-wide panel and KC-deep slice,
 * op(B) is packed into NR-wide strips and alpha * op(A) into MR-tall strips ({@link GemmPacking}), and a
 * register-blocked micro-kernel ({@link VectorGemmTiles}) computes one MR x NR tile of C with all its
 * accumulators in registers (broadcast one A value, FMA it into a row of NR/L vectors). Two shapes: 8 x 3
 * vectors for a 32-register file, 6 x 2 vectors for 16 registers. Edge tiles: missing rows are simply not
 * stored; the last strip of a panel uses a 1- or 2-vector kernel when that covers it, and a strip ending
 * inside a vector is computed into a spare tile and merged. Two shortcuts for LeNet's skinny products:
 * <ul>
 *   <li>up to 128 rows of C with B not transposed (convolution forward passes, the fully connected
 *       layers' gradients): B is read in place, vectorised along the long n dimension, not packed;</li>
 *   <li>{@code A * B^T} with a small C and a long k (the convolutions' weight gradients): blocked dot
 *       products along k, which is contiguous in both operands ({@link VectorDotProducts}).</li>
 * </ul>
 *
 * <p>Immutable; the packing buffers come from a per-thread workspace created once per thread, so concurrent
 * calls are safe and steady-state calls do not allocate.
 */
final class VectorGemm {

    private final boolean wideRegisterFile;
    private final int mr;
    private final int nr;
    private final int mcBlock;
    private final int ncBlock;
    private final GemmWorkspace.PerThread workspace;

    /** @param wideRegisterFile the micro-kernel for 32 vector registers, otherwise the one for 16 */
    VectorGemm(boolean wideRegisterFile) {
        this.wideRegisterFile = wideRegisterFile;
        this.mr = wideRegisterFile ? KernelTuning.WIDE_MR : KernelTuning.NARROW_MR;
        this.nr = L * (wideRegisterFile ? KernelTuning.WIDE_NR_VECTORS : KernelTuning.NARROW_NR_VECTORS);
        this.mcBlock = Math.max(mr, KernelTuning.MC / mr * mr);
        this.ncBlock = Math.max(nr, KernelTuning.NC / nr * nr);
        int tile = Math.max(mr * nr, VectorDotTile.MAX_ROWS * 4 * L);   // the dot kernels' partial vectors
        this.workspace = new GemmWorkspace.PerThread(mcBlock * KernelTuning.KC, KernelTuning.KC * ncBlock,
                KernelTuning.KC * nr, tile);
    }

    /** The register block as {@code MRxNR} in floats, e.g. {@code 8x48}, for reports and tests. */
    String tile() {
        return mr + "x" + nr;
    }

    /** {@link TensorKernels#sgemm}. */
    void sgemm(boolean transA, boolean transB, int m, int n, int k,
               float alpha, float[] a, int aOff, int lda,
               float[] b, int bOff, int ldb,
               float beta, float[] c, int cOff, int ldc) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0 || alpha == 0f) {
            scaleMatrix(m, n, beta, c, cOff, ldc);
            return;
        }
        if (!transA && transB && k >= KernelTuning.DOT_MIN_K && (long) m * n <= KernelTuning.DOT_MAX_MN) {
            VectorDotProducts.gemmDot(workspace.get(), wideRegisterFile, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        gemmPacked(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    // C (m, n) = beta * C, with beta == 0 writing zeros over anything (NaN included)
    private static void scaleMatrix(int m, int n, float beta, float[] c, int cOff, int ldc) {
        if (beta == 1f) {
            return;
        }
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (beta == 0f) {
                Arrays.fill(c, row, row + n, 0f);
            } else {
                scaleRun(n, beta, c, row);
            }
        }
    }

    /*
     * The naive definition, for reference:
     *   for i < m, j < n: C[i,j] = alpha * sum_p op(A)[i,p] * op(B)[p,j] + beta * C[i,j]
     */
    private void gemmPacked(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        GemmWorkspace ws = workspace.get();
        // With few rows of C each element of B meets at most a few A strips: read B in place.
        boolean direct = !transB && m <= KernelTuning.DIRECT_B_MAX_M;
        int panelWidth = direct ? n : ncBlock;
        for (int jc = 0; jc < n; jc += panelWidth) {
            int nc = Math.min(panelWidth, n - jc);
            for (int pc = 0; pc < k; pc += KernelTuning.KC) {
                int kc = Math.min(KernelTuning.KC, k - pc);
                // Only the first k slice applies beta; later slices accumulate onto it.
                float betaSlice = pc == 0 ? beta : 1f;
                float[] panel = null;
                if (!direct) {
                    panel = ws.b();
                    GemmPacking.packB(transB, b, bOff, ldb, pc, jc, kc, nc, nr, panel);
                }
                for (int ic = 0; ic < m; ic += mcBlock) {
                    int mc = Math.min(mcBlock, m - ic);
                    GemmPacking.packA(transA, a, aOff, lda, ic, pc, mc, kc, alpha, mr, ws.a);
                    for (int jr = 0; jr < nc; jr += nr) {
                        int cols = Math.min(nr, nc - jr);
                        int vectors = (cols + L - 1) / L;
                        boolean wholeVectors = cols == vectors * L;
                        float[] strip;
                        int bIdx;
                        int bStride;
                        if (!direct) {
                            strip = panel;
                            bIdx = jr * kc;
                            bStride = nr;
                        } else if (wholeVectors) {
                            strip = b;
                            bIdx = bOff + pc * ldb + jc + jr;
                            bStride = ldb;
                        } else {
                            // A strip ending inside a vector cannot be read in place: pack it, zero-padded.
                            strip = ws.edgeStrip;
                            GemmPacking.packB(false, b, bOff, ldb, pc, jc + jr, kc, cols, nr, strip);
                            bIdx = 0;
                            bStride = nr;
                        }
                        int cCol = cOff + jc + jr;
                        for (int ir = 0; ir < mc; ir += mr) {
                            int rows = Math.min(mr, mc - ir);
                            int cIdx = cCol + (ic + ir) * ldc;
                            if (wholeVectors && rows == mr && betaSlice == 0f) {
                                microKernel(wideRegisterFile, vectors, kc, ws.a, ir * kc, strip, bIdx, bStride, c, cIdx, ldc);
                            } else {
                                // Partial tiles and beta go through the spare tile (see the micro-kernels).
                                microKernel(wideRegisterFile, vectors, kc, ws.a, ir * kc, strip, bIdx, bStride, ws.tile, 0, nr);
                                mergeTile(rows, cols, ws.tile, nr, c, cIdx, ldc, betaSlice);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * One MR-row tile, {@code vectors} vectors wide (the full NR, or fewer for the last strip of a panel,
     * so an edge strip does not pay for lanes it throws away), written over (c, cIdx, ldc): all MR rows,
     * nothing read. The caller points it at C itself or at the spare tile (see gemmPacked).
     */
    static void microKernel(boolean wideRegisterFile, int vectors, int kc, float[] ap, int aIdx, float[] bp, int bIdx,
                            int bStride, float[] c, int cIdx, int ldc) {
        if (wideRegisterFile) {
            if (vectors == 3) {
                kernel8x3(kc, ap, aIdx, bp, bIdx, bStride, c, cIdx, ldc);
            } else if (vectors == 2) {
                kernel8x2(kc, ap, aIdx, bp, bIdx, bStride, c, cIdx, ldc);
            } else {
                kernel8x1(kc, ap, aIdx, bp, bIdx, bStride, c, cIdx, ldc);
            }
        } else {
            if (vectors == 2) {
                kernel6x2(kc, ap, aIdx, bp, bIdx, bStride, c, cIdx, ldc);
            } else {
                kernel6x1(kc, ap, aIdx, bp, bIdx, bStride, c, cIdx, ldc);
            }
        }
    }

    // C (rows, cols) at cIdx = beta * C + T (rows, cols) with T's leading dimension ldt; beta == 0 never reads C
    private static void mergeTile(int rows, int cols, float[] t, int ldt, float[] c, int cIdx, int ldc, float beta) {
        for (int i = 0; i < rows; i++) {
            int cRow = cIdx + i * ldc;
            int tRow = i * ldt;
            if (beta == 0f) {
                copyRun(cols, t, tRow, c, cRow);
            } else if (beta == 1f) {
                addRun(cols, t, tRow, c, cRow);
            } else {
                for (int j = 0; j < cols; j++) {
                    c[cRow + j] = beta * c[cRow + j] + t[tRow + j];
                }
            }
        }
    }
}
