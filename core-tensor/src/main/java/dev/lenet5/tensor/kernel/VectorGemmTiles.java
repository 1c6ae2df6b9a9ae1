package dev.lenet5.tensor.kernel;

import static dev.lenet5.tensor.kernel.VectorConstants.L;
import static dev.lenet5.tensor.kernel.VectorConstants.S;

import jdk.incubator.vector.FloatVector;

/**
 * The GEMM's register tiles: {@code MR x (vectors * L)} blocks of C with every accumulator in a register,
 * computed from a packed MR-tall strip of A and a strip of B (see {@link VectorGemm}). Each step broadcasts
 * one value of A and multiply-adds it into a row of vectors of B. The 8-row tiles are for a 32-register
 * file, the 6-row ones for 16 registers ({@link KernelTuning}); the 2- and 1-vector tiles compute the last,
 * narrower strip of a panel. They are written out by hand, one method per shape: C2 keeps the accumulators
 * of a straight-line body in registers, and an array or a loop over rows would put them in memory.
 */
final class VectorGemmTiles {

    private VectorGemmTiles() {
    }

    /*
     * The micro-kernels below store their accumulators straight after the loop, with no branch in
     * between: a vector reassigned in a branch (say "if (beta != 0) c00 = c00.add(...)") meets its other
     * value at a join point, where C2 can lose its exact type; the store is then not intrinsified and
     * every vector of the kernel boxed. Whether that happened depended on the branch profile at compile
     * time: runs of the same program were 3x apart. Beta, bias and partial tiles are the callers' job. kc == 0 returns at once, before
     * any vector exists: the JIT warm-up's cheap calls (see VectorWarmUp).
     */

