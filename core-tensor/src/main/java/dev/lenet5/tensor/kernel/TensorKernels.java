package dev.lenet5.tensor.kernel;

/**
 * The compute seam: every number-crunching loop the network needs, over plain {@code float[]} arrays with
 * explicit offsets and leading dimensions, BLAS style.
 *
 * <p>Two implementations: {@link ScalarKernels}, the readable reference, and {@code VectorKernels}, the
 * Java Vector API one. {@link Kernels#get()} chooses between them once per JVM.
 *
 * <p>Contract for every method: matrices are row-major; {@code ld*} is the distance in floats between the
 * starts of consecutive rows; no method allocates, keeps a reference to its arguments or checks bounds
 * beyond what the JVM does (callers check sizes first, as the layers do). Input and output
 * regions must not overlap unless a method says so.
 */
public interface TensorKernels {

    /** Short name for reports: {@code scalar} or {@code simd-<bits>}, e.g. {@code simd-512}. */
    String name();

    /** Width of the vectors the kernels use in bits, or 0 for the scalar reference. */
    int vectorBitSize();

    /** How {@link #convForward} and {@link #convBackward} compute: {@link ConvAlgorithm#AUTO} unless chosen. */
    default ConvAlgorithm convAlgorithm() {
        return ConvAlgorithm.AUTO;
    }

    /**
     * These kernels computing convolutions by {@code algorithm} (the SIMD kernels: direct or im2col + GEMM; the
     * scalar reference has one way and returns itself).
     */
    default TensorKernels withConvAlgorithm(ConvAlgorithm algorithm) {
        return this;
    }

