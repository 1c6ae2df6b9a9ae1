package dev.lenet5.tensor.kernel;

import static dev.lenet5.tensor.kernel.VectorConstants.L;
import static dev.lenet5.tensor.kernel.VectorConstants.S;
import static dev.lenet5.tensor.kernel.VectorElementwise.copyRun;

import jdk.incubator.vector.FloatVector;

/**
 * The direct convolution's register tiles: MR output rows (output channels, or input channels for the input
 * gradient) by NV vectors of output positions, MR x NV accumulators in registers. Per tap a tile loads NV input
 * vectors, shares each among its MR rows, and broadcasts MR weights (packed tap-major, MR per tap). The
 * vectors left over after the last whole group of NV go one at a time through the shape's one-vector tile.
 *
 * <p>Both shapes hold 24 accumulators, which with their loads and the broadcast fit a 32-register file
 * (AVX-512); on 16 registers they would spill, so there the convolutions are lowered ({@link #fits}). A shape
 * for 16 registers is a new constant with its two kernels, and a rule in {@link #fits} and {@link #forRows}.
 */
enum VectorConvTile {

    /** 6 rows by 4 vectors. */
    SIX_BY_FOUR(6, 4) {
        @Override
        void full(int taps, float[] wp, int wIdx, int[] off, float[] x, int xBase,
                  int[] pos, int[] dst, int k, float[] y, int yBase, int ldy, int rows, float[] tile) {
            conv6x4(taps, wp, wIdx, off, x, xBase, pos, dst, k, y, yBase, ldy, rows, tile);
        }

        @Override
        void oneVector(int taps, float[] wp, int wIdx, int[] off, float[] x, int xBase,
                       int[] pos, int[] dst, int k, float[] y, int yBase, int ldy, int rows, float[] tile) {
            conv6x1(taps, wp, wIdx, off, x, xBase, pos, dst, k, y, yBase, ldy, rows, tile);
        }
    },

    /** 8 rows by 3 vectors. */
    EIGHT_BY_THREE(8, 3) {
        @Override
        void full(int taps, float[] wp, int wIdx, int[] off, float[] x, int xBase,
                  int[] pos, int[] dst, int k, float[] y, int yBase, int ldy, int rows, float[] tile) {
            conv8x3(taps, wp, wIdx, off, x, xBase, pos, dst, k, y, yBase, ldy, rows, tile);
        }

        @Override
        void oneVector(int taps, float[] wp, int wIdx, int[] off, float[] x, int xBase,
                       int[] pos, int[] dst, int k, float[] y, int yBase, int ldy, int rows, float[] tile) {
            conv8x1(taps, wp, wIdx, off, x, xBase, pos, dst, k, y, yBase, ldy, rows, tile);
        }
    };

    /** Rows (MR) and vectors (NV) of a tile. */
    final int rows;
    final int vectors;

    VectorConvTile(int rows, int vectors) {
        this.rows = rows;
        this.vectors = vectors;
    }

    /** Whether a register file of this size has tiles: 32 registers ({@code wideRegisterFile}) only, so far. */
    static boolean fits(boolean wideRegisterFile) {
        return wideRegisterFile;
    }

    /**
     * The tile for blocks of {@code rows} rows on a 32-register file: 6 x 4 where its blocks pad fewer zero rows
     * than 8 x 3 ones (6, 12 rows: 6 x 4; 16 rows: 8 x 3), wasting fewer multiply-adds.
     */
    static VectorConvTile forRows(int rows) {
        return (rows + 5) / 6 * 6 < (rows + 7) / 8 * 8 ? SIX_BY_FOUR : EIGHT_BY_THREE;
    }

