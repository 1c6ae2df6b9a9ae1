package dev.lenet5.tensor.kernel;

import static dev.lenet5.tensor.kernel.VectorConstants.L;
import static dev.lenet5.tensor.kernel.VectorConstants.LANE_INDEX;
import static dev.lenet5.tensor.kernel.VectorConstants.S;
import static dev.lenet5.tensor.kernel.VectorConvForward.packWeights;
import static dev.lenet5.tensor.kernel.VectorConvForward.placeVectors;
import static dev.lenet5.tensor.kernel.VectorConvForward.tapOffsets;
import static dev.lenet5.tensor.kernel.VectorConvForward.wideLength;
import static dev.lenet5.tensor.kernel.VectorConvForward.widePositions;
import static dev.lenet5.tensor.kernel.VectorElementwise.sum;
import static dev.lenet5.tensor.kernel.VectorElementwise.zeroRun;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Direct convolution, backward: the geometries of {@link VectorConvForward}, a slice of images at a time
 * (sized for L2).
 *
 * <p>Gradient expansion: the output gradient (through the ReLU mask) is laid onto the input's row stride
 * with zero junk columns and KH zero rows above and below (plane stride PS = (H + KH) * W). Then
 * <pre>
 *   dw[o, t] += sum_n sum_q gy[n, o, q] * x[n, q + off[t]]        dot products along q ({@link VectorDotProducts}),
 *                                                                   accumulated over the slice in registers
 *   dx[n, c, q] = sum_{o, ky, kx} w[o, c, ky, kx] * gyPadded[n, o, q + (KH - ky)*W - kx]
 * </pre>
 * the second being the forward tiles again on the padded gradient, with the weights transposed and flipped:
 * a tap reaching past a row's edge lands on a junk column or a padding row, which hold zeros. Its tiles run along
 * one position list through all the slice's images, per block of input channels, so the list is padded to whole
 * tiles once per slice rather than once per image (see {@link VectorConvTile}).
 */
final class VectorConvBackward {

    private VectorConvBackward() {
    }

    /** {@link TensorKernels#convBackward} where {@link VectorConvForward#applies}, with this thread's workspace. */
    static void convBackward(ConvWorkspace ws, ConvGeometry g, boolean wideRegisterFile, int outChannels, int images,
                             float[] x, int xOff, float[] w, int wOff, float[] y, int yOff, float[] dy, int dyOff,
                             float[] dw, int dwOff, float[] db, int dbOff, float[] dx, int dxOff) {
        int width = g.width();
        int kh = g.kernelH();
        int inPlane = g.height() * width;
        // One expanded gradient plane: KH zero rows above and below only when dx reads them.
        int top = dx == null ? 0 : kh * width;
        int planeStride = dx == null ? g.outH() * width : (g.height() + kh) * width;
        int imageStride = outChannels * planeStride;
        int slice = Math.max(1, Math.min(images, KernelTuning.CONV_SLICE_FLOATS / imageStride));
        ws.expanded = ConvWorkspace.atLeast(ws.expanded, slice * imageStride + L);   // + L: see expandGradient
        ws.partial = ConvWorkspace.atLeast(ws.partial, VectorDotTile.MAX_ROWS * 4 * L);
        tapOffsets(ws, g);
        // The input gradient: rows are input channels, taps (o, ky, kx) read the padded gradient.
        VectorConvTile shape = VectorConvTile.forRows(g.channels(), wideRegisterFile);
        VectorDotTile dotTile = VectorDotTile.forRows(outChannels, wideRegisterFile);
        ws.tile = ConvWorkspace.atLeast(ws.tile, shape.rows * shape.vectors * L);
        int vectors = (inPlane + L - 1) / L;
        if (dx != null) {
            placeVectors(ws, slice * vectors);
            flippedTapOffsets(ws, g, outChannels, planeStride);
            // Blocks of input channels, taps (o, ky, kx): the flip lives in the tap offsets.
            packWeights(ws, w, wOff, outChannels, g.channels(), kh * g.kernelW(), shape.rows);
        }
        for (int n0 = 0; n0 < images; n0 += slice) {
            int count = Math.min(slice, images - n0);
            int outAt = n0 * outChannels * g.outPixels();
            expandGradient(ws, g, outChannels, count, y, y == null ? 0 : yOff + outAt, dy, dyOff + outAt, planeStride, top);
            convWeightGradient(ws, dotTile, g, outChannels, count, x, xOff + n0 * g.inputSize(), ws.taps, imageStride, planeStride,
                    top, wideLength(g), dw, dwOff);
            convBiasGradient(ws.expanded, count, outChannels, imageStride, planeStride, top, wideLength(g), db, dbOff,
                    ws.lanes);
            if (dx != null) {
                convInputGradient(ws, g, outChannels, count, shape, vectors, imageStride, dx, dxOff + n0 * g.inputSize());
            }
        }
    }

