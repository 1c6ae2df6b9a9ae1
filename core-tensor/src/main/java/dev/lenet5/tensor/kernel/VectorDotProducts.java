package dev.lenet5.tensor.kernel;

import static dev.lenet5.tensor.kernel.VectorConstants.L;
import static dev.lenet5.tensor.kernel.VectorConstants.LANE_INDEX;
import static dev.lenet5.tensor.kernel.VectorConstants.S;
import static dev.lenet5.tensor.kernel.VectorConstants.SUM_SLOT;
import static dev.lenet5.tensor.kernel.VectorConstants.SWAP_1;
import static dev.lenet5.tensor.kernel.VectorConstants.SWAP_2;
import static dev.lenet5.tensor.kernel.VectorConstants.SWAP_3;
import static dev.lenet5.tensor.kernel.VectorConstants.SWAP_4;
import static dev.lenet5.tensor.kernel.VectorConstants.UPPER_1;
import static dev.lenet5.tensor.kernel.VectorConstants.UPPER_2;
import static dev.lenet5.tensor.kernel.VectorConstants.UPPER_3;
import static dev.lenet5.tensor.kernel.VectorConstants.UPPER_4;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Blocks of dot products along a dimension that is contiguous in both operands: {@code A * B^T} with a small
 * C and a long k (the convolutions' weight gradients as GEMMs), and the direct convolution's weight gradient,
 * which also sums over images. A block of 3 or 4 rows of A by 4 rows of B keeps 12 or 16 vector accumulators
 * and shares every load among them; the 16 horizontal sums are folded together at the end in one butterfly
 * ({@link #foldPartialSums}) instead of 16 separate reductions.
 */
final class VectorDotProducts {

    private VectorDotProducts() {
    }

    /** Runs the data-dependent branches both ways (see {@link VectorKernels#seedBranchProfiles}). */
    static void seedBranchProfiles() {
        float[] x = new float[3 * L];
        float[] out = new float[16 * L];
        float[] sums = new float[16];
        for (int len : new int[]{L, L + 1, 2 * L + 1}) {
            dot3x4(len, x, 0, 0, 0, x, 0, 0, 0, 0, out);
            dot4x4(len, x, 0, 0, 0, 0, x, 0, 0, 0, 0, out);
            dotImages3x4(2, len, x, 0, 0, 0, 0, x, 0, 0, 0, 0, 0, out);
            dotImages4x4(2, len, x, 0, 0, 0, 0, 0, x, 0, 0, 0, 0, 0, out);
        }
        foldPartialSums(out, sums);
    }

    /*
     * C (m, n) = alpha * A (m, k) * B^T + beta * C where B is stored (n, k): every output is a dot
     * product of two contiguous rows. Blocks of 3 or 4 rows of A by 4 rows of B share their loads (7 or 8
     * vector loads per 12 or 16 FMAs); k is cut into chunks so a block's rows stay in L2 while all blocks
     * visit them.
     */
    static void gemmDot(GemmWorkspace ws, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                        float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        // Blocks of 3 or 4 rows of A, whichever pads m less (6 conv1 channels: 3; 16 conv2 channels: 4).
        int ra = (m + 3) / 4 * 4 - m <= (m + 2) / 3 * 3 - m ? 4 : 3;
        float[] sums = ws.sums;
        for (int p0 = 0; p0 < k; p0 += KernelTuning.DOT_KC) {
            int len = Math.min(KernelTuning.DOT_KC, k - p0);
            float betaChunk = p0 == 0 ? beta : 1f;
            for (int j = 0; j < n; j += 4) {
                int cols = Math.min(4, n - j);
                // Rows past the edge repeat the last real row: valid memory, results dropped below.
                int b0 = bOff + j * ldb + p0;
                int b1 = bOff + Math.min(j + 1, n - 1) * ldb + p0;
                int b2 = bOff + Math.min(j + 2, n - 1) * ldb + p0;
                int b3 = bOff + Math.min(j + 3, n - 1) * ldb + p0;
                for (int i = 0; i < m; i += ra) {
                    int rows = Math.min(ra, m - i);
                    int a0 = aOff + i * lda + p0;
                    int a1 = aOff + Math.min(i + 1, m - 1) * lda + p0;
                    int a2 = aOff + Math.min(i + 2, m - 1) * lda + p0;
                    int a3 = aOff + Math.min(i + 3, m - 1) * lda + p0;
                    if (len < L) {
                        dotShort(len, a, a0, a1, a2, a3, b, b0, b1, b2, b3, sums);
                    } else {
                        if (ra == 4) {
                            dot4x4(len, a, a0, a1, a2, a3, b, b0, b1, b2, b3, ws.tile);
                        } else {
                            dot3x4(len, a, a0, a1, a2, b, b0, b1, b2, b3, ws.tile);
                        }
                        foldPartialSums(ws.tile, sums);
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

    // sums[r*4 + q] = sum_p a[aR + p] * b[bQ + p] for p < len, a chunk shorter than a vector
    private static void dotShort(int len, float[] a, int a0, int a1, int a2, int a3,
                                 float[] b, int b0, int b1, int b2, int b3, float[] sums) {
        for (int r = 0; r < 4; r++) {
            int ar = r == 0 ? a0 : r == 1 ? a1 : r == 2 ? a2 : a3;
            for (int q = 0; q < 4; q++) {
                int bq = q == 0 ? b0 : q == 1 ? b1 : q == 2 ? b2 : b3;
                float s = 0f;
                for (int p = 0; p < len; p++) {
                    s += a[ar + p] * b[bq + p];
                }
                sums[r * 4 + q] = s;
            }
        }
    }

    // out[(r*4 + q)*L ..] = lane sums of a[aR + p] * b[bQ + p] over p < len (len >= L), r < 4, q < 4; rows r >= 4
    // are zeros. The horizontal sums are foldPartialSums'.
    private static void dot4x4(int len, float[] a, int a0, int a1, int a2, int a3,
                               float[] b, int b0, int b1, int b2, int b3, float[] out) {
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S), s02 = FloatVector.zero(S), s03 = FloatVector.zero(S);
        FloatVector s10 = FloatVector.zero(S), s11 = FloatVector.zero(S), s12 = FloatVector.zero(S), s13 = FloatVector.zero(S);
        FloatVector s20 = FloatVector.zero(S), s21 = FloatVector.zero(S), s22 = FloatVector.zero(S), s23 = FloatVector.zero(S);
        FloatVector s30 = FloatVector.zero(S), s31 = FloatVector.zero(S), s32 = FloatVector.zero(S), s33 = FloatVector.zero(S);
        int bound = S.loopBound(len);
        int tail = len - L;
        // The last, overlapping vector at len - L: only its lanes the body has not summed count. Always
        // taken (with no fresh lane when L divides len): a branch around it would merge vectors.
        VectorMask<Float> fresh = FloatVector.fromArray(S, LANE_INDEX, 0).compare(VectorOperators.GE, bound - tail);
        FloatVector zero = FloatVector.zero(S);
        for (int p = 0; p < bound; p += L) {
            FloatVector y0 = FloatVector.fromArray(S, b, b0 + p);
            FloatVector y1 = FloatVector.fromArray(S, b, b1 + p);
            FloatVector y2 = FloatVector.fromArray(S, b, b2 + p);
            FloatVector y3 = FloatVector.fromArray(S, b, b3 + p);
            FloatVector x;
            x = FloatVector.fromArray(S, a, a0 + p);
            s00 = x.fma(y0, s00); s01 = x.fma(y1, s01); s02 = x.fma(y2, s02); s03 = x.fma(y3, s03);
            x = FloatVector.fromArray(S, a, a1 + p);
            s10 = x.fma(y0, s10); s11 = x.fma(y1, s11); s12 = x.fma(y2, s12); s13 = x.fma(y3, s13);
            x = FloatVector.fromArray(S, a, a2 + p);
            s20 = x.fma(y0, s20); s21 = x.fma(y1, s21); s22 = x.fma(y2, s22); s23 = x.fma(y3, s23);
            x = FloatVector.fromArray(S, a, a3 + p);
            s30 = x.fma(y0, s30); s31 = x.fma(y1, s31); s32 = x.fma(y2, s32); s33 = x.fma(y3, s33);
        }
        // Plain loads and a blend: masked loads measured several times slower on JDK 17 and 25.
        FloatVector y0 = zero.blend(FloatVector.fromArray(S, b, b0 + tail), fresh);
        FloatVector y1 = zero.blend(FloatVector.fromArray(S, b, b1 + tail), fresh);
        FloatVector y2 = zero.blend(FloatVector.fromArray(S, b, b2 + tail), fresh);
        FloatVector y3 = zero.blend(FloatVector.fromArray(S, b, b3 + tail), fresh);
        FloatVector x;
        x = FloatVector.fromArray(S, a, a0 + tail);
        s00 = x.fma(y0, s00); s01 = x.fma(y1, s01); s02 = x.fma(y2, s02); s03 = x.fma(y3, s03);
        x = FloatVector.fromArray(S, a, a1 + tail);
        s10 = x.fma(y0, s10); s11 = x.fma(y1, s11); s12 = x.fma(y2, s12); s13 = x.fma(y3, s13);
        x = FloatVector.fromArray(S, a, a2 + tail);
        s20 = x.fma(y0, s20); s21 = x.fma(y1, s21); s22 = x.fma(y2, s22); s23 = x.fma(y3, s23);
        x = FloatVector.fromArray(S, a, a3 + tail);
        s30 = x.fma(y0, s30); s31 = x.fma(y1, s31); s32 = x.fma(y2, s32); s33 = x.fma(y3, s33);
        s00.intoArray(out, 0 * L); s01.intoArray(out, 1 * L); s02.intoArray(out, 2 * L); s03.intoArray(out, 3 * L);
        s10.intoArray(out, 4 * L); s11.intoArray(out, 5 * L); s12.intoArray(out, 6 * L); s13.intoArray(out, 7 * L);
        s20.intoArray(out, 8 * L); s21.intoArray(out, 9 * L); s22.intoArray(out, 10 * L); s23.intoArray(out, 11 * L);
        s30.intoArray(out, 12 * L); s31.intoArray(out, 13 * L); s32.intoArray(out, 14 * L); s33.intoArray(out, 15 * L);
    }

    // out[(r*4 + q)*L ..] = lane sums of a[aR + p] * b[bQ + p] over p < len (len >= L), r < 3, q < 4; rows r >= 3
    // are zeros. The horizontal sums are foldPartialSums'.
    private static void dot3x4(int len, float[] a, int a0, int a1, int a2,
                               float[] b, int b0, int b1, int b2, int b3, float[] out) {
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S), s02 = FloatVector.zero(S), s03 = FloatVector.zero(S);
        FloatVector s10 = FloatVector.zero(S), s11 = FloatVector.zero(S), s12 = FloatVector.zero(S), s13 = FloatVector.zero(S);
        FloatVector s20 = FloatVector.zero(S), s21 = FloatVector.zero(S), s22 = FloatVector.zero(S), s23 = FloatVector.zero(S);
        int bound = S.loopBound(len);
        int tail = len - L;
        // The last, overlapping vector at len - L: only its lanes the body has not summed count. Always
        // taken (with no fresh lane when L divides len): a branch around it would merge vectors.
        VectorMask<Float> fresh = FloatVector.fromArray(S, LANE_INDEX, 0).compare(VectorOperators.GE, bound - tail);
        FloatVector zero = FloatVector.zero(S);
        for (int p = 0; p < bound; p += L) {
            FloatVector y0 = FloatVector.fromArray(S, b, b0 + p);
            FloatVector y1 = FloatVector.fromArray(S, b, b1 + p);
            FloatVector y2 = FloatVector.fromArray(S, b, b2 + p);
            FloatVector y3 = FloatVector.fromArray(S, b, b3 + p);
            FloatVector x;
            x = FloatVector.fromArray(S, a, a0 + p);
            s00 = x.fma(y0, s00); s01 = x.fma(y1, s01); s02 = x.fma(y2, s02); s03 = x.fma(y3, s03);
            x = FloatVector.fromArray(S, a, a1 + p);
            s10 = x.fma(y0, s10); s11 = x.fma(y1, s11); s12 = x.fma(y2, s12); s13 = x.fma(y3, s13);
            x = FloatVector.fromArray(S, a, a2 + p);
            s20 = x.fma(y0, s20); s21 = x.fma(y1, s21); s22 = x.fma(y2, s22); s23 = x.fma(y3, s23);
        }
        // Plain loads and a blend: masked loads measured several times slower on JDK 17 and 25.
        FloatVector y0 = zero.blend(FloatVector.fromArray(S, b, b0 + tail), fresh);
        FloatVector y1 = zero.blend(FloatVector.fromArray(S, b, b1 + tail), fresh);
        FloatVector y2 = zero.blend(FloatVector.fromArray(S, b, b2 + tail), fresh);
        FloatVector y3 = zero.blend(FloatVector.fromArray(S, b, b3 + tail), fresh);
        FloatVector x;
        x = FloatVector.fromArray(S, a, a0 + tail);
        s00 = x.fma(y0, s00); s01 = x.fma(y1, s01); s02 = x.fma(y2, s02); s03 = x.fma(y3, s03);
        x = FloatVector.fromArray(S, a, a1 + tail);
        s10 = x.fma(y0, s10); s11 = x.fma(y1, s11); s12 = x.fma(y2, s12); s13 = x.fma(y3, s13);
        x = FloatVector.fromArray(S, a, a2 + tail);
        s20 = x.fma(y0, s20); s21 = x.fma(y1, s21); s22 = x.fma(y2, s22); s23 = x.fma(y3, s23);
        s00.intoArray(out, 0 * L); s01.intoArray(out, 1 * L); s02.intoArray(out, 2 * L); s03.intoArray(out, 3 * L);
        s10.intoArray(out, 4 * L); s11.intoArray(out, 5 * L); s12.intoArray(out, 6 * L); s13.intoArray(out, 7 * L);
        s20.intoArray(out, 8 * L); s21.intoArray(out, 9 * L); s22.intoArray(out, 10 * L); s23.intoArray(out, 11 * L);
        zero.intoArray(out, 12 * L); zero.intoArray(out, 13 * L); zero.intoArray(out, 14 * L); zero.intoArray(out, 15 * L);
    }


    // out[(r*4 + q)*L ..] = lane sums of a[aR + n*aStride + p] * b[bQ + n*bStride + p] over images n and p < len
    // (len >= L), r < 4, q < 4; rows r >= 4 are zeros. The horizontal sums are foldPartialSums'.
    static void dotImages4x4(int images, int len, float[] a, int aStride, int a0, int a1, int a2, int a3,
                             float[] b, int bStride, int b0, int b1, int b2, int b3, float[] out) {
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S), s02 = FloatVector.zero(S), s03 = FloatVector.zero(S);
        FloatVector s10 = FloatVector.zero(S), s11 = FloatVector.zero(S), s12 = FloatVector.zero(S), s13 = FloatVector.zero(S);
        FloatVector s20 = FloatVector.zero(S), s21 = FloatVector.zero(S), s22 = FloatVector.zero(S), s23 = FloatVector.zero(S);
        FloatVector s30 = FloatVector.zero(S), s31 = FloatVector.zero(S), s32 = FloatVector.zero(S), s33 = FloatVector.zero(S);
        int bound = S.loopBound(len);
        int tail = len - L;
        // The last, overlapping vector at len - L: only its lanes the body has not summed count. Always
        // taken (with no fresh lane when L divides len): a branch around it would merge vectors.
        VectorMask<Float> fresh = FloatVector.fromArray(S, LANE_INDEX, 0).compare(VectorOperators.GE, bound - tail);
        FloatVector zero = FloatVector.zero(S);
        for (int n = 0; n < images; n++) {
            int an = n * aStride;
            int bn = n * bStride;
            for (int p = 0; p < bound; p += L) {
                FloatVector y0 = FloatVector.fromArray(S, b, b0 + bn + p);
                FloatVector y1 = FloatVector.fromArray(S, b, b1 + bn + p);
                FloatVector y2 = FloatVector.fromArray(S, b, b2 + bn + p);
                FloatVector y3 = FloatVector.fromArray(S, b, b3 + bn + p);
                FloatVector x;
                x = FloatVector.fromArray(S, a, a0 + an + p);
                s00 = x.fma(y0, s00); s01 = x.fma(y1, s01); s02 = x.fma(y2, s02); s03 = x.fma(y3, s03);
                x = FloatVector.fromArray(S, a, a1 + an + p);
                s10 = x.fma(y0, s10); s11 = x.fma(y1, s11); s12 = x.fma(y2, s12); s13 = x.fma(y3, s13);
                x = FloatVector.fromArray(S, a, a2 + an + p);
                s20 = x.fma(y0, s20); s21 = x.fma(y1, s21); s22 = x.fma(y2, s22); s23 = x.fma(y3, s23);
                x = FloatVector.fromArray(S, a, a3 + an + p);
                s30 = x.fma(y0, s30); s31 = x.fma(y1, s31); s32 = x.fma(y2, s32); s33 = x.fma(y3, s33);
            }
            // Plain loads and a blend: masked loads measured several times slower on JDK 17 and 25.
            FloatVector y0 = zero.blend(FloatVector.fromArray(S, b, b0 + bn + tail), fresh);
            FloatVector y1 = zero.blend(FloatVector.fromArray(S, b, b1 + bn + tail), fresh);
            FloatVector y2 = zero.blend(FloatVector.fromArray(S, b, b2 + bn + tail), fresh);
            FloatVector y3 = zero.blend(FloatVector.fromArray(S, b, b3 + bn + tail), fresh);
            FloatVector x;
            x = FloatVector.fromArray(S, a, a0 + an + tail);
            s00 = x.fma(y0, s00); s01 = x.fma(y1, s01); s02 = x.fma(y2, s02); s03 = x.fma(y3, s03);
            x = FloatVector.fromArray(S, a, a1 + an + tail);
            s10 = x.fma(y0, s10); s11 = x.fma(y1, s11); s12 = x.fma(y2, s12); s13 = x.fma(y3, s13);
            x = FloatVector.fromArray(S, a, a2 + an + tail);
            s20 = x.fma(y0, s20); s21 = x.fma(y1, s21); s22 = x.fma(y2, s22); s23 = x.fma(y3, s23);
            x = FloatVector.fromArray(S, a, a3 + an + tail);
            s30 = x.fma(y0, s30); s31 = x.fma(y1, s31); s32 = x.fma(y2, s32); s33 = x.fma(y3, s33);
        }
        s00.intoArray(out, 0 * L); s01.intoArray(out, 1 * L); s02.intoArray(out, 2 * L); s03.intoArray(out, 3 * L);
        s10.intoArray(out, 4 * L); s11.intoArray(out, 5 * L); s12.intoArray(out, 6 * L); s13.intoArray(out, 7 * L);
        s20.intoArray(out, 8 * L); s21.intoArray(out, 9 * L); s22.intoArray(out, 10 * L); s23.intoArray(out, 11 * L);
        s30.intoArray(out, 12 * L); s31.intoArray(out, 13 * L); s32.intoArray(out, 14 * L); s33.intoArray(out, 15 * L);
    }

    // out[(r*4 + q)*L ..] = lane sums of a[aR + n*aStride + p] * b[bQ + n*bStride + p] over images n and p < len
    // (len >= L), r < 3, q < 4; rows r >= 3 are zeros. The horizontal sums are foldPartialSums'.
    static void dotImages3x4(int images, int len, float[] a, int aStride, int a0, int a1, int a2,
                             float[] b, int bStride, int b0, int b1, int b2, int b3, float[] out) {
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S), s02 = FloatVector.zero(S), s03 = FloatVector.zero(S);
        FloatVector s10 = FloatVector.zero(S), s11 = FloatVector.zero(S), s12 = FloatVector.zero(S), s13 = FloatVector.zero(S);
        FloatVector s20 = FloatVector.zero(S), s21 = FloatVector.zero(S), s22 = FloatVector.zero(S), s23 = FloatVector.zero(S);
        int bound = S.loopBound(len);
        int tail = len - L;
        // The last, overlapping vector at len - L: only its lanes the body has not summed count. Always
        // taken (with no fresh lane when L divides len): a branch around it would merge vectors.
        VectorMask<Float> fresh = FloatVector.fromArray(S, LANE_INDEX, 0).compare(VectorOperators.GE, bound - tail);
        FloatVector zero = FloatVector.zero(S);
        for (int n = 0; n < images; n++) {
            int an = n * aStride;
            int bn = n * bStride;
            for (int p = 0; p < bound; p += L) {
                FloatVector y0 = FloatVector.fromArray(S, b, b0 + bn + p);
                FloatVector y1 = FloatVector.fromArray(S, b, b1 + bn + p);
                FloatVector y2 = FloatVector.fromArray(S, b, b2 + bn + p);
                FloatVector y3 = FloatVector.fromArray(S, b, b3 + bn + p);
                FloatVector x;
                x = FloatVector.fromArray(S, a, a0 + an + p);
                s00 = x.fma(y0, s00); s01 = x.fma(y1, s01); s02 = x.fma(y2, s02); s03 = x.fma(y3, s03);
                x = FloatVector.fromArray(S, a, a1 + an + p);
                s10 = x.fma(y0, s10); s11 = x.fma(y1, s11); s12 = x.fma(y2, s12); s13 = x.fma(y3, s13);
                x = FloatVector.fromArray(S, a, a2 + an + p);
                s20 = x.fma(y0, s20); s21 = x.fma(y1, s21); s22 = x.fma(y2, s22); s23 = x.fma(y3, s23);
            }
            // Plain loads and a blend: masked loads measured several times slower on JDK 17 and 25.
            FloatVector y0 = zero.blend(FloatVector.fromArray(S, b, b0 + bn + tail), fresh);
            FloatVector y1 = zero.blend(FloatVector.fromArray(S, b, b1 + bn + tail), fresh);
            FloatVector y2 = zero.blend(FloatVector.fromArray(S, b, b2 + bn + tail), fresh);
            FloatVector y3 = zero.blend(FloatVector.fromArray(S, b, b3 + bn + tail), fresh);
            FloatVector x;
            x = FloatVector.fromArray(S, a, a0 + an + tail);
            s00 = x.fma(y0, s00); s01 = x.fma(y1, s01); s02 = x.fma(y2, s02); s03 = x.fma(y3, s03);
            x = FloatVector.fromArray(S, a, a1 + an + tail);
            s10 = x.fma(y0, s10); s11 = x.fma(y1, s11); s12 = x.fma(y2, s12); s13 = x.fma(y3, s13);
            x = FloatVector.fromArray(S, a, a2 + an + tail);
            s20 = x.fma(y0, s20); s21 = x.fma(y1, s21); s22 = x.fma(y2, s22); s23 = x.fma(y3, s23);
        }
        s00.intoArray(out, 0 * L); s01.intoArray(out, 1 * L); s02.intoArray(out, 2 * L); s03.intoArray(out, 3 * L);
        s10.intoArray(out, 4 * L); s11.intoArray(out, 5 * L); s12.intoArray(out, 6 * L); s13.intoArray(out, 7 * L);
        s20.intoArray(out, 8 * L); s21.intoArray(out, 9 * L); s22.intoArray(out, 10 * L); s23.intoArray(out, 11 * L);
        zero.intoArray(out, 12 * L); zero.intoArray(out, 13 * L); zero.intoArray(out, 14 * L); zero.intoArray(out, 15 * L);
    }

    // partial: 16 vectors, accumulator i at [i*L, i*L + L) → sums[i] = the sum of its lanes
    static void foldPartialSums(float[] partial, float[] sums) {
        FloatVector s00 = FloatVector.fromArray(S, partial, 0), s01 = FloatVector.fromArray(S, partial, L);
        FloatVector s02 = FloatVector.fromArray(S, partial, 2 * L), s03 = FloatVector.fromArray(S, partial, 3 * L);
        FloatVector s10 = FloatVector.fromArray(S, partial, 4 * L), s11 = FloatVector.fromArray(S, partial, 5 * L);
        FloatVector s12 = FloatVector.fromArray(S, partial, 6 * L), s13 = FloatVector.fromArray(S, partial, 7 * L);
        FloatVector s20 = FloatVector.fromArray(S, partial, 8 * L), s21 = FloatVector.fromArray(S, partial, 9 * L);
        FloatVector s22 = FloatVector.fromArray(S, partial, 10 * L), s23 = FloatVector.fromArray(S, partial, 11 * L);
        FloatVector s30 = FloatVector.fromArray(S, partial, 12 * L), s31 = FloatVector.fromArray(S, partial, 13 * L);
        FloatVector s32 = FloatVector.fromArray(S, partial, 14 * L), s33 = FloatVector.fromArray(S, partial, 15 * L);
        // The dot kernels' butterfly (see dot4x4): 16 vectors fold into 16 / L vectors of complete sums.
        if (L >= 2) {
            s00 = s00.blend(s01, UPPER_1).add(s01.blend(s00, UPPER_1).rearrange(SWAP_1));
            s02 = s02.blend(s03, UPPER_1).add(s03.blend(s02, UPPER_1).rearrange(SWAP_1));
            s10 = s10.blend(s11, UPPER_1).add(s11.blend(s10, UPPER_1).rearrange(SWAP_1));
            s12 = s12.blend(s13, UPPER_1).add(s13.blend(s12, UPPER_1).rearrange(SWAP_1));
            s20 = s20.blend(s21, UPPER_1).add(s21.blend(s20, UPPER_1).rearrange(SWAP_1));
            s22 = s22.blend(s23, UPPER_1).add(s23.blend(s22, UPPER_1).rearrange(SWAP_1));
            s30 = s30.blend(s31, UPPER_1).add(s31.blend(s30, UPPER_1).rearrange(SWAP_1));
            s32 = s32.blend(s33, UPPER_1).add(s33.blend(s32, UPPER_1).rearrange(SWAP_1));
        }
        if (L >= 4) {
            s00 = s00.blend(s02, UPPER_2).add(s02.blend(s00, UPPER_2).rearrange(SWAP_2));
            s10 = s10.blend(s12, UPPER_2).add(s12.blend(s10, UPPER_2).rearrange(SWAP_2));
            s20 = s20.blend(s22, UPPER_2).add(s22.blend(s20, UPPER_2).rearrange(SWAP_2));
            s30 = s30.blend(s32, UPPER_2).add(s32.blend(s30, UPPER_2).rearrange(SWAP_2));
        }
        if (L >= 8) {
            s00 = s00.blend(s10, UPPER_3).add(s10.blend(s00, UPPER_3).rearrange(SWAP_3));
            s20 = s20.blend(s30, UPPER_3).add(s30.blend(s20, UPPER_3).rearrange(SWAP_3));
        }
        if (L >= 16) {
            s00 = s00.blend(s20, UPPER_4).add(s20.blend(s00, UPPER_4).rearrange(SWAP_4));
        }
        s00.intoArray(partial, 0);
        if (L == 8) {
            s20.intoArray(partial, L);
        } else if (L == 4) {
            s10.intoArray(partial, L);
            s20.intoArray(partial, 2 * L);
            s30.intoArray(partial, 3 * L);
        } else if (L == 2) {
            s02.intoArray(partial, L);
            s10.intoArray(partial, 2 * L);
            s12.intoArray(partial, 3 * L);
            s20.intoArray(partial, 4 * L);
            s22.intoArray(partial, 5 * L);
            s30.intoArray(partial, 6 * L);
            s32.intoArray(partial, 7 * L);
        }
        for (int i = 0; i < 16; i++) {
            sums[i] = partial[SUM_SLOT[i]];
        }
    }
}
