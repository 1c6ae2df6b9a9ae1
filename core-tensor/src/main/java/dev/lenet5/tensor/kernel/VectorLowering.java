package dev.lenet5.tensor.kernel;

import static dev.lenet5.tensor.kernel.VectorElementwise.addRowBias;
import static dev.lenet5.tensor.kernel.VectorElementwise.addRun;
import static dev.lenet5.tensor.kernel.VectorElementwise.copyRun;
import static dev.lenet5.tensor.kernel.VectorElementwise.reluBackward;
import static dev.lenet5.tensor.kernel.VectorElementwise.reluForward;
import static dev.lenet5.tensor.kernel.VectorElementwise.sumRows;

import java.util.Arrays;

/**
 * Convolution lowered to matrices: im2col and col2im, with each image row's run of output columns that reads
 * inside the image found once and copied as a vector run (the padding around it filled with zeros), and the
 * convolutions the direct kernels do not take (stride > 1, padding, tiny planes) as per-image im2col and GEMM, the reference formulation {@code cols = im2col(x), y = W * cols + b}.
 */
final class VectorLowering {

    private VectorLowering() {
    }

    static void im2col(ConvGeometry g, float[] x, int xOff, float[] cols, int colsOff, int ldCols) {
        // x: (C, H, W) → cols: (C*KH*KW, OH*OW); cols[(c, ky, kx), (oy, ox)] = x[c, oy*sh - ph + ky, ox*sw - pw + kx]
        lower(true, g, x, xOff, cols, colsOff, ldCols);
    }

    static void col2im(ConvGeometry g, float[] cols, int colsOff, int ldCols, float[] x, int xOff) {
        // cols: (C*KH*KW, OH*OW) → x: (C, H, W), x[c, oy*sh - ph + ky, ox*sw - pw + kx] += cols[(c, ky, kx), (oy, ox)]
        lower(false, g, x, xOff, cols, colsOff, ldCols);
    }