    // T (8 rows, 3L) at (c, cIdx, ldc) = Ap (kc, 8) * Bp (kc, 3L): all 8 rows are written, nothing is read
    static void kernel8x3(int kc, float[] ap, int aIdx, float[] bp, int bIdx, int bStride,
                          float[] c, int cIdx, int ldc) {
        if (kc <= 0) {
            return;
        }
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S), c42 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S), c52 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S), c62 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S), c72 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bIdx);
            FloatVector b1 = FloatVector.fromArray(S, bp, bIdx + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bIdx + 2 * L);
            FloatVector ai;
            ai = FloatVector.broadcast(S, ap[aIdx]);
            c00 = ai.fma(b0, c00); c01 = ai.fma(b1, c01); c02 = ai.fma(b2, c02);
            ai = FloatVector.broadcast(S, ap[aIdx + 1]);
            c10 = ai.fma(b0, c10); c11 = ai.fma(b1, c11); c12 = ai.fma(b2, c12);
            ai = FloatVector.broadcast(S, ap[aIdx + 2]);
            c20 = ai.fma(b0, c20); c21 = ai.fma(b1, c21); c22 = ai.fma(b2, c22);
            ai = FloatVector.broadcast(S, ap[aIdx + 3]);
            c30 = ai.fma(b0, c30); c31 = ai.fma(b1, c31); c32 = ai.fma(b2, c32);
            ai = FloatVector.broadcast(S, ap[aIdx + 4]);
            c40 = ai.fma(b0, c40); c41 = ai.fma(b1, c41); c42 = ai.fma(b2, c42);
            ai = FloatVector.broadcast(S, ap[aIdx + 5]);
            c50 = ai.fma(b0, c50); c51 = ai.fma(b1, c51); c52 = ai.fma(b2, c52);
            ai = FloatVector.broadcast(S, ap[aIdx + 6]);
            c60 = ai.fma(b0, c60); c61 = ai.fma(b1, c61); c62 = ai.fma(b2, c62);
            ai = FloatVector.broadcast(S, ap[aIdx + 7]);
            c70 = ai.fma(b0, c70); c71 = ai.fma(b1, c71); c72 = ai.fma(b2, c72);
            aIdx += 8;
            bIdx += bStride;
        }
        c00.intoArray(c, cIdx); c01.intoArray(c, cIdx + L); c02.intoArray(c, cIdx + 2 * L);
        c10.intoArray(c, cIdx + ldc); c11.intoArray(c, cIdx + ldc + L); c12.intoArray(c, cIdx + ldc + 2 * L);
        c20.intoArray(c, cIdx + 2 * ldc); c21.intoArray(c, cIdx + 2 * ldc + L); c22.intoArray(c, cIdx + 2 * ldc + 2 * L);
        c30.intoArray(c, cIdx + 3 * ldc); c31.intoArray(c, cIdx + 3 * ldc + L); c32.intoArray(c, cIdx + 3 * ldc + 2 * L);
        c40.intoArray(c, cIdx + 4 * ldc); c41.intoArray(c, cIdx + 4 * ldc + L); c42.intoArray(c, cIdx + 4 * ldc + 2 * L);
        c50.intoArray(c, cIdx + 5 * ldc); c51.intoArray(c, cIdx + 5 * ldc + L); c52.intoArray(c, cIdx + 5 * ldc + 2 * L);
        c60.intoArray(c, cIdx + 6 * ldc); c61.intoArray(c, cIdx + 6 * ldc + L); c62.intoArray(c, cIdx + 6 * ldc + 2 * L);
        c70.intoArray(c, cIdx + 7 * ldc); c71.intoArray(c, cIdx + 7 * ldc + L); c72.intoArray(c, cIdx + 7 * ldc + 2 * L);
    }

    // T (8 rows, 2L) at (c, cIdx, ldc) = Ap (kc, 8) * Bp (kc, 2L): all 8 rows are written, nothing is read
    static void kernel8x2(int kc, float[] ap, int aIdx, float[] bp, int bIdx, int bStride,
                          float[] c, int cIdx, int ldc) {
        if (kc <= 0) {
            return;
        }
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bIdx);
            FloatVector b1 = FloatVector.fromArray(S, bp, bIdx + L);
            FloatVector ai;
            ai = FloatVector.broadcast(S, ap[aIdx]);
            c00 = ai.fma(b0, c00); c01 = ai.fma(b1, c01);
            ai = FloatVector.broadcast(S, ap[aIdx + 1]);
            c10 = ai.fma(b0, c10); c11 = ai.fma(b1, c11);
            ai = FloatVector.broadcast(S, ap[aIdx + 2]);
            c20 = ai.fma(b0, c20); c21 = ai.fma(b1, c21);
            ai = FloatVector.broadcast(S, ap[aIdx + 3]);
            c30 = ai.fma(b0, c30); c31 = ai.fma(b1, c31);
            ai = FloatVector.broadcast(S, ap[aIdx + 4]);
            c40 = ai.fma(b0, c40); c41 = ai.fma(b1, c41);
            ai = FloatVector.broadcast(S, ap[aIdx + 5]);
            c50 = ai.fma(b0, c50); c51 = ai.fma(b1, c51);
            ai = FloatVector.broadcast(S, ap[aIdx + 6]);
            c60 = ai.fma(b0, c60); c61 = ai.fma(b1, c61);
            ai = FloatVector.broadcast(S, ap[aIdx + 7]);
            c70 = ai.fma(b0, c70); c71 = ai.fma(b1, c71);
            aIdx += 8;
            bIdx += bStride;
        }
        c00.intoArray(c, cIdx); c01.intoArray(c, cIdx + L);
        c10.intoArray(c, cIdx + ldc); c11.intoArray(c, cIdx + ldc + L);
        c20.intoArray(c, cIdx + 2 * ldc); c21.intoArray(c, cIdx + 2 * ldc + L);
        c30.intoArray(c, cIdx + 3 * ldc); c31.intoArray(c, cIdx + 3 * ldc + L);
        c40.intoArray(c, cIdx + 4 * ldc); c41.intoArray(c, cIdx + 4 * ldc + L);
        c50.intoArray(c, cIdx + 5 * ldc); c51.intoArray(c, cIdx + 5 * ldc + L);
        c60.intoArray(c, cIdx + 6 * ldc); c61.intoArray(c, cIdx + 6 * ldc + L);
        c70.intoArray(c, cIdx + 7 * ldc); c71.intoArray(c, cIdx + 7 * ldc + L);
    }

    // T (8 rows, 1L) at (c, cIdx, ldc) = Ap (kc, 8) * Bp (kc, 1L): all 8 rows are written, nothing is read
    static void kernel8x1(int kc, float[] ap, int aIdx, float[] bp, int bIdx, int bStride,
                          float[] c, int cIdx, int ldc) {
        if (kc <= 0) {
            return;
        }
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bIdx);
            FloatVector ai;
            ai = FloatVector.broadcast(S, ap[aIdx]);
            c00 = ai.fma(b0, c00);
            ai = FloatVector.broadcast(S, ap[aIdx + 1]);
            c10 = ai.fma(b0, c10);
            ai = FloatVector.broadcast(S, ap[aIdx + 2]);
            c20 = ai.fma(b0, c20);
            ai = FloatVector.broadcast(S, ap[aIdx + 3]);
            c30 = ai.fma(b0, c30);
            ai = FloatVector.broadcast(S, ap[aIdx + 4]);
            c40 = ai.fma(b0, c40);
            ai = FloatVector.broadcast(S, ap[aIdx + 5]);
            c50 = ai.fma(b0, c50);
            ai = FloatVector.broadcast(S, ap[aIdx + 6]);
            c60 = ai.fma(b0, c60);
            ai = FloatVector.broadcast(S, ap[aIdx + 7]);
            c70 = ai.fma(b0, c70);
            aIdx += 8;
            bIdx += bStride;
        }
        c00.intoArray(c, cIdx);
        c10.intoArray(c, cIdx + ldc);
        c20.intoArray(c, cIdx + 2 * ldc);
        c30.intoArray(c, cIdx + 3 * ldc);
        c40.intoArray(c, cIdx + 4 * ldc);
        c50.intoArray(c, cIdx + 5 * ldc);
        c60.intoArray(c, cIdx + 6 * ldc);
        c70.intoArray(c, cIdx + 7 * ldc);
    }

    // T (6 rows, 2L) at (c, cIdx, ldc) = Ap (kc, 6) * Bp (kc, 2L): all 6 rows are written, nothing is read
    static void kernel6x2(int kc, float[] ap, int aIdx, float[] bp, int bIdx, int bStride,
                          float[] c, int cIdx, int ldc) {
        if (kc <= 0) {
            return;
        }
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bIdx);
            FloatVector b1 = FloatVector.fromArray(S, bp, bIdx + L);
            FloatVector ai;
            ai = FloatVector.broadcast(S, ap[aIdx]);
            c00 = ai.fma(b0, c00); c01 = ai.fma(b1, c01);
            ai = FloatVector.broadcast(S, ap[aIdx + 1]);
            c10 = ai.fma(b0, c10); c11 = ai.fma(b1, c11);
            ai = FloatVector.broadcast(S, ap[aIdx + 2]);
            c20 = ai.fma(b0, c20); c21 = ai.fma(b1, c21);
            ai = FloatVector.broadcast(S, ap[aIdx + 3]);
            c30 = ai.fma(b0, c30); c31 = ai.fma(b1, c31);
            ai = FloatVector.broadcast(S, ap[aIdx + 4]);
            c40 = ai.fma(b0, c40); c41 = ai.fma(b1, c41);
            ai = FloatVector.broadcast(S, ap[aIdx + 5]);
            c50 = ai.fma(b0, c50); c51 = ai.fma(b1, c51);
            aIdx += 6;
            bIdx += bStride;
        }
        c00.intoArray(c, cIdx); c01.intoArray(c, cIdx + L);
        c10.intoArray(c, cIdx + ldc); c11.intoArray(c, cIdx + ldc + L);
        c20.intoArray(c, cIdx + 2 * ldc); c21.intoArray(c, cIdx + 2 * ldc + L);
        c30.intoArray(c, cIdx + 3 * ldc); c31.intoArray(c, cIdx + 3 * ldc + L);
        c40.intoArray(c, cIdx + 4 * ldc); c41.intoArray(c, cIdx + 4 * ldc + L);
        c50.intoArray(c, cIdx + 5 * ldc); c51.intoArray(c, cIdx + 5 * ldc + L);
    }

    // T (6 rows, 1L) at (c, cIdx, ldc) = Ap (kc, 6) * Bp (kc, 1L): all 6 rows are written, nothing is read
    static void kernel6x1(int kc, float[] ap, int aIdx, float[] bp, int bIdx, int bStride,
                          float[] c, int cIdx, int ldc) {
        if (kc <= 0) {
            return;
        }
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bIdx);
            FloatVector ai;
            ai = FloatVector.broadcast(S, ap[aIdx]);
            c00 = ai.fma(b0, c00);
            ai = FloatVector.broadcast(S, ap[aIdx + 1]);
            c10 = ai.fma(b0, c10);
            ai = FloatVector.broadcast(S, ap[aIdx + 2]);
            c20 = ai.fma(b0, c20);
            ai = FloatVector.broadcast(S, ap[aIdx + 3]);
            c30 = ai.fma(b0, c30);
            ai = FloatVector.broadcast(S, ap[aIdx + 4]);
            c40 = ai.fma(b0, c40);
            ai = FloatVector.broadcast(S, ap[aIdx + 5]);
            c50 = ai.fma(b0, c50);
            aIdx += 6;
            bIdx += bStride;
        }
        c00.intoArray(c, cIdx);
        c10.intoArray(c, cIdx + ldc);
        c20.intoArray(c, cIdx + 2 * ldc);
        c30.intoArray(c, cIdx + 3 * ldc);
        c40.intoArray(c, cIdx + 4 * ldc);
        c50.intoArray(c, cIdx + 5 * ldc);
    }

}