    /** Runs every tile with full and partial rows once (see {@link VectorKernels#seedBranchProfiles}). */
    static void seedBranchProfiles() {
        int[] zeros = new int[4];
        float[] wp = new float[8];
        float[] x = new float[3 * L];
        float[] y = new float[8 * 4 * L];
        for (VectorConvTile shape : values()) {
            for (int rows : new int[]{1, shape.rows}) {
                shape.full(1, wp, 0, zeros, x, 0, zeros, zeros, 0, y, 0, L, rows, y);
                shape.oneVector(1, wp, 0, zeros, x, 0, zeros, zeros, 0, y, 0, L, rows, y);
            }
        }
    }

    /**
     * Y (rows <= MR, NV vectors) = sum over taps t of wp[wIdx + t*MR + r] * x[xBase + pos[k + v] + off[t]]: stored
     * at y[yBase + r*ldy + dst[k + v]] when rows == MR, otherwise all MR rows into tile[(r*NV + v)*L ..], for the
     * caller to copy the valid ones.
     */
    abstract void full(int taps, float[] wp, int wIdx, int[] off, float[] x, int xBase,
                       int[] pos, int[] dst, int k, float[] y, int yBase, int ldy, int rows, float[] tile);

    /** As {@link #full} for one vector of positions, {@code pos[k]}. */
    abstract void oneVector(int taps, float[] wp, int wIdx, int[] off, float[] x, int xBase,
                            int[] pos, int[] dst, int k, float[] y, int yBase, int ldy, int rows, float[] tile);