    // db[o] += sum of the slice's expanded gradient rows of channel o (zeros in the junk columns)
    private static void convBiasGradient(float[] e, int count, int outChannels, int imageStride, int planeStride, int top,
                                         int len, float[] db, int dbOff, float[] lanes) {
        for (int o = 0; o < outChannels; o++) {
            float s = 0f;
            for (int n = 0; n < count; n++) {
                s += sum(len, e, n * imageStride + o * planeStride + top, lanes);
            }
            db[dbOff + o] += s;
        }
    }

    // dx of the slice's images: the forward tiles on the padded gradient with the flipped weights. One position
    // list runs through all `count` images (`vectors` per image), so only the slice's last tile is completed by
    // repeated vectors, not each image's (LeNet's conv2 at 512 bits: 13 vectors per image, 16 with per-image
    // padding), and each block's packed weights stay in L1 across the slice's images.
    private static void convInputGradient(ConvWorkspace ws, ConvGeometry g, int outChannels, int count,
                                          VectorConvTile shape, int vectors, int imageStride, float[] dx,
                                          int dxSlice) {
        int mr = shape.rows;
        int inPlane = g.height() * g.width();
        int flippedTaps = outChannels * g.kernelH() * g.kernelW();
        int sliceVectors = count * vectors;
        widePositions(ws.positions, ws.destinations, vectors, inPlane, count, imageStride, g.inputSize());
        VectorConvTile.padPositions(ws.positions, ws.destinations, sliceVectors);
        for (int c0 = 0; c0 < g.channels(); c0 += mr) {
            shape.block(flippedTaps, ws.weights, c0 * flippedTaps, ws.flippedTaps, ws.expanded, 0,
                    ws.positions, ws.destinations, sliceVectors, dx, dxSlice + c0 * inPlane, inPlane,
                    Math.min(mr, g.channels() - c0), ws.tile);
        }
    }

