package dev.lenet5.tensor.kernel;

import static dev.lenet5.tensor.kernel.VectorConstants.L;
import static dev.lenet5.tensor.kernel.VectorConstants.S;
import static dev.lenet5.tensor.kernel.VectorElementwise.copyRun;

import jdk.incubator.vector.FloatVector;

/**
 * The direct convolution's register tiles: MR output rows (output channels, or input channels for the input
 * gradient) by NV vectors of output positions, MR x NV accumulators in registers. Per tap a tile loads NV input
 * vectors, shares each among its MR rows, and broadcasts MR weights (packed tap-major, MR per tap).
 *
 * <p>Two shapes per register file, so that LeNet's row counts (6 and 16) fill whole blocks:
 * <ul>
 *   <li>32 registers (AVX-512): 6 x 4 and 8 x 3, 24 accumulators + NV loads + 1 broadcast;</li>
 *   <li>16 registers (AVX2): 6 x 2 and 4 x 3, 12 accumulators + NV loads + 1 broadcast. Per tap 12 FMAs for 8 or 7
 *       loads: with two FMA and two load ports, the FMAs stay the limit, and 12 independent chains cover the FMA
 *       latency (4 cycles x 2 per cycle). The 32-register shapes spill here.</li>
 * </ul>
 * A tile always takes NV whole vectors: the position lists are padded to a multiple of NV by repeating their last
 * vector ({@link #padPositions}), which computes and stores the same outputs twice instead of needing a second,
 * narrower kernel for the leftovers (one kernel fewer for the JIT to compile before a run is fast). The input
 * gradient's list runs through all the images of a slice, so it is padded once per slice: padded per image, LeNet's
 * conv2 input gradient (13 vectors an image at 512 bits) recomputed 3 vectors in 16. The forward pass's lists are
 * per image, which costs LeNet's shapes nothing at 128 and 512 bits and one vector in 21 at 256 bits (conv2, 20
 * vectors in tiles of 3); a list through all images would give up reading an image's input from L1 for every block
 * of output channels.
 */
enum VectorConvTile {

    /** 6 rows by 4 vectors, for 32 registers. */
    SIX_BY_FOUR(6, 4) {
        @Override
        void full(int taps, float[] wp, int wIdx, int[] off, float[] x, int xBase,
                  int[] pos, int[] dst, int k, float[] y, int yBase, int ldy, int rows, float[] tile) {
            conv6x4(taps, wp, wIdx, off, x, xBase, pos, dst, k, y, yBase, ldy, rows, tile);
        }
    },

    /** 8 rows by 3 vectors, for 32 registers. */
    EIGHT_BY_THREE(8, 3) {
        @Override
        void full(int taps, float[] wp, int wIdx, int[] off, float[] x, int xBase,
                  int[] pos, int[] dst, int k, float[] y, int yBase, int ldy, int rows, float[] tile) {
            conv8x3(taps, wp, wIdx, off, x, xBase, pos, dst, k, y, yBase, ldy, rows, tile);
        }
    },

    /** 6 rows by 2 vectors, for 16 registers. */
    SIX_BY_TWO(6, 2) {
        @Override
        void full(int taps, float[] wp, int wIdx, int[] off, float[] x, int xBase,
                  int[] pos, int[] dst, int k, float[] y, int yBase, int ldy, int rows, float[] tile) {
            conv6x2(taps, wp, wIdx, off, x, xBase, pos, dst, k, y, yBase, ldy, rows, tile);
        }
    },

    /** 4 rows by 3 vectors, for 16 registers. */
    FOUR_BY_THREE(4, 3) {
        @Override
        void full(int taps, float[] wp, int wIdx, int[] off, float[] x, int xBase,
                  int[] pos, int[] dst, int k, float[] y, int yBase, int ldy, int rows, float[] tile) {
            conv4x3(taps, wp, wIdx, off, x, xBase, pos, dst, k, y, yBase, ldy, rows, tile);
        }
    };

    /** The most vectors of any tile: position lists need room for this many minus one repeated entries. */
    static final int MAX_VECTORS = 4;

    /** Rows (MR) and vectors (NV) of a tile. */
    final int rows;
    final int vectors;

