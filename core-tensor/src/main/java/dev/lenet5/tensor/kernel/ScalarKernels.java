package dev.lenet5.tensor.kernel;

/**
 * The reference kernels: plain loops a reader can check by eye against the definitions in
 * {@link TensorKernels}. Everything else is tested against these, so clarity beats speed here; the only
 * concession to speed is loop order (the innermost loop walks memory contiguously), which keeps the
 * scalar fallback usable for training.
 */
public final class ScalarKernels implements TensorKernels {

    public static final ScalarKernels INSTANCE = new ScalarKernels();

    /**
     * The bits of what the pooling records for index 0 (see {@link TensorKernels#argmaxOf}). A field, not a constant:
     * C2 moves a constant out of the plane's base into every gradient's address, one more add per element in the
     * backward scatter; a field's value it leaves in the base.
     */
    private final int argmaxZeroBits = Float.floatToRawIntBits(TensorKernels.argmaxOf(0));

    private ScalarKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int vectorBitSize() {
        return 0;
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float alpha, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        // C = beta * C first, so the products below only accumulate; beta == 0 overwrites (BLAS rule).
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                c[row + j] = beta == 0f ? 0f : beta * c[row + j];
            }
        }
        if (k == 0 || alpha == 0f) {
            return;
        }
        // i-p-j order: for each (i, p) the scaled a(i,p) is added to row i of C along row p of op(B),
        // so with B untransposed the inner loop is contiguous in both B and C.
        for (int i = 0; i < m; i++) {
            int cRow = cOff + i * ldc;
            for (int p = 0; p < k; p++) {
                float aip = alpha * (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]);
                if (transB) {
                    for (int j = 0; j < n; j++) {
                        c[cRow + j] += aip * b[bOff + j * ldb + p];
                    }
                } else {
                    int bRow = bOff + p * ldb;
                    for (int j = 0; j < n; j++) {
                        c[cRow + j] += aip * b[bRow + j];
                    }
                }
            }
        }
    }

    @Override
    public void im2col(ConvGeometry g, float[] x, int xOff, float[] cols, int colsOff, int ldCols) {
        int oh = g.outH();
        int ow = g.outW();
        for (int c = 0; c < g.channels(); c++) {
            for (int ky = 0; ky < g.kernelH(); ky++) {
                for (int kx = 0; kx < g.kernelW(); kx++) {
                    int row = (c * g.kernelH() + ky) * g.kernelW() + kx;
                    int dst = colsOff + row * ldCols;
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * g.strideH() - g.padH() + ky;
                        for (int ox = 0; ox < ow; ox++) {
                            int ix = ox * g.strideW() - g.padW() + kx;
                            boolean inside = iy >= 0 && iy < g.height() && ix >= 0 && ix < g.width();
                            cols[dst + oy * ow + ox] = inside ? x[xOff + (c * g.height() + iy) * g.width() + ix] : 0f;
                        }
                    }
                }
            }
        }
    }

    @Override
    public void col2im(ConvGeometry g, float[] cols, int colsOff, int ldCols, float[] x, int xOff) {
        int oh = g.outH();
        int ow = g.outW();
        for (int c = 0; c < g.channels(); c++) {
            for (int ky = 0; ky < g.kernelH(); ky++) {
                for (int kx = 0; kx < g.kernelW(); kx++) {
                    int row = (c * g.kernelH() + ky) * g.kernelW() + kx;
                    int src = colsOff + row * ldCols;
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * g.strideH() - g.padH() + ky;
                        if (iy < 0 || iy >= g.height()) {
                            continue;
                        }
                        for (int ox = 0; ox < ow; ox++) {
                            int ix = ox * g.strideW() - g.padW() + kx;
                            if (ix >= 0 && ix < g.width()) {
                                x[xOff + (c * g.height() + iy) * g.width() + ix] += cols[src + oy * ow + ox];
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    public void convForward(ConvGeometry g, int outChannels, int images,
                            float[] w, int wOff, float[] bias, int biasOff, boolean relu,
                            float[] x, int xOff, float[] y, int yOff) {
        int oh = g.outH();
        int ow = g.outW();
        int patch = g.patchSize();
        for (int n = 0; n < images; n++) {
            int xImage = xOff + n * g.inputSize();
            for (int o = 0; o < outChannels; o++) {
                int plane = yOff + (n * outChannels + o) * oh * ow;
                // Every output starts at its bias and gets the taps added in (c, ky, kx) order: the order of
                // the definition's sum, with the loops turned so the innermost one walks a row.
                for (int i = 0; i < oh * ow; i++) {
                    y[plane + i] = bias[biasOff + o];
                }
                for (int c = 0; c < g.channels(); c++) {
                    for (int ky = 0; ky < g.kernelH(); ky++) {
                        for (int kx = 0; kx < g.kernelW(); kx++) {
                            float wv = w[wOff + o * patch + (c * g.kernelH() + ky) * g.kernelW() + kx];
                            int lo = firstColumnInside(g, kx);
                            int hi = endColumnInside(g, kx);
                            for (int oy = 0; oy < oh; oy++) {
                                int iy = oy * g.strideH() - g.padH() + ky;
                                if (iy < 0 || iy >= g.height()) {
                                    continue;   // this tap reads the padding for the whole row
                                }
                                int row = xImage + (c * g.height() + iy) * g.width() - g.padW() + kx;
                                for (int ox = lo; ox < hi; ox++) {
                                    y[plane + oy * ow + ox] += wv * x[row + ox * g.strideW()];
                                }
                            }
                        }
                    }
                }
                if (relu) {
                    reluForward(oh * ow, y, plane, y, plane);
                }
            }
        }
    }

    @Override
    public void convBackward(ConvGeometry g, int outChannels, int images,
                             float[] x, int xOff, float[] w, int wOff, float[] y, int yOff, float[] dy, int dyOff,
                             float[] dw, int dwOff, float[] db, int dbOff, float[] dx, int dxOff) {
        int oh = g.outH();
        int ow = g.outW();
        int patch = g.patchSize();
        if (dx != null) {
            for (int i = 0; i < images * g.inputSize(); i++) {
                dx[dxOff + i] = 0f;
            }
        }
        for (int n = 0; n < images; n++) {
            int xImage = xOff + n * g.inputSize();
            for (int o = 0; o < outChannels; o++) {
                int plane = (n * outChannels + o) * oh * ow;
                float biasSum = 0f;
                for (int i = 0; i < oh * ow; i++) {
                    biasSum += masked(y, yOff + plane + i, dy, dyOff + plane + i);
                }
                db[dbOff + o] += biasSum;
                for (int c = 0; c < g.channels(); c++) {
                    for (int ky = 0; ky < g.kernelH(); ky++) {
                        for (int kx = 0; kx < g.kernelW(); kx++) {
                            int wi = o * patch + (c * g.kernelH() + ky) * g.kernelW() + kx;
                            float wv = w[wOff + wi];
                            int lo = firstColumnInside(g, kx);
                            int hi = endColumnInside(g, kx);
                            float sum = 0f;
                            for (int oy = 0; oy < oh; oy++) {
                                int iy = oy * g.strideH() - g.padH() + ky;
                                if (iy < 0 || iy >= g.height()) {
                                    continue;
                                }
                                // pixel (iy, ox*sw - pw + kx) of channel c, relative to the image
                                int row = (c * g.height() + iy) * g.width() - g.padW() + kx;
                                for (int ox = lo; ox < hi; ox++) {
                                    int at = plane + oy * ow + ox;
                                    float gy = masked(y, yOff + at, dy, dyOff + at);
                                    int pixel = row + ox * g.strideW();
                                    sum += gy * x[xImage + pixel];
                                    if (dx != null) {
                                        dx[dxOff + n * g.inputSize() + pixel] += wv * gy;
                                    }
                                }
                            }
                            dw[dwOff + wi] += sum;
                        }
                    }
                }
            }
        }
    }

    /** The first output column whose tap kx reads inside the image (not the left padding). */
    private static int firstColumnInside(ConvGeometry g, int kx) {
        int before = g.padW() - kx;   // ox * strideW must reach this
        return before <= 0 ? 0 : Math.min(g.outW(), (before + g.strideW() - 1) / g.strideW());
    }

    /** One past the last output column whose tap kx reads inside the image (not the right padding). */
    private static int endColumnInside(ConvGeometry g, int kx) {
        int last = g.width() - 1 + g.padW() - kx;   // ox * strideW must not pass this
        return Math.max(firstColumnInside(g, kx), last < 0 ? 0 : Math.min(g.outW(), last / g.strideW() + 1));
    }

    /** dy[dyAt] passed through the fused ReLU of output y (when y is given), as reluBackward. */
    private static float masked(float[] y, int yAt, float[] dy, int dyAt) {
        return y == null || y[yAt] > 0f ? dy[dyAt] : 0f;
    }

    @Override
    public void addRowBias(int rows, int cols, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        for (int i = 0; i < rows; i++) {
            float b = bias[biasOff + i];
            int row = cOff + i * ldc;
            for (int j = 0; j < cols; j++) {
                c[row + j] += b;
            }
        }
    }

    @Override
    public void addColumnBias(int rows, int cols, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        for (int i = 0; i < rows; i++) {
            int row = cOff + i * ldc;
            for (int j = 0; j < cols; j++) {
                c[row + j] += bias[biasOff + j];
            }
        }
    }

    @Override
    public void reluForward(int n, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            // NaN passes through (as in PyTorch) so a diverging run stays visible instead of turning into 0.
            y[yOff + i] = v > 0f || v != v ? v : 0f;
        }
    }

    @Override
    public void reluBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        for (int i = 0; i < n; i++) {
            dx[dxOff + i] = y[yOff + i] > 0f ? dy[dyOff + i] : 0f;
        }
    }

    @Override
    public void maxPoolForward(int planes, int height, int width, int kernel, int stride,
                               float[] x, int xOff, float[] y, int yOff, float[] argmax, int argOff) {
        requirePoolPlane(height, width);
        int oh = (height - kernel) / stride + 1;
        int ow = (width - kernel) / stride + 1;
        int o = 0;
        for (int p = 0; p < planes; p++) {
            int plane = xOff + p * height * width;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    int best = (oy * stride) * width + ox * stride;   // relative to the plane
                    float max = x[plane + best];
                    for (int ky = 0; ky < kernel; ky++) {
                        for (int kx = 0; kx < kernel; kx++) {
                            int idx = (oy * stride + ky) * width + ox * stride + kx;
                            float v = x[plane + idx];
                            // Strict '>' keeps the first maximum on ties; a NaN wins and then sticks.
                            if (v > max || (v != v && max == max)) {
                                max = v;
                                best = idx;
                            }
                        }
                    }
                    y[yOff + o] = max;
                    argmax[argOff + o] = TensorKernels.argmaxOf(best);   // exact: best < height * width <= 2^23
                    o++;
                }
            }
        }
    }

    /** Refuses planes whose indices would not all be exact as floats (see {@link TensorKernels#maxPoolForward}). */
    static void requirePoolPlane(int height, int width) {
        long size = (long) height * width;
        if (size > MAX_POOL_PLANE) {
            throw new IllegalArgumentException("max pooling: a plane of " + height + "x" + width + " = " + size
                    + " elements is larger than 2^23 = " + MAX_POOL_PLANE
                    + ", the most whose indices the argmax records exactly");
        }
    }

    @Override
    public void maxPoolBackward(int planes, int outPlaneSize, int inPlaneSize, float[] dy, int dyOff,
                                float[] argmax, int argOff, float[] dx, int dxOff) {
        // The plane's start less the bits of 2^23, plus a recorded float's bits, is its winner: argmaxIndex
        // without a conversion ((int) of a float compiles to a conversion and a test for NaN and overflow).
        int base = dxOff - argmaxZeroBits;
        int a = argOff;
        int d = dyOff;
        for (int p = 0; p < planes; p++) {
            for (int o = 0; o < outPlaneSize; o++) {
                dx[base + Float.floatToRawIntBits(argmax[a + o])] += dy[d + o];
            }
            base += inPlaneSize;
            a += outPlaneSize;
            d += outPlaneSize;
        }
    }

    @Override
    public void softmaxRows(int rows, int cols, float[] x, int xOff, float[] y, int yOff, int ld) {
        for (int i = 0; i < rows; i++) {
            int xr = xOff + i * ld;
            int yr = yOff + i * ld;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, x[xr + j]);
            }
            float total = 0f;
            for (int j = 0; j < cols; j++) {
                float e = (float) Math.exp(x[xr + j] - max);
                y[yr + j] = e;
                total += e;
            }
            float inv = 1f / total;
            for (int j = 0; j < cols; j++) {
                y[yr + j] *= inv;
            }
        }
    }

    @Override
    public void sumRows(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff) {
        for (int i = 0; i < rows; i++) {
            float s = 0f;
            int row = xOff + i * ldx;
            for (int j = 0; j < cols; j++) {
                s += x[row + j];
            }
            out[outOff + i] += s;
        }
    }

    @Override
    public void sumColumns(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff) {
        for (int i = 0; i < rows; i++) {
            int row = xOff + i * ldx;
            for (int j = 0; j < cols; j++) {
                out[outOff + j] += x[row + j];
            }
        }
    }

    @Override
    public float sum(int n, float[] x, int xOff) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s += x[xOff + i];
        }
        return s;
    }

    @Override
    public float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s += x[xOff + i] * y[yOff + i];
        }
        return s;
    }

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void scale(int n, float alpha, float[] x, int xOff) {
        for (int i = 0; i < n; i++) {
            x[xOff + i] *= alpha;
        }
    }

    @Override
    public void adamUpdate(int n, float[] p, int pOff, float[] g, int gOff, float[] m, float[] v,
                           float beta1, float beta2, float stepSize, float bc2Sqrt, float eps) {
        for (int i = 0; i < n; i++) {
            float gi = g[gOff + i];
            int j = pOff + i;
            m[j] = beta1 * m[j] + (1f - beta1) * gi;
            v[j] = beta2 * v[j] + (1f - beta2) * gi * gi;
            p[j] -= stepSize * m[j] / ((float) Math.sqrt(v[j]) / bc2Sqrt + eps);
        }
    }
}
