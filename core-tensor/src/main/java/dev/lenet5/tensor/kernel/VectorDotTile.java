package dev.lenet5.tensor.kernel;

import static dev.lenet5.tensor.kernel.VectorConstants.L;
import static dev.lenet5.tensor.kernel.VectorConstants.LANE_INDEX;
import static dev.lenet5.tensor.kernel.VectorConstants.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Register tiles of dot products along a dimension contiguous in both operands: RA rows of A by 4 rows of B,
 * RA x 4 vector accumulators, each of the RA + 4 loads of a step shared by 4 or RA multiply-adds. The rows are
 * given as offsets ({@code aRow}, {@code bRow}) and may run over several images ({@code images} times, the
 * rows advancing by {@code aStride} and {@code bStride}), which is how the convolutions' weight gradients sum
 * over a batch without a pass per image. The tiles leave RA x 4 vectors of partial sums; {@link #sumLanes}
 * adds each one's lanes.
 *
 * <p>32 registers take 6 x 4 and 4 x 4: 6 x 4 holds 24 accumulators, 4 B vectors and the A vector in 29, and
 * loads 10 vectors per 24 multiply-adds where 3 x 4 loads 7 per 12 (the B rows, shifted input rows in the
 * convolutions, are unaligned and cost two loads each); it covers conv1's 6 output channels in one tile. 16
 * registers take 3 x 4 (one vector more than the file holds, which C2 keeps in memory as an FMA operand) and
 * 2 x 4: 4 x 4 would spill five. Each output is the same lane-wise sum in the same order whatever the tile,
 * so the choice changes speed, not results.
 */
enum VectorDotTile {

    /** 6 rows of A by 4 of B: 24 accumulators, for 32 registers. */
    SIX_BY_FOUR(6) {
        @Override
        void run(int images, int len, float[] a, int aStride, int[] aRow, float[] b, int bStride, int[] bRow,
                 float[] out) {
            dotImages6x4(images, len, a, aStride, aRow[0], aRow[1], aRow[2], aRow[3], aRow[4], aRow[5],
                    b, bStride, bRow[0], bRow[1], bRow[2], bRow[3], out);
        }
    },

    /** 4 rows of A by 4 of B: 16 accumulators, for 32 registers. */
    FOUR_BY_FOUR(4) {
        @Override
        void run(int images, int len, float[] a, int aStride, int[] aRow, float[] b, int bStride, int[] bRow,
                 float[] out) {
            dotImages4x4(images, len, a, aStride, aRow[0], aRow[1], aRow[2], aRow[3], b, bStride, bRow[0], bRow[1], bRow[2], bRow[3], out);
        }
    },

    /** 3 rows of A by 4 of B: 12 accumulators, for 16 registers. */
    THREE_BY_FOUR(3) {
        @Override
        void run(int images, int len, float[] a, int aStride, int[] aRow, float[] b, int bStride, int[] bRow,
                 float[] out) {
            dotImages3x4(images, len, a, aStride, aRow[0], aRow[1], aRow[2], b, bStride, bRow[0], bRow[1], bRow[2], bRow[3], out);
        }
    },

    /** 2 rows of A by 4 of B: 8 accumulators, for 16 registers. */
    TWO_BY_FOUR(2) {
        @Override
        void run(int images, int len, float[] a, int aStride, int[] aRow, float[] b, int bStride, int[] bRow,
                 float[] out) {
            dotImages2x4(images, len, a, aStride, aRow[0], aRow[1], b, bStride, bRow[0], bRow[1], bRow[2], bRow[3], out);
        }
    };

    /** The most rows of A of any tile: row lists and partial sums are sized for this many. */
    static final int MAX_ROWS = 6;

    /** Rows of A (RA) per tile; every tile takes 4 rows of B. */
    final int rows;

    VectorDotTile(int rows) {
        this.rows = rows;
    }

    /**
     * The tile for {@code m} rows of A: of the register file's two, the one that pads m less (6 rows: 6 x 4 on 32
     * registers, 3 x 4 on 16; 16 rows: 4 x 4 on 32 registers, 2 x 4 on 16), the taller one on a tie.
     */
    static VectorDotTile forRows(int m, boolean wideRegisterFile) {
        VectorDotTile tall = wideRegisterFile ? SIX_BY_FOUR : THREE_BY_FOUR;
        VectorDotTile low = wideRegisterFile ? FOUR_BY_FOUR : TWO_BY_FOUR;
        return pad(m, tall.rows) <= pad(m, low.rows) ? tall : low;
    }

    /** Whether this tile is one of the register file's two. */
    boolean forRegisters(boolean wideRegisterFile) {
        return wideRegisterFile == (this == SIX_BY_FOUR || this == FOUR_BY_FOUR);
    }

    private static int pad(int m, int rows) {
        return (m + rows - 1) / rows * rows - m;
    }

    /**
     * out[(r*4 + q)*L ..] = the lane-wise partial sums of a[aRow[r] + n*aStride + p] * b[bRow[q] + n*bStride + p]
     * over n < images and p < len (len >= L), for r < RA and q < 4.
     */
    abstract void run(int images, int len, float[] a, int aStride, int[] aRow, float[] b, int bStride, int[] bRow,
                      float[] out);

    /**
     * sums[i] = the lanes of partial vector i added first to last, for i < count: a fixed order, so the result does
     * not depend on the JIT (a compiled horizontal reduction may add in another order than the interpreter).
     */
    static void sumLanes(float[] partial, int count, float[] sums) {
        for (int i = 0; i < count; i++) {
            float s = 0f;
            for (int j = 0; j < L; j++) {
                s += partial[i * L + j];
            }
            sums[i] = s;
        }
    }

    // out[(r*4 + q)*L ..] = lane sums of a[aR + n*aStride + p] * b[bQ + n*bStride + p] over images n and p < len
    // (len >= L), r < 6, q < 4; images == 0 returns at once, before any vector exists (see VectorWarmUp)
    static void dotImages6x4(int images, int len, float[] a, int aStride, int a0, int a1, int a2, int a3, int a4, int a5,
                             float[] b, int bStride, int b0, int b1, int b2, int b3, float[] out) {
        if (images <= 0) {
            return;
        }
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S), s02 = FloatVector.zero(S), s03 = FloatVector.zero(S);
        FloatVector s10 = FloatVector.zero(S), s11 = FloatVector.zero(S), s12 = FloatVector.zero(S), s13 = FloatVector.zero(S);
        FloatVector s20 = FloatVector.zero(S), s21 = FloatVector.zero(S), s22 = FloatVector.zero(S), s23 = FloatVector.zero(S);
        FloatVector s30 = FloatVector.zero(S), s31 = FloatVector.zero(S), s32 = FloatVector.zero(S), s33 = FloatVector.zero(S);
        FloatVector s40 = FloatVector.zero(S), s41 = FloatVector.zero(S), s42 = FloatVector.zero(S), s43 = FloatVector.zero(S);
        FloatVector s50 = FloatVector.zero(S), s51 = FloatVector.zero(S), s52 = FloatVector.zero(S), s53 = FloatVector.zero(S);
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
                x = FloatVector.fromArray(S, a, a4 + an + p);
                s40 = x.fma(y0, s40); s41 = x.fma(y1, s41); s42 = x.fma(y2, s42); s43 = x.fma(y3, s43);
                x = FloatVector.fromArray(S, a, a5 + an + p);
                s50 = x.fma(y0, s50); s51 = x.fma(y1, s51); s52 = x.fma(y2, s52); s53 = x.fma(y3, s53);
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
            x = FloatVector.fromArray(S, a, a4 + an + tail);
            s40 = x.fma(y0, s40); s41 = x.fma(y1, s41); s42 = x.fma(y2, s42); s43 = x.fma(y3, s43);
            x = FloatVector.fromArray(S, a, a5 + an + tail);
            s50 = x.fma(y0, s50); s51 = x.fma(y1, s51); s52 = x.fma(y2, s52); s53 = x.fma(y3, s53);
        }
        s00.intoArray(out, 0 * L); s01.intoArray(out, 1 * L); s02.intoArray(out, 2 * L); s03.intoArray(out, 3 * L);
        s10.intoArray(out, 4 * L); s11.intoArray(out, 5 * L); s12.intoArray(out, 6 * L); s13.intoArray(out, 7 * L);
        s20.intoArray(out, 8 * L); s21.intoArray(out, 9 * L); s22.intoArray(out, 10 * L); s23.intoArray(out, 11 * L);
        s30.intoArray(out, 12 * L); s31.intoArray(out, 13 * L); s32.intoArray(out, 14 * L); s33.intoArray(out, 15 * L);
        s40.intoArray(out, 16 * L); s41.intoArray(out, 17 * L); s42.intoArray(out, 18 * L); s43.intoArray(out, 19 * L);
        s50.intoArray(out, 20 * L); s51.intoArray(out, 21 * L); s52.intoArray(out, 22 * L); s53.intoArray(out, 23 * L);
    }

    // out[(r*4 + q)*L ..] = lane sums of a[aR + n*aStride + p] * b[bQ + n*bStride + p] over images n and p < len
    // (len >= L), r < 4, q < 4; images == 0 returns at once, before any vector exists (see VectorWarmUp)
    static void dotImages4x4(int images, int len, float[] a, int aStride, int a0, int a1, int a2, int a3,
                             float[] b, int bStride, int b0, int b1, int b2, int b3, float[] out) {
        if (images <= 0) {
            return;
        }
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
    // (len >= L), r < 3, q < 4; images == 0 returns at once, before any vector exists (see VectorWarmUp)
    static void dotImages3x4(int images, int len, float[] a, int aStride, int a0, int a1, int a2,
                             float[] b, int bStride, int b0, int b1, int b2, int b3, float[] out) {
        if (images <= 0) {
            return;
        }
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
    }

    // out[(r*4 + q)*L ..] = lane sums of a[aR + n*aStride + p] * b[bQ + n*bStride + p] over images n and p < len
    // (len >= L), r < 2, q < 4; images == 0 returns at once, before any vector exists (see VectorWarmUp)
    static void dotImages2x4(int images, int len, float[] a, int aStride, int a0, int a1,
                             float[] b, int bStride, int b0, int b1, int b2, int b3, float[] out) {
        if (images <= 0) {
            return;
        }
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S), s02 = FloatVector.zero(S), s03 = FloatVector.zero(S);
        FloatVector s10 = FloatVector.zero(S), s11 = FloatVector.zero(S), s12 = FloatVector.zero(S), s13 = FloatVector.zero(S);
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
        }
        s00.intoArray(out, 0 * L); s01.intoArray(out, 1 * L); s02.intoArray(out, 2 * L); s03.intoArray(out, 3 * L);
        s10.intoArray(out, 4 * L); s11.intoArray(out, 5 * L); s12.intoArray(out, 6 * L); s13.intoArray(out, 7 * L);
    }
}