    VectorConvTile(int rows, int vectors) {
        this.rows = rows;
        this.vectors = vectors;
    }

    /**
     * The tile for blocks of {@code rows} rows: of the register file's two shapes, the one whose blocks pad fewer
     * zero rows, i.e. waste fewer multiply-adds (32 registers: 6 and 12 rows 6 x 4, 16 rows 8 x 3; 16 registers:
     * 6 rows 6 x 2, 16 rows 4 x 3).
     */
    static VectorConvTile forRows(int rows, boolean wideRegisterFile) {
        if (wideRegisterFile) {
            return (rows + 5) / 6 * 6 < (rows + 7) / 8 * 8 ? SIX_BY_FOUR : EIGHT_BY_THREE;
        }
        return (rows + 5) / 6 * 6 <= (rows + 3) / 4 * 4 ? SIX_BY_TWO : FOUR_BY_THREE;
    }

    /** Whether this shape is one of the register file's two. */
    boolean forRegisters(boolean wideRegisterFile) {
        return this == forRows(rows, wideRegisterFile);
    }

    /**
     * Pads the first {@code vectors} entries of the position lists to a multiple of NV by repeating the last one;
     * the lists hold at least {@code vectors + MAX_VECTORS - 1} entries.
     */
    static void padPositions(int[] pos, int[] dst, int vectors) {
        for (int k = vectors; k < vectors + MAX_VECTORS - 1; k++) {
            pos[k] = pos[vectors - 1];
            dst[k] = dst[vectors - 1];
        }
    }

    /**
     * Y (rows <= MR, NV vectors) = sum over taps t of wp[wIdx + t*MR + r] * x[xBase + pos[k + v] + off[t]]: stored
     * at y[yBase + r*ldy + dst[k + v]] when rows == MR, otherwise all MR rows into tile[(r*NV + v)*L ..], for the
     * caller to copy the valid ones.
     */
    abstract void full(int taps, float[] wp, int wIdx, int[] off, float[] x, int xBase,
                       int[] pos, int[] dst, int k, float[] y, int yBase, int ldy, int rows, float[] tile);

    /**
     * All tiles of one block of rows: groups of NV position vectors, the last group completed by the repeated
     * entries of {@link #padPositions}. A partial block (rows < MR) is computed into the tile, whose valid rows are
     * then copied.
     */
    void block(int taps, float[] wp, int wIdx, int[] off, float[] x, int xBase,
               int[] pos, int[] dst, int vectors, float[] y, int yBase, int ldy, int rows, float[] tile) {
        int nv = this.vectors;
        for (int k = 0; k < vectors; k += nv) {
            full(taps, wp, wIdx, off, x, xBase, pos, dst, k, y, yBase, ldy, rows, tile);
            if (rows < this.rows) {
                copyTileRows(rows, nv, tile, dst, k, y, yBase, ldy);
            }
        }
    }

    // the valid rows of a tile of nv vectors into y: tile[(r*nv + v)*L ..] → y[yBase + r*ldy + dst[k + v] ..]
    private static void copyTileRows(int rows, int nv, float[] tile, int[] dst, int k, float[] y, int yBase, int ldy) {
        for (int r = 0; r < rows; r++) {
            for (int v = 0; v < nv; v++) {
                copyRun(L, tile, (r * nv + v) * L, y, yBase + r * ldy + dst[k + v]);
            }
        }
    }