    /**
     * Both directions in one walk, since they pair the same runs of an image row and a column row: with
     * {@code gather}, im2col (the image copied into the columns, zeros where a column reads padding); without,
     * its adjoint col2im (the columns added back onto the image, padding entries dropped).
     */
    private static void lower(boolean gather, ConvGeometry g, float[] x, int xOff, float[] cols, int colsOff, int ldCols) {
        int h = g.height();
        int w = g.width();
        int oh = g.outH();
        int ow = g.outW();
        int sw = g.strideW();
        for (int ch = 0; ch < g.channels(); ch++) {
            int plane = xOff + ch * h * w;
            for (int ky = 0; ky < g.kernelH(); ky++) {
                for (int kx = 0; kx < g.kernelW(); kx++) {
                    int row = colsOff + ((ch * g.kernelH() + ky) * g.kernelW() + kx) * ldCols;
                    // The output columns reading inside the image form one run [lo, hi); the rest is padding.
                    int lo = firstInside(g.padW() - kx, sw, ow);
                    int hi = Math.max(lo, endInside(w - 1 + g.padW() - kx, sw, ow));
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * g.strideH() - g.padH() + ky;
                        boolean inside = iy >= 0 && iy < h;
                        int c = row + oy * ow;
                        int px = plane + iy * w + lo * sw - g.padW() + kx;   // where column lo reads, when inside
                        if (gather) {
                            gatherRow(inside, lo, hi, ow, sw, x, px, cols, c);
                        } else if (inside) {
                            scatterRow(lo, hi, sw, cols, c, x, px);
                        }
                    }
                }
            }
        }
    }

    // cols[c + ox] = x[px + (ox - lo)*sw] for ox in [lo, hi), 0 for the other ox < ow (all of them outside the image)
    private static void gatherRow(boolean inside, int lo, int hi, int ow, int sw, float[] x, int px, float[] cols, int c) {
        if (!inside) {
            Arrays.fill(cols, c, c + ow, 0f);
            return;
        }
        Arrays.fill(cols, c, c + lo, 0f);
        if (sw == 1) {
            copyRun(hi - lo, x, px, cols, c + lo);
        } else {
            for (int ox = lo; ox < hi; ox++) {
                cols[c + ox] = x[px + (ox - lo) * sw];
            }
        }
        Arrays.fill(cols, c + hi, c + ow, 0f);
    }

    // x[px + (ox - lo)*sw] += cols[c + ox] for ox in [lo, hi)
    private static void scatterRow(int lo, int hi, int sw, float[] cols, int c, float[] x, int px) {
        if (sw == 1) {
            addRun(hi - lo, cols, c + lo, x, px);
        } else {
            for (int ox = lo; ox < hi; ox++) {
                x[px + (ox - lo) * sw] += cols[c + ox];
            }
        }
    }

    /** Smallest output index o in [0, limit] with {@code o * stride >= before}: the first one inside. */
    private static int firstInside(int before, int stride, int limit) {
        return before <= 0 ? 0 : Math.min(limit, (before + stride - 1) / stride);
    }

    /** One past the largest output index o < limit with {@code o * stride <= last}, or 0 when none is. */
    private static int endInside(int last, int stride, int limit) {
        return last < 0 ? 0 : Math.min(limit, last / stride + 1);
    }

    // Per image, cols = im2col(x_n) and y_n = W * cols + b (then the ReLU)
    static void convForward(VectorGemm gemm, ConvWorkspace ws, ConvGeometry g, int outChannels, int images,
                            float[] w, int wOff, float[] bias, int biasOff, boolean relu,
                            float[] x, int xOff, float[] y, int yOff) {
        int patch = g.patchSize();
        int pixels = g.outPixels();
        ws.cols = ConvWorkspace.atLeast(ws.cols, patch * pixels);
        for (int n = 0; n < images; n++) {
            int yImage = yOff + n * outChannels * pixels;
            im2col(g, x, xOff + n * g.inputSize(), ws.cols, 0, pixels);
            gemm.sgemm(false, false, outChannels, pixels, patch, 1f, w, wOff, patch, ws.cols, 0, pixels, 0f,
                    y, yImage, pixels);
            addRowBias(outChannels, pixels, bias, biasOff, y, yImage, pixels);
            if (relu) {
                reluForward(outChannels * pixels, y, yImage, y, yImage);
            }
        }
    }

    // Backward, per image: dW += gy * cols^T, db += row sums of gy, dx = col2im(W^T * gy)
    static void convBackward(VectorGemm gemm, ConvWorkspace ws, ConvGeometry g, int outChannels, int images,
                             float[] x, int xOff, float[] w, int wOff, float[] y, int yOff, float[] dy, int dyOff,
                             float[] dw, int dwOff, float[] db, int dbOff, float[] dx, int dxOff) {
        int patch = g.patchSize();
        int pixels = g.outPixels();
        int outSize = outChannels * pixels;
        ws.cols = ConvWorkspace.atLeast(ws.cols, patch * pixels);
        for (int n = 0; n < images; n++) {
            float[] gy = dy;
            int gyOff = dyOff + n * outSize;
            if (y != null) {
                ws.masked = ConvWorkspace.atLeast(ws.masked, outSize);
                reluBackward(outSize, y, yOff + n * outSize, dy, gyOff, ws.masked, 0);
                gy = ws.masked;
                gyOff = 0;
            }
            im2col(g, x, xOff + n * g.inputSize(), ws.cols, 0, pixels);
            gemm.sgemm(false, true, outChannels, patch, pixels, 1f, gy, gyOff, pixels, ws.cols, 0, pixels, 1f,
                    dw, dwOff, patch);
            sumRows(outChannels, pixels, gy, gyOff, pixels, db, dbOff, ws.lanes);
            if (dx != null) {
                int dxImage = dxOff + n * g.inputSize();
                gemm.sgemm(true, false, patch, pixels, outChannels, 1f, w, wOff, patch, gy, gyOff, pixels, 0f,
                        ws.cols, 0, pixels);
                Arrays.fill(dx, dxImage, dxImage + g.inputSize(), 0f);
                col2im(g, ws.cols, 0, pixels, dx, dxImage);
            }
        }
    }
}