    /**
     * All tiles of one block of rows: groups of NV position vectors through the full tile, then any vectors left
     * over one at a time through the one-vector tile. A partial block (rows < MR) is computed into the tile,
     * whose valid rows are then copied.
     */
    void block(int taps, float[] wp, int wIdx, int[] off, float[] x, int xBase,
               int[] pos, int[] dst, int vectors, float[] y, int yBase, int ldy, int rows, float[] tile) {
        int mr = this.rows;
        int nv = this.vectors;
        int k = 0;
        for (; k + nv <= vectors; k += nv) {
            full(taps, wp, wIdx, off, x, xBase, pos, dst, k, y, yBase, ldy, rows, tile);
            if (rows < mr) {
                copyTileRows(rows, nv, tile, dst, k, y, yBase, ldy);
            }
        }
        for (; k < vectors; k++) {
            oneVector(taps, wp, wIdx, off, x, xBase, pos, dst, k, y, yBase, ldy, rows, tile);
            if (rows < mr) {
                copyTileRows(rows, 1, tile, dst, k, y, yBase, ldy);
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
    // y[yBase + r*ldy + dst[k + v]] when rows == 6, otherwise all 6 rows into tile[(r*4 + v)*L ..] for the caller
    private static void conv6x4(int taps, float[] wp, int wIdx, int[] off, float[] x, int xBase,
                                int[] pos, int[] dst, int k, float[] y, int yBase, int ldy, int rows, float[] tile) {
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
    // y[yBase + r*ldy + dst[k + v]] when rows == 8, otherwise all 8 rows into tile[(r*3 + v)*L ..] for the caller
    private static void conv8x3(int taps, float[] wp, int wIdx, int[] off, float[] x, int xBase,
                                int[] pos, int[] dst, int k, float[] y, int yBase, int ldy, int rows, float[] tile) {
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

    // Y (rows <= 6, 1 vectors) = sum over taps t of wp[wIdx + t*6 + r] * x[xBase + pos[k + v] + off[t]]: stored at
    // y[yBase + r*ldy + dst[k + v]] when rows == 6, otherwise all 6 rows into tile[(r*1 + v)*L ..] for the caller
    private static void conv6x1(int taps, float[] wp, int wIdx, int[] off, float[] x, int xBase,
                                int[] pos, int[] dst, int k, float[] y, int yBase, int ldy, int rows, float[] tile) {
        int p0 = xBase + pos[k];
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        for (int t = 0; t < taps; t++) {
            int o = off[t];
            FloatVector x0 = FloatVector.fromArray(S, x, p0 + o);
            FloatVector wv;
            wv = FloatVector.broadcast(S, wp[wIdx]);
            c00 = wv.fma(x0, c00);
            wv = FloatVector.broadcast(S, wp[wIdx + 1]);
            c10 = wv.fma(x0, c10);
            wv = FloatVector.broadcast(S, wp[wIdx + 2]);
            c20 = wv.fma(x0, c20);
            wv = FloatVector.broadcast(S, wp[wIdx + 3]);
            c30 = wv.fma(x0, c30);
            wv = FloatVector.broadcast(S, wp[wIdx + 4]);
            c40 = wv.fma(x0, c40);
            wv = FloatVector.broadcast(S, wp[wIdx + 5]);
            c50 = wv.fma(x0, c50);
            wIdx += 6;
        }
        if (rows == 6) {
            int d0 = yBase + dst[k];
            c00.intoArray(y, d0);
            c10.intoArray(y, d0 + ldy);
            c20.intoArray(y, d0 + 2 * ldy);
            c30.intoArray(y, d0 + 3 * ldy);
            c40.intoArray(y, d0 + 4 * ldy);
            c50.intoArray(y, d0 + 5 * ldy);
        } else {
            c00.intoArray(tile, 0 * L);
            c10.intoArray(tile, 1 * L);
            c20.intoArray(tile, 2 * L);
            c30.intoArray(tile, 3 * L);
            c40.intoArray(tile, 4 * L);
            c50.intoArray(tile, 5 * L);
        }
    }

    // Y (rows <= 8, 1 vectors) = sum over taps t of wp[wIdx + t*8 + r] * x[xBase + pos[k + v] + off[t]]: stored at
    // y[yBase + r*ldy + dst[k + v]] when rows == 8, otherwise all 8 rows into tile[(r*1 + v)*L ..] for the caller
    private static void conv8x1(int taps, float[] wp, int wIdx, int[] off, float[] x, int xBase,
                                int[] pos, int[] dst, int k, float[] y, int yBase, int ldy, int rows, float[] tile) {
        int p0 = xBase + pos[k];
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S);
        for (int t = 0; t < taps; t++) {
            int o = off[t];
            FloatVector x0 = FloatVector.fromArray(S, x, p0 + o);
            FloatVector wv;
            wv = FloatVector.broadcast(S, wp[wIdx]);
            c00 = wv.fma(x0, c00);
            wv = FloatVector.broadcast(S, wp[wIdx + 1]);
            c10 = wv.fma(x0, c10);
            wv = FloatVector.broadcast(S, wp[wIdx + 2]);
            c20 = wv.fma(x0, c20);
            wv = FloatVector.broadcast(S, wp[wIdx + 3]);
            c30 = wv.fma(x0, c30);
            wv = FloatVector.broadcast(S, wp[wIdx + 4]);
            c40 = wv.fma(x0, c40);
            wv = FloatVector.broadcast(S, wp[wIdx + 5]);
            c50 = wv.fma(x0, c50);
            wv = FloatVector.broadcast(S, wp[wIdx + 6]);
            c60 = wv.fma(x0, c60);
            wv = FloatVector.broadcast(S, wp[wIdx + 7]);
            c70 = wv.fma(x0, c70);
            wIdx += 8;
        }
        if (rows == 8) {
            int d0 = yBase + dst[k];
            c00.intoArray(y, d0);
            c10.intoArray(y, d0 + ldy);
            c20.intoArray(y, d0 + 2 * ldy);
            c30.intoArray(y, d0 + 3 * ldy);
            c40.intoArray(y, d0 + 4 * ldy);
            c50.intoArray(y, d0 + 5 * ldy);
            c60.intoArray(y, d0 + 6 * ldy);
            c70.intoArray(y, d0 + 7 * ldy);
        } else {
            c00.intoArray(tile, 0 * L);
            c10.intoArray(tile, 1 * L);
            c20.intoArray(tile, 2 * L);
            c30.intoArray(tile, 3 * L);
            c40.intoArray(tile, 4 * L);
            c50.intoArray(tile, 5 * L);
            c60.intoArray(tile, 6 * L);
            c70.intoArray(tile, 7 * L);
        }
    }
}
