package dev.lenet5.tensor.kernel;

import static dev.lenet5.tensor.kernel.VectorConstants.L;
import static dev.lenet5.tensor.kernel.VectorConstants.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Direct convolution, forward (stride 1, no padding), on the register tiles of {@link VectorConvTile}.
 *
 * <p>Each output plane is computed on the input's row stride W: output position q = oy*W + ox reads input
 * position q + off[t] for tap t = (c, ky, kx), off[t] = c*H*W + ky*W + kx, so every tap is one contiguous run
 * shared by all output channels, and nothing is copied into patch columns. A register tile holds MR output
 * channels by NV vectors of positions (24 accumulators on 32 registers, 12 on 16); per tap it loads NV input vectors and
 * broadcasts MR weights. Every vector is whole: with OW >= L, vectors run along each output row, the last one
 * shifted back to end at the row's end (recomputing a few outputs, identically); with OW < L, along the "wide"
 * plane (rows of W, the last W - OW columns of each junk) into a scratch plane whose valid columns are then
 * copied to y. The naive loop, for reference:
 * <pre>
 *   for n, o, oy, ox: y[n, o, oy, ox] = bias[o] + sum_{c, ky, kx} w[o, c, ky, kx] * x[n, c, oy + ky, ox + kx]
 * </pre>
 * The backward pass ({@link VectorConvBackward}) reuses the tiles and this class's tap and position helpers.
 * Other geometries (stride > 1, padding) and tiny planes are lowered to im2col and GEMM ({@link VectorLowering}).
 */
final class VectorConvForward {

    private VectorConvForward() {
    }

    /** Whether the direct kernels apply: stride 1, no padding, whole vectors fit. */
    static boolean applies(ConvGeometry g) {
        return g.strideH() == 1 && g.strideW() == 1
                && g.padH() == 0 && g.padW() == 0 && wideLength(g) >= L && g.height() * g.width() >= L;
    }

    /** Positions of an output plane laid on the input's row stride, up to and including the last valid one. */
    static int wideLength(ConvGeometry g) {
        return (g.outH() - 1) * g.width() + g.outW();
    }

    /** {@link TensorKernels#convForward} where {@link #applies}, with ws this thread's workspace. */
    static void convForward(ConvWorkspace ws, ConvGeometry g, VectorConvTile shape, int outChannels, int images,
                            float[] w, int wOff, float[] bias, int biasOff, boolean relu,
                            float[] x, int xOff, float[] y, int yOff) {
        int width = g.width();
        int oh = g.outH();
        int ow = g.outW();
        int taps = g.patchSize();
        int wide = wideLength(g);
        tapOffsets(ws, g);
        boolean rowwise = ow >= L;
        int vectors = rowwise ? oh * ((ow + L - 1) / L) : (wide + L - 1) / L;
        placeVectors(ws, vectors);
        if (rowwise) {
            rowPositions(ws.positions, ws.destinations, oh, ow, width);
        } else {
            widePositions(ws.positions, ws.destinations, vectors, wide, 1, 0, 0);
            ws.wide = ConvWorkspace.atLeast(ws.wide, outChannels * wide);
        }
        VectorConvTile.padPositions(ws.positions, ws.destinations, vectors);
        packWeights(ws, w, wOff, 1, outChannels, taps, shape.rows);
        ws.tile = ConvWorkspace.atLeast(ws.tile, shape.rows * shape.vectors * L);
        // Loops in small methods from here on: a long loop running before the JIT has compiled its method
        // gets an extra on-stack-replacement compilation of that method, several times the cost of a
        // normal one for vector code, and C2's time is what a run waits for at its start.
        for (int n = 0; n < images; n++) {
            convForwardImage(ws, g, outChannels, shape, vectors, rowwise, bias, biasOff, relu,
                    x, xOff + n * g.inputSize(), y, yOff + n * outChannels * oh * ow);
        }
    }

    // y_n = conv(x_n) + bias (+ ReLU) for one image, the positions and weights prepared in ws
    private static void convForwardImage(ConvWorkspace ws, ConvGeometry g, int outChannels, VectorConvTile shape,
                                         int vectors, boolean rowwise, float[] bias, int biasOff, boolean relu,
                                         float[] x, int xImage, float[] y, int yImage) {
        int taps = g.patchSize();
        int outPlane = g.outPixels();
        int wide = wideLength(g);
        int mr = shape.rows;
        float[] dest = rowwise ? y : ws.wide;
        int destImage = rowwise ? yImage : 0;
        int ld = rowwise ? outPlane : wide;
        for (int o0 = 0; o0 < outChannels; o0 += mr) {
            shape.block(taps, ws.weights, o0 * taps, ws.taps, x, xImage, ws.positions, ws.destinations, vectors,
                    dest, destImage + o0 * ld, ld, Math.min(mr, outChannels - o0), ws.tile);
        }
        if (!rowwise) {
            compactWide(ws.wide, wide, g, outChannels, y, yImage);
        }
        for (int o = 0; o < outChannels; o++) {
            addBiasRelu(outPlane, bias[biasOff + o], relu, y, yImage + o * outPlane);
        }
    }

