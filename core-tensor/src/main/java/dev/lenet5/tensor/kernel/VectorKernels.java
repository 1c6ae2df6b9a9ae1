package dev.lenet5.tensor.kernel;

import static dev.lenet5.tensor.kernel.VectorConstants.S;

import jdk.incubator.vector.FloatVector;

/**
 * The Java Vector API kernels: this facade and the package-private classes it delegates to are the only code
 * that imports {@code jdk.incubator.vector}. Results match {@link ScalarKernels} exactly where the arithmetic
 * is the same sequence of IEEE operations (copies, bias, ReLU, axpy, scale, Adam, col2im, column sums) and
 * within rounding where vectors reorder a sum (GEMM, dot, sums, softmax).
 *
 * <h2>The parts</h2>
 * <ul>
 *   <li>{@link VectorConstants}: this JVM's species, fixed once, and the lane masks and shuffles built from
 *       it; every other class reads it.</li>
 *   <li>{@link VectorGemm}: the packed, cache-blocked GEMM driver; {@link VectorGemmTiles} its register-blocked
 *       micro-kernels; {@link VectorDotProducts} the blocked dot products for {@code A * B^T} with a long k.</li>
 *   <li>{@link VectorConvForward} and {@link VectorConvBackward}: whole-batch direct convolution on the
 *       register tiles of {@link VectorConvTile}; {@link VectorLowering}: im2col, col2im, and the other
 *       convolutions through them and GEMM.</li>
 *   <li>{@link VectorPooling}: 2x2 max pooling; {@link VectorElementwise}: bias, ReLU, sums, dot, axpy, Adam,
 *       and the run primitives the others share.</li>
 * </ul>
 *
 * <h2>Keeping C2's vector code</h2>
 * A vector reassigned inside a data-dependent branch ("if (beta != 0) c = c.add(...)") meets its other
 * value at a join point, where C2 may lose its exact type; the following store is then not intrinsified
 * and the kernel's vectors are boxed, 3-10x slower and allocating. Whether it happened depended on the
 * branch profile at compile time. So the register-blocked kernels store straight after their loop and
 * leave beta, bias, ReLU and partial tiles to their callers, and elementwise code picks its loop per case
 * outside the loop. Also avoided, because JDK 17 does not compile them to vector code: gathers,
 * two-vector rearranges, {@code test(IS_NAN)} and mask {@code andNot}.
 *
 * <p>Thread safety: instances are immutable; packing buffers come from per-thread workspaces created
 * once per thread, so concurrent calls from several threads are safe and steady-state calls do not
 * allocate.
 */
final class VectorKernels implements TensorKernels {

    private final boolean wideRegisterFile;
    private final ConvAlgorithm convAlgorithm;
    private final VectorGemm gemm;
    private final ConvWorkspace.PerThread convWorkspace = new ConvWorkspace.PerThread();

    private VectorKernels(boolean wideRegisterFile, ConvAlgorithm convAlgorithm) {
        this.wideRegisterFile = wideRegisterFile;
        this.convAlgorithm = convAlgorithm;
        this.gemm = new VectorGemm(wideRegisterFile);
    }

    /**
     * Kernels at this JVM's vector width, the entry point {@link Kernels} calls reflectively once it has
     * checked that the width can be had.
     *
     * @param wideRegisterFile the register tiles for a 32-register file ({@code true}) or for 16; tests use it
     *                         to exercise both on any machine
     */
    static TensorKernels create(boolean wideRegisterFile) {
        return new VectorKernels(wideRegisterFile, ConvAlgorithm.AUTO);
    }

    @Override
    public ConvAlgorithm convAlgorithm() {
        return convAlgorithm;
    }

    @Override
    public TensorKernels withConvAlgorithm(ConvAlgorithm algorithm) {
        return algorithm == convAlgorithm ? this : new VectorKernels(wideRegisterFile, algorithm);
    }

    /** Whether a convolution of geometry g runs directly rather than lowered to im2col and GEMM. */
    boolean direct(ConvGeometry g) {
        return convAlgorithm != ConvAlgorithm.IM2COL && VectorConvForward.applies(g);
    }