    // Y (rows <= 6, 4 vectors) = sum over taps t of wp[wIdx + t*6 + r] * x[xBase + pos[k + v] + off[t]]: stored at
    // y[yBase + r*ldy + dst[k + v]] when rows == 6, otherwise all 6 rows into tile[(r*4 + v)*L ..] for the caller;
    // taps == 0 returns at once, before any vector exists (see VectorWarmUp)
    private static void conv6x4(int taps, float[] wp, int wIdx, int[] off, float[] x, int xBase,
                                int[] pos, int[] dst, int k, float[] y, int yBase, int ldy, int rows, float[] tile) {
        if (taps <= 0) {
            return;
        }
        int p0 = xBase + pos[k], p1 = xBase + pos[k + 1], p2 = xBase + pos[k + 2], p3 = xBase + pos[k + 3];
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S), c03 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S), c13 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S), c23 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S), c33 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S), c42 = FloatVector.zero(S), c43 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S), c52 = FloatVector.zero(S), c53 = FloatVector.zero(S);
        for (int t = 0; t < taps; t++) {
            int o = off[t];
            FloatVector x0 = FloatVector.fromArray(S, x, p0 + o);
            FloatVector x1 = FloatVector.fromArray(S, x, p1 + o);
            FloatVector x2 = FloatVector.fromArray(S, x, p2 + o);
            FloatVector x3 = FloatVector.fromArray(S, x, p3 + o);
            FloatVector wv;
            wv = FloatVector.broadcast(S, wp[wIdx]);
            c00 = wv.fma(x0, c00); c01 = wv.fma(x1, c01); c02 = wv.fma(x2, c02); c03 = wv.fma(x3, c03);
            wv = FloatVector.broadcast(S, wp[wIdx + 1]);
            c10 = wv.fma(x0, c10); c11 = wv.fma(x1, c11); c12 = wv.fma(x2, c12); c13 = wv.fma(x3, c13);
            wv = FloatVector.broadcast(S, wp[wIdx + 2]);
            c20 = wv.fma(x0, c20); c21 = wv.fma(x1, c21); c22 = wv.fma(x2, c22); c23 = wv.fma(x3, c23);
            wv = FloatVector.broadcast(S, wp[wIdx + 3]);
            c30 = wv.fma(x0, c30); c31 = wv.fma(x1, c31); c32 = wv.fma(x2, c32); c33 = wv.fma(x3, c33);
            wv = FloatVector.broadcast(S, wp[wIdx + 4]);
            c40 = wv.fma(x0, c40); c41 = wv.fma(x1, c41); c42 = wv.fma(x2, c42); c43 = wv.fma(x3, c43);
            wv = FloatVector.broadcast(S, wp[wIdx + 5]);
            c50 = wv.fma(x0, c50); c51 = wv.fma(x1, c51); c52 = wv.fma(x2, c52); c53 = wv.fma(x3, c53);
            wIdx += 6;
        }
        if (rows == 6) {
            int d0 = yBase + dst[k], d1 = yBase + dst[k + 1], d2 = yBase + dst[k + 2], d3 = yBase + dst[k + 3];
            c00.intoArray(y, d0); c01.intoArray(y, d1); c02.intoArray(y, d2); c03.intoArray(y, d3);
            c10.intoArray(y, d0 + ldy); c11.intoArray(y, d1 + ldy); c12.intoArray(y, d2 + ldy); c13.intoArray(y, d3 + ldy);
            c20.intoArray(y, d0 + 2 * ldy); c21.intoArray(y, d1 + 2 * ldy); c22.intoArray(y, d2 + 2 * ldy); c23.intoArray(y, d3 + 2 * ldy);
            c30.intoArray(y, d0 + 3 * ldy); c31.intoArray(y, d1 + 3 * ldy); c32.intoArray(y, d2 + 3 * ldy); c33.intoArray(y, d3 + 3 * ldy);
            c40.intoArray(y, d0 + 4 * ldy); c41.intoArray(y, d1 + 4 * ldy); c42.intoArray(y, d2 + 4 * ldy); c43.intoArray(y, d3 + 4 * ldy);
            c50.intoArray(y, d0 + 5 * ldy); c51.intoArray(y, d1 + 5 * ldy); c52.intoArray(y, d2 + 5 * ldy); c53.intoArray(y, d3 + 5 * ldy);
        } else {
            c00.intoArray(tile, 0 * L); c01.intoArray(tile, 1 * L); c02.intoArray(tile, 2 * L); c03.intoArray(tile, 3 * L);
            c10.intoArray(tile, 4 * L); c11.intoArray(tile, 5 * L); c12.intoArray(tile, 6 * L); c13.intoArray(tile, 7 * L);
            c20.intoArray(tile, 8 * L); c21.intoArray(tile, 9 * L); c22.intoArray(tile, 10 * L); c23.intoArray(tile, 11 * L);
            c30.intoArray(tile, 12 * L); c31.intoArray(tile, 13 * L); c32.intoArray(tile, 14 * L); c33.intoArray(tile, 15 * L);
            c40.intoArray(tile, 16 * L); c41.intoArray(tile, 17 * L); c42.intoArray(tile, 18 * L); c43.intoArray(tile, 19 * L);
            c50.intoArray(tile, 20 * L); c51.intoArray(tile, 21 * L); c52.intoArray(tile, 22 * L); c53.intoArray(tile, 23 * L);
        }
    }

    // Y (rows <= 8, 3 vectors) = sum over taps t of wp[wIdx + t*8 + r] * x[xBase + pos[k + v] + off[t]]: stored at
    // y[yBase + r*ldy + dst[k + v]] when rows == 8, otherwise all 8 rows into tile[(r*3 + v)*L ..] for the caller;
    // taps == 0 returns at once, before any vector exists (see VectorWarmUp)
    private static void conv8x3(int taps, float[] wp, int wIdx, int[] off, float[] x, int xBase,
                                int[] pos, int[] dst, int k, float[] y, int yBase, int ldy, int rows, float[] tile) {
        if (taps <= 0) {
            return;
        }
        int p0 = xBase + pos[k], p1 = xBase + pos[k + 1], p2 = xBase + pos[k + 2];
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S), c42 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S), c52 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S), c62 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S), c72 = FloatVector.zero(S);
        for (int t = 0; t < taps; t++) {
            int o = off[t];
            FloatVector x0 = FloatVector.fromArray(S, x, p0 + o);
            FloatVector x1 = FloatVector.fromArray(S, x, p1 + o);
            FloatVector x2 = FloatVector.fromArray(S, x, p2 + o);
            FloatVector wv;
            wv = FloatVector.broadcast(S, wp[wIdx]);
            c00 = wv.fma(x0, c00); c01 = wv.fma(x1, c01); c02 = wv.fma(x2, c02);
            wv = FloatVector.broadcast(S, wp[wIdx + 1]);
            c10 = wv.fma(x0, c10); c11 = wv.fma(x1, c11); c12 = wv.fma(x2, c12);
            wv = FloatVector.broadcast(S, wp[wIdx + 2]);
            c20 = wv.fma(x0, c20); c21 = wv.fma(x1, c21); c22 = wv.fma(x2, c22);
            wv = FloatVector.broadcast(S, wp[wIdx + 3]);
            c30 = wv.fma(x0, c30); c31 = wv.fma(x1, c31); c32 = wv.fma(x2, c32);
            wv = FloatVector.broadcast(S, wp[wIdx + 4]);
            c40 = wv.fma(x0, c40); c41 = wv.fma(x1, c41); c42 = wv.fma(x2, c42);
            wv = FloatVector.broadcast(S, wp[wIdx + 5]);
            c50 = wv.fma(x0, c50); c51 = wv.fma(x1, c51); c52 = wv.fma(x2, c52);
            wv = FloatVector.broadcast(S, wp[wIdx + 6]);
            c60 = wv.fma(x0, c60); c61 = wv.fma(x1, c61); c62 = wv.fma(x2, c62);
            wv = FloatVector.broadcast(S, wp[wIdx + 7]);
            c70 = wv.fma(x0, c70); c71 = wv.fma(x1, c71); c72 = wv.fma(x2, c72);
            wIdx += 8;
        }
        if (rows == 8) {
            int d0 = yBase + dst[k], d1 = yBase + dst[k + 1], d2 = yBase + dst[k + 2];
            c00.intoArray(y, d0); c01.intoArray(y, d1); c02.intoArray(y, d2);
            c10.intoArray(y, d0 + ldy); c11.intoArray(y, d1 + ldy); c12.intoArray(y, d2 + ldy);
            c20.intoArray(y, d0 + 2 * ldy); c21.intoArray(y, d1 + 2 * ldy); c22.intoArray(y, d2 + 2 * ldy);
            c30.intoArray(y, d0 + 3 * ldy); c31.intoArray(y, d1 + 3 * ldy); c32.intoArray(y, d2 + 3 * ldy);
            c40.intoArray(y, d0 + 4 * ldy); c41.intoArray(y, d1 + 4 * ldy); c42.intoArray(y, d2 + 4 * ldy);
            c50.intoArray(y, d0 + 5 * ldy); c51.intoArray(y, d1 + 5 * ldy); c52.intoArray(y, d2 + 5 * ldy);
            c60.intoArray(y, d0 + 6 * ldy); c61.intoArray(y, d1 + 6 * ldy); c62.intoArray(y, d2 + 6 * ldy);
            c70.intoArray(y, d0 + 7 * ldy); c71.intoArray(y, d1 + 7 * ldy); c72.intoArray(y, d2 + 7 * ldy);
        } else {
            c00.intoArray(tile, 0 * L); c01.intoArray(tile, 1 * L); c02.intoArray(tile, 2 * L);
            c10.intoArray(tile, 3 * L); c11.intoArray(tile, 4 * L); c12.intoArray(tile, 5 * L);
            c20.intoArray(tile, 6 * L); c21.intoArray(tile, 7 * L); c22.intoArray(tile, 8 * L);
            c30.intoArray(tile, 9 * L); c31.intoArray(tile, 10 * L); c32.intoArray(tile, 11 * L);
            c40.intoArray(tile, 12 * L); c41.intoArray(tile, 13 * L); c42.intoArray(tile, 14 * L);
            c50.intoArray(tile, 15 * L); c51.intoArray(tile, 16 * L); c52.intoArray(tile, 17 * L);
            c60.intoArray(tile, 18 * L); c61.intoArray(tile, 19 * L); c62.intoArray(tile, 20 * L);
            c70.intoArray(tile, 21 * L); c71.intoArray(tile, 22 * L); c72.intoArray(tile, 23 * L);
        }
    }

    // Y (rows <= 6, 2 vectors) = sum over taps t of wp[wIdx + t*6 + r] * x[xBase + pos[k + v] + off[t]]: stored at
    // y[yBase + r*ldy + dst[k + v]] when rows == 6, otherwise all 6 rows into tile[(r*2 + v)*L ..] for the caller;
    // taps == 0 returns at once, before any vector exists (see VectorWarmUp)
    private static void conv6x2(int taps, float[] wp, int wIdx, int[] off, float[] x, int xBase,
                                int[] pos, int[] dst, int k, float[] y, int yBase, int ldy, int rows, float[] tile) {
        if (taps <= 0) {
            return;
        }
        int p0 = xBase + pos[k], p1 = xBase + pos[k + 1];
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        for (int t = 0; t < taps; t++) {
            int o = off[t];
            FloatVector x0 = FloatVector.fromArray(S, x, p0 + o);
            FloatVector x1 = FloatVector.fromArray(S, x, p1 + o);
            FloatVector wv;
            wv = FloatVector.broadcast(S, wp[wIdx]);
            c00 = wv.fma(x0, c00); c01 = wv.fma(x1, c01);
            wv = FloatVector.broadcast(S, wp[wIdx + 1]);
            c10 = wv.fma(x0, c10); c11 = wv.fma(x1, c11);
            wv = FloatVector.broadcast(S, wp[wIdx + 2]);
            c20 = wv.fma(x0, c20); c21 = wv.fma(x1, c21);
            wv = FloatVector.broadcast(S, wp[wIdx + 3]);
            c30 = wv.fma(x0, c30); c31 = wv.fma(x1, c31);
            wv = FloatVector.broadcast(S, wp[wIdx + 4]);
            c40 = wv.fma(x0, c40); c41 = wv.fma(x1, c41);
            wv = FloatVector.broadcast(S, wp[wIdx + 5]);
            c50 = wv.fma(x0, c50); c51 = wv.fma(x1, c51);
            wIdx += 6;
        }
        if (rows == 6) {
            int d0 = yBase + dst[k], d1 = yBase + dst[k + 1];
            c00.intoArray(y, d0); c01.intoArray(y, d1);
            c10.intoArray(y, d0 + ldy); c11.intoArray(y, d1 + ldy);
            c20.intoArray(y, d0 + 2 * ldy); c21.intoArray(y, d1 + 2 * ldy);
            c30.intoArray(y, d0 + 3 * ldy); c31.intoArray(y, d1 + 3 * ldy);
            c40.intoArray(y, d0 + 4 * ldy); c41.intoArray(y, d1 + 4 * ldy);
            c50.intoArray(y, d0 + 5 * ldy); c51.intoArray(y, d1 + 5 * ldy);
        } else {
            c00.intoArray(tile, 0 * L); c01.intoArray(tile, 1 * L);
            c10.intoArray(tile, 2 * L); c11.intoArray(tile, 3 * L);
            c20.intoArray(tile, 4 * L); c21.intoArray(tile, 5 * L);
            c30.intoArray(tile, 6 * L); c31.intoArray(tile, 7 * L);
            c40.intoArray(tile, 8 * L); c41.intoArray(tile, 9 * L);
            c50.intoArray(tile, 10 * L); c51.intoArray(tile, 11 * L);
        }
    }

    // Y (rows <= 4, 3 vectors) = sum over taps t of wp[wIdx + t*4 + r] * x[xBase + pos[k + v] + off[t]]: stored at
    // y[yBase + r*ldy + dst[k + v]] when rows == 4, otherwise all 4 rows into tile[(r*3 + v)*L ..] for the caller;
    // taps == 0 returns at once, before any vector exists (see VectorWarmUp)
    private static void conv4x3(int taps, float[] wp, int wIdx, int[] off, float[] x, int xBase,
                                int[] pos, int[] dst, int k, float[] y, int yBase, int ldy, int rows, float[] tile) {
        if (taps <= 0) {
            return;
        }
        int p0 = xBase + pos[k], p1 = xBase + pos[k + 1], p2 = xBase + pos[k + 2];
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S);
        for (int t = 0; t < taps; t++) {
            int o = off[t];
            FloatVector x0 = FloatVector.fromArray(S, x, p0 + o);
            FloatVector x1 = FloatVector.fromArray(S, x, p1 + o);
            FloatVector x2 = FloatVector.fromArray(S, x, p2 + o);
            FloatVector wv;
            wv = FloatVector.broadcast(S, wp[wIdx]);
            c00 = wv.fma(x0, c00); c01 = wv.fma(x1, c01); c02 = wv.fma(x2, c02);
            wv = FloatVector.broadcast(S, wp[wIdx + 1]);
            c10 = wv.fma(x0, c10); c11 = wv.fma(x1, c11); c12 = wv.fma(x2, c12);
            wv = FloatVector.broadcast(S, wp[wIdx + 2]);
            c20 = wv.fma(x0, c20); c21 = wv.fma(x1, c21); c22 = wv.fma(x2, c22);
            wv = FloatVector.broadcast(S, wp[wIdx + 3]);
            c30 = wv.fma(x0, c30); c31 = wv.fma(x1, c31); c32 = wv.fma(x2, c32);
            wIdx += 4;
        }
        if (rows == 4) {
            int d0 = yBase + dst[k], d1 = yBase + dst[k + 1], d2 = yBase + dst[k + 2];
            c00.intoArray(y, d0); c01.intoArray(y, d1); c02.intoArray(y, d2);
            c10.intoArray(y, d0 + ldy); c11.intoArray(y, d1 + ldy); c12.intoArray(y, d2 + ldy);
            c20.intoArray(y, d0 + 2 * ldy); c21.intoArray(y, d1 + 2 * ldy); c22.intoArray(y, d2 + 2 * ldy);
            c30.intoArray(y, d0 + 3 * ldy); c31.intoArray(y, d1 + 3 * ldy); c32.intoArray(y, d2 + 3 * ldy);
        } else {
            c00.intoArray(tile, 0 * L); c01.intoArray(tile, 1 * L); c02.intoArray(tile, 2 * L);
            c10.intoArray(tile, 3 * L); c11.intoArray(tile, 4 * L); c12.intoArray(tile, 5 * L);
            c20.intoArray(tile, 6 * L); c21.intoArray(tile, 7 * L); c22.intoArray(tile, 8 * L);
            c30.intoArray(tile, 9 * L); c31.intoArray(tile, 10 * L); c32.intoArray(tile, 11 * L);
        }
    }
}