    // flipped[t] for t = (o, ky, kx): where the input gradient's tap t reads the padded gradient,
    // o*planeStride + (KH - ky)*W - kx relative to the input position
    private static void flippedTapOffsets(ConvWorkspace ws, ConvGeometry g, int outChannels, int planeStride) {
        int kh = g.kernelH();
        ws.flippedTaps = ConvWorkspace.atLeast(ws.flippedTaps, outChannels * kh * g.kernelW());
        for (int o = 0, t = 0; o < outChannels; o++) {
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < g.kernelW(); kx++) {
                    ws.flippedTaps[t++] = o * planeStride + (kh - ky) * g.width() - kx;
                }
            }
        }
    }

    // gy of `count` images (Cout, OH, OW), masked by the ReLU output y when given → expanded[n, o] planes of
    // planeStride floats, row oy at top + oy*W holding gy[n, o, oy, 0 : OW] then zeros; zeros elsewhere
    static void expandGradient(ConvWorkspace ws, ConvGeometry g, int outChannels, int count,
                               float[] y, int yOff, float[] dy, int dyOff, int planeStride, int top) {
        if (count <= 0) {
            return;   // before any vector exists: the warm-up's cheap calls (see VectorWarmUp)
        }
        int width = g.width();
        int oh = g.outH();
        int ow = g.outW();
        int covered = (ow + L - 1) / L * L;   // what a row's whole vectors write, junk lanes as zeros
        float[] e = ws.expanded;
        FloatVector zero = FloatVector.zero(S);
        FloatVector lane = FloatVector.fromArray(S, LANE_INDEX, 0);
        // A row's last vector may reach past the row's W floats into the next row (written after it), the
        // padding below (zeros) or the slack after the slice (zeros): its lanes past OW hold zeros.
        for (int n = 0; n < count; n++) {
            for (int o = 0; o < outChannels; o++) {
                int plane = (n * outChannels + o) * planeStride;
                int src = (n * outChannels + o) * oh * ow;
                zeroRun(top, e, plane);
                for (int oy = 0; oy < oh; oy++) {
                    int d = plane + top + oy * width;
                    int s = dyOff + src + oy * ow;
                    int m = yOff + src + oy * ow;
                    // Whole vectors as far as dy and y hold them (all of them but near the arrays' ends), decided
                    // before the loop: a test inside it made C2 hoist it as a profiled predicate, which trapped
                    // when the first real batch reached an array's end differently from the warm-up.
                    int inDy = (dy.length - s) / L;
                    int vectorEnd = Math.min(covered, L * (y == null ? inDy : Math.min(inDy, (y.length - m) / L)));
                    for (int ox = 0; ox < vectorEnd; ox += L) {
                        VectorMask<Float> keep = lane.compare(VectorOperators.LT, ow - ox);
                        if (y == null) {
                            zero.blend(FloatVector.fromArray(S, dy, s + ox), keep).intoArray(e, d + ox);
                        } else {
                            keep = keep.and(FloatVector.fromArray(S, y, m + ox).compare(VectorOperators.GT, 0f));
                            zero.blend(FloatVector.fromArray(S, dy, s + ox), keep).intoArray(e, d + ox);
                        }
                    }
                    // The end of dy or y: element by element, zeros up to the row's end.
                    for (int i = vectorEnd, end = Math.min(covered, width); i < end; i++) {
                        e[d + i] = i < ow && (y == null || y[m + i] > 0f) ? dy[s + i] : 0f;
                    }
                    if (covered < width) {
                        zeroRun(width - covered, e, d + covered);
                    }
                }
                zeroRun(planeStride - top - oh * width, e, plane + top + oh * width);
            }
        }
        zeroRun(L, e, count * outChannels * planeStride);
    }

    // dw (Cout, taps) += sum over the slice's images of expanded gradient rows . shifted input rows
    private static void convWeightGradient(ConvWorkspace ws, VectorDotTile tile, ConvGeometry g, int outChannels,
                                           int count, float[] x, int xSlice,
                                           int[] off, int imageStride, int planeStride, int rowStart, int len,
                                           float[] dw, int dwOff) {
        int taps = g.patchSize();
        int ra = tile.rows;
        float[] e = ws.expanded;
        float[] sums = ws.sums;
        int[] aRow = ws.aRows;
        int[] bRow = ws.bRows;
        for (int o0 = 0; o0 < outChannels; o0 += ra) {
            int rows = Math.min(ra, outChannels - o0);
            // Rows past the edge repeat the last real one: valid memory, results dropped below.
            for (int r = 0; r < ra; r++) {
                aRow[r] = Math.min(o0 + r, outChannels - 1) * planeStride + rowStart;
            }
            for (int t0 = 0; t0 < taps; t0 += 4) {
                int cols = Math.min(4, taps - t0);
                for (int q = 0; q < 4; q++) {
                    bRow[q] = xSlice + off[Math.min(t0 + q, taps - 1)];
                }
                tile.run(count, len, e, imageStride, aRow, x, g.inputSize(), bRow, ws.partial);
                VectorDotTile.sumLanes(ws.partial, ra * 4, sums);
                for (int r = 0; r < rows; r++) {
                    int row = dwOff + (o0 + r) * taps + t0;
                    for (int q = 0; q < cols; q++) {
                        dw[row + q] += sums[r * 4 + q];
                    }
                }
            }
        }
    }
}