    /**
     * The widest float vectors C2 compiles on this CPU. Reads no {@link VectorConstants}, so asking does not
     * fix this JVM's width.
     */
    static int preferredBitSize() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }

    /** Whether the register tiles are those for a 32-register file (otherwise for 16). */
    boolean wideRegisterFile() {
        return wideRegisterFile;
    }

    @Override
    public String name() {
        return "simd-" + S.vectorBitSize();
    }

    @Override
    public int vectorBitSize() {
        return S.vectorBitSize();
    }

    /** GEMM register block as {@code MRxNR} in floats, e.g. {@code 8x48}, for reports and tests. */
    String gemmTile() {
        return gemm.tile();
    }

    @Override
    public String toString() {
        return name() + " (gemm tile " + gemmTile() + ", convolution " + convAlgorithm + ")";
    }

    // ---------------------------------------------------------------- GEMM

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float alpha, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        gemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    // ---------------------------------------------------------------- convolution lowering

    @Override
    public void im2col(ConvGeometry g, float[] x, int xOff, float[] cols, int colsOff, int ldCols) {
        VectorLowering.im2col(g, x, xOff, cols, colsOff, ldCols);
    }

    @Override
    public void col2im(ConvGeometry g, float[] cols, int colsOff, int ldCols, float[] x, int xOff) {
        VectorLowering.col2im(g, cols, colsOff, ldCols, x, xOff);
    }

    // ---------------------------------------------------------------- convolution, whole batches

    @Override
    public void convForward(ConvGeometry g, int outChannels, int images,
                            float[] w, int wOff, float[] bias, int biasOff, boolean relu,
                            float[] x, int xOff, float[] y, int yOff) {
        if (images <= 0) {
            return;
        }
        ConvWorkspace ws = convWorkspace.get();
        if (direct(g)) {
            VectorConvForward.convForward(ws, g, VectorConvTile.forRows(outChannels, wideRegisterFile), outChannels, images,
                    w, wOff, bias, biasOff, relu, x, xOff, y, yOff);
        } else {
            VectorLowering.convForward(gemm, ws, g, outChannels, images, w, wOff, bias, biasOff, relu, x, xOff, y, yOff);
        }
    }

    @Override
    public void convBackward(ConvGeometry g, int outChannels, int images,
                             float[] x, int xOff, float[] w, int wOff, float[] y, int yOff, float[] dy, int dyOff,
                             float[] dw, int dwOff, float[] db, int dbOff, float[] dx, int dxOff) {
        if (images <= 0) {
            return;
        }
        ConvWorkspace ws = convWorkspace.get();
        if (direct(g)) {
            VectorConvBackward.convBackward(ws, g, wideRegisterFile, outChannels, images, x, xOff, w, wOff, y, yOff, dy, dyOff,
                    dw, dwOff, db, dbOff, dx, dxOff);
        } else {
            VectorLowering.convBackward(gemm, ws, g, outChannels, images, x, xOff, w, wOff, y, yOff, dy, dyOff,
                    dw, dwOff, db, dbOff, dx, dxOff);
        }
    }

    // ---------------------------------------------------------------- bias, activation

    @Override
    public void addRowBias(int rows, int cols, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        VectorElementwise.addRowBias(rows, cols, bias, biasOff, c, cOff, ldc);
    }

    @Override
    public void addColumnBias(int rows, int cols, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        VectorElementwise.addColumnBias(rows, cols, bias, biasOff, c, cOff, ldc);
    }

    @Override
    public void reluForward(int n, float[] x, int xOff, float[] y, int yOff) {
        VectorElementwise.reluForward(n, x, xOff, y, yOff);
    }

    @Override
    public void reluBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        VectorElementwise.reluBackward(n, y, yOff, dy, dyOff, dx, dxOff);
    }

    // ---------------------------------------------------------------- pooling

    @Override
    public void maxPoolForward(int planes, int height, int width, int kernel, int stride,
                               float[] x, int xOff, float[] y, int yOff, float[] argmax, int argOff) {
        VectorPooling.maxPoolForward(planes, height, width, kernel, stride, x, xOff, y, yOff, argmax, argOff);
    }

    @Override
    public void maxPoolBackward(int planes, int outPlaneSize, int inPlaneSize, float[] dy, int dyOff,
                                float[] argmax, int argOff, float[] dx, int dxOff) {
        VectorPooling.maxPoolBackward(planes, outPlaneSize, inPlaneSize, dy, dyOff, argmax, argOff, dx, dxOff);
    }

    // ---------------------------------------------------------------- softmax, reductions

    @Override
    public void softmaxRows(int rows, int cols, float[] x, int xOff, float[] y, int yOff, int ld) {
        VectorElementwise.softmaxRows(rows, cols, x, xOff, y, yOff, ld);
    }

    @Override
    public void sumRows(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff) {
        VectorElementwise.sumRows(rows, cols, x, xOff, ldx, out, outOff, convWorkspace.get().lanes);
    }

    @Override
    public void sumColumns(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff) {
        VectorElementwise.sumColumns(rows, cols, x, xOff, ldx, out, outOff);
    }

    @Override
    public float sum(int n, float[] x, int xOff) {
        return VectorElementwise.sum(n, x, xOff, convWorkspace.get().lanes);
    }

    @Override
    public float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        return VectorElementwise.dot(n, x, xOff, y, yOff, convWorkspace.get().lanes);
    }

    // ---------------------------------------------------------------- vector updates

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        VectorElementwise.axpy(n, alpha, x, xOff, y, yOff);
    }

    @Override
    public void scale(int n, float alpha, float[] x, int xOff) {
        VectorElementwise.scale(n, alpha, x, xOff);
    }

    @Override
    public void adamUpdate(int n, float[] p, int pOff, float[] g, int gOff, float[] m, float[] v,
                           float beta1, float beta2, float stepSize, float bc2Sqrt, float eps) {
        VectorElementwise.adamUpdate(n, p, pOff, g, gOff, m, v, beta1, beta2, stepSize, bc2Sqrt, eps);
    }
}