    // The wide planes' valid columns into y: rows shorter than a vector, so plain copies.
    private static void compactWide(float[] wideOut, int wide, ConvGeometry g, int outChannels, float[] y, int yImage) {
        int oh = g.outH();
        int ow = g.outW();
        for (int o = 0; o < outChannels; o++) {
            for (int oy = 0; oy < oh; oy++) {
                System.arraycopy(wideOut, o * wide + oy * g.width(), y, yImage + (o * oh + oy) * ow, ow);
            }
        }
    }

    // off[t] for t = (c, ky, kx): where tap t reads relative to the output position, c*H*W + ky*W + kx
    static void tapOffsets(ConvWorkspace ws, ConvGeometry g) {
        ws.taps = ConvWorkspace.atLeast(ws.taps, g.patchSize());
        int[] off = ws.taps;
        for (int c = 0, t = 0; c < g.channels(); c++) {
            for (int ky = 0; ky < g.kernelH(); ky++) {
                for (int kx = 0; kx < g.kernelW(); kx++) {
                    off[t++] = (c * g.height() + ky) * g.width() + kx;
                }
            }
        }
    }

    // vectors along each output row, the last one shifted back to end at the row's end
    private static void rowPositions(int[] pos, int[] dst, int oh, int ow, int width) {
        int k = 0;
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox += L) {
                int at = Math.min(ox, ow - L);
                pos[k] = oy * width + at;
                dst[k++] = oy * ow + at;
            }
        }
    }

    // vectors along a plane of `length` positions, the last one shifted back to end with it, for `images` planes
    // whose reads lie posStride apart and whose stores dstStride apart: entry n*vectors + v is plane n's vector v
    static void widePositions(int[] pos, int[] dst, int vectors, int length, int images, int posStride, int dstStride) {
        for (int n = 0, k = 0; n < images; n++) {
            for (int v = 0; v < vectors; v++, k++) {
                int at = Math.min(v * L, length - L);
                pos[k] = n * posStride + at;
                dst[k] = n * dstStride + at;
            }
        }
    }

    // y[yi : yi+n] += b, then max(y, 0) (NaN passing) when relu: one loop per case, no vector merged at a join
    static void addBiasRelu(int n, float b, boolean relu, float[] y, int yi) {
        int bound = S.loopBound(n);
        int i = 0;
        if (relu) {
            for (; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, y, yi + i).add(b);
                v.blend(FloatVector.zero(S), v.compare(VectorOperators.LE, 0f)).intoArray(y, yi + i);
            }
            for (; i < n; i++) {
                float v = y[yi + i] + b;
                y[yi + i] = v > 0f || v != v ? v : 0f;
            }
        } else {
            for (; i < bound; i += L) {
                FloatVector.fromArray(S, y, yi + i).add(b).intoArray(y, yi + i);
            }
            for (; i < n; i++) {
                y[yi + i] += b;
            }
        }
    }

    /** Sizes the position lists for this many vectors and the tiles' repeated last entries. */
    static void placeVectors(ConvWorkspace ws, int vectors) {
        ws.positions = ConvWorkspace.atLeast(ws.positions, vectors + VectorConvTile.MAX_VECTORS - 1);
        ws.destinations = ConvWorkspace.atLeast(ws.destinations, vectors + VectorConvTile.MAX_VECTORS - 1);
    }

    // w: (outer, rows, inner) → weights: per block of mr rows, (outer*inner, mr) row-major, entry [(o, k), r] =
    // w[o, r0 + r, k]; rows past the end are zeros. Forward packs w (Cout, taps) as outer = 1, the input gradient
    // w (Cout, C, KH*KW) by input channel.
    static void packWeights(ConvWorkspace ws, float[] w, int wOff, int outer, int rows, int inner, int mr) {
        int blocks = (rows + mr - 1) / mr;
        int taps = outer * inner;
        ws.weights = ConvWorkspace.atLeast(ws.weights, blocks * mr * taps);
        float[] wp = ws.weights;
        for (int r0 = 0; r0 < blocks * mr; r0 += mr) {
            int base = r0 * taps;
            for (int o = 0; o < outer; o++) {
                for (int k = 0; k < inner; k++) {
                    int t = o * inner + k;
                    for (int r = 0; r < mr; r++) {
                        int row = r0 + r;
                        wp[base + t * mr + r] = row < rows ? w[wOff + (o * rows + row) * inner + k] : 0f;
                    }
                }
            }
        }
    }
}