    // ---------------------------------------------------------------- GEMM

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C}, where op(A) is m x k, op(B) is k x n and C is m x n.
     * {@code op(X)} is X or its transpose: with {@code transA}, A is stored k x m (row-major, leading
     * dimension lda), otherwise m x k. When {@code beta == 0}, C is overwritten and its old contents
     * (even NaN) are ignored, as in BLAS. m, n or k may be 0.
     */
    void sgemm(boolean transA, boolean transB, int m, int n, int k,
               float alpha, float[] a, int aOff, int lda,
               float[] b, int bOff, int ldb,
               float beta, float[] c, int cOff, int ldc);

    // ---------------------------------------------------------------- convolution lowering

    /**
     * Unfolds one image into patch columns.
     * x: (C, H, W) at xOff → cols: (C*KH*KW, OH*OW) at colsOff with leading dimension ldCols ≥ OH*OW.
     * Row {@code (c*KH + ky)*KW + kx}, column {@code oy*OW + ox} holds
     * {@code x[c, oy*strideH - padH + ky, ox*strideW - padW + kx]}, or 0 where that falls in the padding.
     * A leading dimension larger than OH*OW lets a batch of images share one wide matrix.
     */
    void im2col(ConvGeometry g, float[] x, int xOff, float[] cols, int colsOff, int ldCols);

    /**
     * The adjoint of {@link #im2col}: adds every column entry back onto the pixel it was read from.
     * cols: (C*KH*KW, OH*OW) at colsOff, leading dimension ldCols → x: (C, H, W) at xOff, accumulated
     * ({@code x += col2im(cols)}); entries that fell in the padding are dropped.
     */
    void col2im(ConvGeometry g, float[] cols, int colsOff, int ldCols, float[] x, int xOff);

    // ---------------------------------------------------------------- convolution, whole batches

    /**
     * A 2-D convolution of a batch with bias and an optional fused ReLU: PyTorch's {@code Conv2d} (then
     * {@code ReLU}). x: (images, C, H, W) at xOff → y: (images, Cout, OH, OW) at yOff, overwritten, with
     * <pre>
     * y[n, o, oy, ox] = bias[o] + sum over (c, ky, kx) of w[o, c, ky, kx] * x[n, c, oy*sh - ph + ky, ox*sw - pw + kx]
     * </pre>
     * where pixels in the padding read 0; with {@code relu}, then {@code y = max(y, 0)} exactly as
     * {@link #reluForward} (NaN passes). w: (Cout, C, KH, KW) at wOff, bias: (Cout) at biasOff. How it is
     * computed (directly along the output pixels, or lowered to im2col and GEMM) is the implementation's
     * choice; results agree up to the rounding of the reordered sums.
     */
    void convForward(ConvGeometry g, int outChannels, int images,
                     float[] w, int wOff, float[] bias, int biasOff, boolean relu,
                     float[] x, int xOff, float[] y, int yOff);

    /**
     * The backward pass of {@link #convForward} for the same batch. The output gradient is dy, masked by the
     * fused ReLU when its output y is given: {@code gy = y > 0 ? dy : 0} elementwise (as {@link #reluBackward});
     * with {@code y == null}, {@code gy = dy}. Then
     * <pre>
     * dw[o, c, ky, kx] += sum over (n, oy, ox) of gy[n, o, oy, ox] * x[n, c, oy*sh - ph + ky, ox*sw - pw + kx]
     * db[o]            += sum over (n, oy, ox) of gy[n, o, oy, ox]
     * dx[n, c, iy, ix]  = sum of w[o, c, ky, kx] * gy[n, o, oy, ox] over every (o, ky, kx, oy, ox) that reads
     *                     pixel (iy, ix), i.e. oy*sh - ph + ky = iy and ox*sw - pw + kx = ix
     * </pre>
     * dx is overwritten, and skipped when null (a first layer needs no input gradient). Shapes: x and dx
     * (images, C, H, W); y and dy (images, Cout, OH, OW); w and dw (Cout, C, KH, KW); db (Cout).
     */
    void convBackward(ConvGeometry g, int outChannels, int images,
                      float[] x, int xOff, float[] w, int wOff, float[] y, int yOff, float[] dy, int dyOff,
                      float[] dw, int dwOff, float[] db, int dbOff, float[] dx, int dxOff);

    // ---------------------------------------------------------------- bias, activation

    /** {@code c[i, j] += bias[biasOff + i]}: one bias per row, as for conv output channels. */
    void addRowBias(int rows, int cols, float[] bias, int biasOff, float[] c, int cOff, int ldc);

    /** {@code c[i, j] += bias[biasOff + j]}: one bias per column, as for a Linear layer's (N, out) output. */
    void addColumnBias(int rows, int cols, float[] bias, int biasOff, float[] c, int cOff, int ldc);

    /** {@code y[i] = max(x[i], 0)} for n elements; x and y may be the same region (in place). */
    void reluForward(int n, float[] x, int xOff, float[] y, int yOff);

    /**
     * {@code dx[i] = y[i] > 0 ? dy[i] : 0}, where y is the ReLU's output (equivalently its input: both are
     * positive at the same places). dx may be the same region as dy.
     */
    void reluBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff);

    // ---------------------------------------------------------------- pooling

    /**
     * Max pooling without padding, window {@code kernel x kernel}, step {@code stride}.
     * x: (planes, H, W) at xOff → y: (planes, OH, OW) at yOff, OH = (H - kernel) / stride + 1.
     * {@code argmax[argOff + o]} records the element that was chosen for output o, at index i relative to the
     * start of its plane (in [0, H*W)), as the float 2^23 + i: floats hold every integer below 2^24 exactly,
     * and the bits of 2^23 + i are {@code 0x4B000000 + i}, so the vector kernels store it straight from a float
     * vector and the backward pass reads the index from the bits with no conversion ({@link #argmaxIndex}).
     * Ties go to the first maximum in row-major window order (a strict {@code >} scan), as in PyTorch. NaN
     * propagates: a window holding NaN outputs NaN (its first NaN is the winner).
     *
     * @throws IllegalArgumentException if H*W exceeds 2^23 ({@link #MAX_POOL_PLANE}), before touching an array
     */
    void maxPoolForward(int planes, int height, int width, int kernel, int stride,
                        float[] x, int xOff, float[] y, int yOff, float[] argmax, int argOff);

    /**
     * Routes each output's gradient to its winner: for plane p in [0, planes) and o in [0, outPlaneSize),
     * {@code dx[dxOff + p * inPlaneSize + argmaxIndex(argmax[a])] += dy[dyOff + p * outPlaneSize + o]} with
     * {@code a = argOff + p * outPlaneSize + o}, where argmax is what {@link #maxPoolForward} wrote for
     * planes of inPlaneSize = H*W inputs and outPlaneSize = OH*OW outputs.
     */
    void maxPoolBackward(int planes, int outPlaneSize, int inPlaneSize, float[] dy, int dyOff,
                         float[] argmax, int argOff, float[] dx, int dxOff);

    /**
     * The most elements a pooled plane may have: 2^23, so that 2^23 plus any index in it is an exact float
     * whose bits are {@code 0x4B000000} plus the index.
     */
    int MAX_POOL_PLANE = 1 << 23;

    /** What {@link #maxPoolForward} stores for the winner at index i of its plane: 2^23 + i. */
    static float argmaxOf(int index) {
        return index + 0x1p23f;
    }

    /** The plane-relative index an argmax entry records: the low bits of 2^23 + i, read without a conversion. */
    static int argmaxIndex(float recorded) {
        return Float.floatToRawIntBits(recorded) - 0x4B000000;
    }

    // ---------------------------------------------------------------- softmax, reductions

    /**
     * Row-wise numerically stable softmax: {@code y[i, j] = exp(x[i, j] - max_i) / sum_j exp(x[i, j] - max_i)}.
     * x and y share the leading dimension ld; y may be the same region as x.
     */
    void softmaxRows(int rows, int cols, float[] x, int xOff, float[] y, int yOff, int ld);

    /** {@code out[outOff + i] += sum_j x[i, j]}: the gradient of a per-row bias. */
    void sumRows(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff);

    /** {@code out[outOff + j] += sum_i x[i, j]}: the gradient of a per-column bias. */
    void sumColumns(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff);

    /** Sum of n elements. */
    float sum(int n, float[] x, int xOff);

    /** Dot product of n elements. */
    float dot(int n, float[] x, int xOff, float[] y, int yOff);

    // ---------------------------------------------------------------- vector updates

    /** {@code y[i] += alpha * x[i]} for n elements. */
    void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff);

    /** {@code x[i] *= alpha} for n elements. */
    void scale(int n, float alpha, float[] x, int xOff);

    /**
     * One Adam step on n parameters, in PyTorch's arithmetic order:
     * <pre>
     * m = beta1 * m + (1 - beta1) * g
     * v = beta2 * v + (1 - beta2) * g * g
     * p = p - stepSize * m / (sqrt(v) / bc2Sqrt + eps)
     * </pre>
     * where the caller passes {@code stepSize = lr / (1 - beta1^t)} and {@code bc2Sqrt = sqrt(1 - beta2^t)}.
     * m and v are indexed like p (offset pOff); weight decay, if any, is added to g by the caller first.
     */
    void adamUpdate(int n, float[] p, int pOff, float[] g, int gOff, float[] m, float[] v,
                    float beta1, float beta2, float stepSize, float bc2Sqrt, float eps);
}
