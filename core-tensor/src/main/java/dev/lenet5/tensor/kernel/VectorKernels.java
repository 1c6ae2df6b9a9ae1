package dev.lenet5.tensor.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.constant.ConstantDescs;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Java Vector API kernels: the only class that imports {@code jdk.incubator.vector}. Results match
 * {@link ScalarKernels} exactly where the arithmetic is the same sequence of IEEE operations (copies,
 * bias, ReLU, axpy, scale, Adam, col2im, column sums) and within rounding where vectors reorder a sum
 * (GEMM, dot, sums, softmax).
 *
 * <h2>One species per class, one class per species</h2>
 * The species is the static final {@link #S}, not a constructor argument, because the Vector API only
 * compiles to SIMD instructions when the JIT sees the species as a constant: read from an instance field
 * the same loops measured 10x slower (boxed vectors). To still offer every width from one source file,
 * {@link #create(int, boolean)} loads a hidden copy of this class per extra width (same bytecode, its
 * {@code S} taken from the class data), so each copy is compiled for its own constant species. The
 * preferred width uses this class itself. Consequences: this class has no nested classes or lambdas (a
 * copy could not share them), and frames of the extra widths' copies are hidden from stack traces.
 *
 * <h2>GEMM</h2>
 * Goto/BLIS blocking (see {@link KernelTuning} for the sizes): for each NC-wide panel and KC-deep slice,
 * op(B) is packed into NR-wide strips and alpha * op(A) into MR-tall strips ({@link GemmPacking}), and a
 * register-blocked micro-kernel computes one MR x NR tile of C with all its accumulators in registers
 * (broadcast one A value, FMA it into a row of NR/L vectors). Two shapes: 8 x 3 vectors for a 32-register
 * file, 6 x 2 vectors for 16 registers. Edge tiles: missing rows are simply not stored; the last strip
 * of a panel uses a 1- or 2-vector kernel when that covers it, and a strip ending inside a vector is
 * computed into a spare tile and merged. Two shortcuts for LeNet's skinny products:
 * <ul>
 *   <li>up to 128 rows of C with B not transposed (convolution forward passes, the fully connected
 *       layers' gradients): B is read in place, vectorised along the long n dimension, not packed;</li>
 *   <li>{@code A * B^T} with a small C and a long k (the convolutions' weight gradients): blocked dot
 *       products along k, which is contiguous in both operands, with their horizontal sums folded
 *       together at the end.</li>
 * </ul>
 *
 * <h2>Convolution</h2>
 * Stride-1 unpadded convolutions (LeNet's) run directly along the output pixels: each output plane is
 * laid on the input's row stride so every tap reads one contiguous run, a register tile of 6 or 8 output
 * channels by 4 or 3 vectors of pixels shares each input load across the channels, and backward reuses
 * the same tile (on the padded output gradient, with flipped weights) for the input gradient and blocked
 * dot products, accumulated over a slice of images, for the weight gradient. See convForward's notes.
 * Other geometries are lowered to im2col and GEMM per image.
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
 * <p>Thread safety: instances are immutable; packing buffers come from a per-thread workspace created
 * once per thread, so concurrent calls from several threads are safe and steady-state calls do not
 * allocate.
 */
final class VectorKernels implements TensorKernels {

    /** This copy's species: the preferred one for the class itself, the class data for a hidden copy. */
    private static final VectorSpecies<Float> S = speciesOfThisCopy();
    private static final int L = S.length();
    /** Ints in vectors of the same shape (same lane count): the pooling's argmax indices. */
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());
    /** 0, 1, ..., L-1: compared against a scalar it builds lane masks with plain vector instructions. */
    private static final float[] LANE_INDEX = laneIndex();
    /** Masks and lane swaps folding the dot kernels' sums: level k pairs up half-blocks of L >> k lanes. */
    private static final VectorMask<Float> UPPER_1 = upperHalves(L >> 1);
    private static final VectorMask<Float> UPPER_2 = upperHalves(L >> 2);
    private static final VectorMask<Float> UPPER_3 = upperHalves(L >> 3);
    private static final VectorMask<Float> UPPER_4 = upperHalves(L >> 4);
    private static final VectorShuffle<Float> SWAP_1 = swapHalves(L >> 1);
    private static final VectorShuffle<Float> SWAP_2 = swapHalves(L >> 2);
    private static final VectorShuffle<Float> SWAP_3 = swapHalves(L >> 3);
    private static final VectorShuffle<Float> SWAP_4 = swapHalves(L >> 4);
    /** Shuffles de-interleaving two vectors' even (left) and odd (right) lanes: see maxPoolForward. */
    private static final VectorShuffle<Float> EVEN_LOW = pairShuffle(0, 0);
    private static final VectorShuffle<Float> EVEN_HIGH = pairShuffle(0, 1);
    private static final VectorShuffle<Float> ODD_LOW = pairShuffle(1, 0);
    private static final VectorShuffle<Float> ODD_HIGH = pairShuffle(1, 1);
    /** 0, 2, 4, ...: lane j's offset in a pair of vectors. */
    private static final int[] TWICE_LANE = twiceLane();
    /** Where the folding leaves accumulator i: vector i / L, lane bitreverse(i % L). */
    private static final int[] SUM_SLOT = sumSlots();

    /** Constructors of the hidden copies by vector width (used in the original class only). */
    private static final Map<Integer, MethodHandle> COPIES = new HashMap<>();

    private final boolean wideRegisterFile;
    private final int mr;
    private final int nr;
    private final int mcBlock;
    private final int ncBlock;
    private final GemmWorkspace.PerThread workspace;
    private final ConvWorkspace.PerThread convWorkspace = new ConvWorkspace.PerThread();

    private VectorKernels(boolean wideRegisterFile) {
        this.wideRegisterFile = wideRegisterFile;
        this.mr = wideRegisterFile ? KernelTuning.WIDE_MR : KernelTuning.NARROW_MR;
        this.nr = L * (wideRegisterFile ? KernelTuning.WIDE_NR_VECTORS : KernelTuning.NARROW_NR_VECTORS);
        this.mcBlock = Math.max(mr, KernelTuning.MC / mr * mr);
        this.ncBlock = Math.max(nr, KernelTuning.NC / nr * nr);
        int tile = Math.max(mr * nr, 16 * L);   // the dot kernels' 16 partial vectors
        this.workspace = new GemmWorkspace.PerThread(mcBlock * KernelTuning.KC, KernelTuning.KC * ncBlock,
                KernelTuning.KC * nr, tile);
        seedBranchProfiles();
    }

    /**
     * Runs the kernels' data-dependent branches both ways on tiny problems before any real call. The JIT
     * compiles a branch it has never seen taken as a trap; taking it later deoptimises the kernel and
     * costs a recompilation of a large method (seconds of compiler time on a busy machine). With every
     * path in the profile from the start there is nothing to deoptimise.
     */
    private void seedBranchProfiles() {
        float[] a = new float[2 * mr];
        float[] b = new float[2 * nr];
        float[] c = new float[mr * nr];
        for (int vectors = 1; vectors <= nr / L; vectors++) {
            microKernel(vectors, 2, a, 0, b, 0, nr, c, 0, nr);
        }
        float[] x = new float[3 * L];
        float[] out = new float[16 * L];
        float[] sums = new float[16];
        for (int len : new int[]{L, L + 1, 2 * L + 1}) {
            dot3x4(len, x, 0, 0, 0, x, 0, 0, 0, 0, out);
            dot4x4(len, x, 0, 0, 0, 0, x, 0, 0, 0, 0, out);
            dotImages3x4(2, len, x, 0, 0, 0, 0, x, 0, 0, 0, 0, 0, out);
            dotImages4x4(2, len, x, 0, 0, 0, 0, 0, x, 0, 0, 0, 0, 0, out);
        }
        foldPartialSums(out, sums);
        if (wideRegisterFile) {
            int[] zeros = new int[4];
            float[] wp = new float[8];
            float[] y = new float[8 * 4 * L];
            for (int rows : new int[]{1, 6}) {
                conv6x4(1, wp, 0, zeros, x, 0, zeros, zeros, 0, y, 0, L, rows, y);
                conv6x1(1, wp, 0, zeros, x, 0, zeros, zeros, 0, y, 0, L, rows, y);
            }
            for (int rows : new int[]{1, 8}) {
                conv8x3(1, wp, 0, zeros, x, 0, zeros, zeros, 0, y, 0, L, rows, y);
                conv8x1(1, wp, 0, zeros, x, 0, zeros, zeros, 0, y, 0, L, rows, y);
            }
        }
    }

    // ---------------------------------------------------------------- construction

    /**
     * Kernels for a vector width, the entry point {@link Kernels} calls reflectively.
     *
     * @param bits 0 for the preferred species, otherwise 64, 128, 256 or 512
     * @throws UnsupportedOperationException if this JVM/CPU has no vectors that wide
     */
    static TensorKernels create(int bits) {
        return create(bits, FloatVector.SPECIES_PREFERRED.vectorBitSize() >= KernelTuning.WIDE_REGISTER_FILE_MIN_BITS);
    }

    /**
     * As {@link #create(int)}, choosing the micro-kernel for a 32-register ({@code true}) or 16-register
     * file; tests use it to exercise both on any machine.
     */
    static TensorKernels create(int bits, boolean wideRegisterFile) {
        VectorSpecies<Float> species = speciesFor(bits);
        if (species.equals(S)) {
            return new VectorKernels(wideRegisterFile);
        }
        MethodHandle constructor = copyConstructor(species);
        try {
            return (TensorKernels) constructor.invoke(wideRegisterFile);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot construct the " + bits + "-bit vector kernels", e);
        }
    }

    /** Lanes whose index has bit h set (the upper half of each 2h-lane block); null when h < 1. */
    private static VectorMask<Float> upperHalves(int h) {
        if (h < 1) {
            return null;
        }
        boolean[] upper = new boolean[L];
        for (int i = 0; i < L; i++) {
            upper[i] = (i & h) != 0;
        }
        return VectorMask.fromArray(S, upper, 0);
    }

    /** The shuffle exchanging lane i with lane i ^ h; null when h < 1. */
    private static VectorShuffle<Float> swapHalves(int h) {
        if (h < 1) {
            return null;
        }
        int[] source = new int[L];
        for (int i = 0; i < L; i++) {
            source[i] = i ^ h;
        }
        return VectorShuffle.fromArray(S, source, 0);
    }

    private static int[] sumSlots() {
        int bits = Integer.numberOfTrailingZeros(L);
        int[] slot = new int[16];
        for (int i = 0; i < 16; i++) {
            int lane = bits == 0 ? 0 : Integer.reverse(i % L) >>> (32 - bits);
            slot[i] = i / L * L + lane;
        }
        return slot;
    }

    /**
     * Lane j takes lane 2j + parity of a pair of vectors: from the first one ({@code source} 0) for the lower
     * half of the lanes, from the second ({@code source} 1) for the upper half; blending the two on the
     * upper-half mask gives the de-interleaved vector. Indexes wrap into the vector.
     */
    private static VectorShuffle<Float> pairShuffle(int parity, int source) {
        int[] index = new int[L];
        for (int j = 0; j < L; j++) {
            index[j] = (2 * j + parity - source * L) & (L - 1);
        }
        return VectorShuffle.fromArray(S, index, 0);
    }

    private static int[] twiceLane() {
        int[] twice = new int[L];
        for (int j = 0; j < L; j++) {
            twice[j] = 2 * j;
        }
        return twice;
    }

    private static float[] laneIndex() {
        float[] index = new float[L];
        for (int i = 0; i < L; i++) {
            index[i] = i;
        }
        return index;
    }

    /** The species for a requested width, refusing widths this JVM would only emulate (slowly). */
    private static VectorSpecies<Float> speciesFor(int bits) {
        VectorSpecies<Float> preferred = FloatVector.SPECIES_PREFERRED;
        if (bits == 0) {
            return preferred;
        }
        if (bits != 64 && bits != 128 && bits != 256 && bits != 512) {
            throw new IllegalArgumentException("vector width must be 0 (preferred), 64, 128, 256 or 512 bits, got " + bits);
        }
        if (bits > preferred.vectorBitSize()) {
            throw new UnsupportedOperationException(bits + "-bit vectors are not supported on this JVM and CPU (widest: "
                    + preferred.vectorBitSize() + " bits)");
        }
        return VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
    }

    private static VectorSpecies<Float> speciesOfThisCopy() {
        MethodHandles.Lookup self = MethodHandles.lookup();
        if (!self.lookupClass().isHidden()) {
            return FloatVector.SPECIES_PREFERRED;
        }
        try {
            @SuppressWarnings("unchecked")
            VectorSpecies<Float> species = MethodHandles.classData(self, ConstantDescs.DEFAULT_NAME, VectorSpecies.class);
            return species;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("hidden vector kernels without their species", e);
        }
    }

    /** The constructor of the hidden copy of this class compiled for {@code species}, defined once. */
    private static MethodHandle copyConstructor(VectorSpecies<Float> species) {
        synchronized (COPIES) {
            MethodHandle constructor = COPIES.get(species.vectorBitSize());
            if (constructor == null) {
                constructor = defineCopy(species);
                COPIES.put(species.vectorBitSize(), constructor);
            }
            return constructor;
        }
    }

    private static MethodHandle defineCopy(VectorSpecies<Float> species) {
        byte[] bytes;
        try (InputStream in = VectorKernels.class.getResourceAsStream("VectorKernels.class")) {
            if (in == null) {
                throw new IllegalStateException("cannot read VectorKernels.class to specialise it for " + species);
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read VectorKernels.class to specialise it for " + species, e);
        }
        try {
            MethodHandles.Lookup copy = MethodHandles.lookup().defineHiddenClassWithClassData(bytes, species, true);
            return copy.findConstructor(copy.lookupClass(), MethodType.methodType(void.class, boolean.class));
        } catch (IllegalAccessException | NoSuchMethodException e) {
            throw new IllegalStateException("cannot specialise the vector kernels for " + species, e);
        }
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
        return mr + "x" + nr;
    }

    @Override
    public String toString() {
        return name() + " (gemm tile " + gemmTile() + ")";
    }

    // ---------------------------------------------------------------- GEMM

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float alpha, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0 || alpha == 0f) {
            scaleMatrix(m, n, beta, c, cOff, ldc);
            return;
        }
        if (!transA && transB && k >= KernelTuning.DOT_MIN_K && (long) m * n <= KernelTuning.DOT_MAX_MN) {
            gemmDot(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        gemmPacked(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    // C (m, n) = beta * C, with beta == 0 writing zeros over anything (NaN included)
    private static void scaleMatrix(int m, int n, float beta, float[] c, int cOff, int ldc) {
        if (beta == 1f) {
            return;
        }
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (beta == 0f) {
                Arrays.fill(c, row, row + n, 0f);
            } else {
                scaleRun(n, beta, c, row);
            }
        }
    }

    /*
     * The naive definition, for reference:
     *   for i < m, j < n: C[i,j] = alpha * sum_p op(A)[i,p] * op(B)[p,j] + beta * C[i,j]
     */
    private void gemmPacked(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        GemmWorkspace ws = workspace.get();
        // With few rows of C each element of B meets at most a few A strips: read B in place.
        boolean direct = !transB && m <= KernelTuning.DIRECT_B_MAX_M;
        int panelWidth = direct ? n : ncBlock;
        for (int jc = 0; jc < n; jc += panelWidth) {
            int nc = Math.min(panelWidth, n - jc);
            for (int pc = 0; pc < k; pc += KernelTuning.KC) {
                int kc = Math.min(KernelTuning.KC, k - pc);
                // Only the first k slice applies beta; later slices accumulate onto it.
                float betaSlice = pc == 0 ? beta : 1f;
                float[] panel = null;
                if (!direct) {
                    panel = ws.b();
                    GemmPacking.packB(transB, b, bOff, ldb, pc, jc, kc, nc, nr, panel);
                }
                for (int ic = 0; ic < m; ic += mcBlock) {
                    int mc = Math.min(mcBlock, m - ic);
                    GemmPacking.packA(transA, a, aOff, lda, ic, pc, mc, kc, alpha, mr, ws.a);
                    for (int jr = 0; jr < nc; jr += nr) {
                        int cols = Math.min(nr, nc - jr);
                        int vectors = (cols + L - 1) / L;
                        boolean wholeVectors = cols == vectors * L;
                        float[] strip;
                        int bIdx;
                        int bStride;
                        if (!direct) {
                            strip = panel;
                            bIdx = jr * kc;
                            bStride = nr;
                        } else if (wholeVectors) {
                            strip = b;
                            bIdx = bOff + pc * ldb + jc + jr;
                            bStride = ldb;
                        } else {
                            // A strip ending inside a vector cannot be read in place: pack it, zero-padded.
                            strip = ws.edgeStrip;
                            GemmPacking.packB(false, b, bOff, ldb, pc, jc + jr, kc, cols, nr, strip);
                            bIdx = 0;
                            bStride = nr;
                        }
                        int cCol = cOff + jc + jr;
                        for (int ir = 0; ir < mc; ir += mr) {
                            int rows = Math.min(mr, mc - ir);
                            int cIdx = cCol + (ic + ir) * ldc;
                            if (wholeVectors && rows == mr && betaSlice == 0f) {
                                microKernel(vectors, kc, ws.a, ir * kc, strip, bIdx, bStride, c, cIdx, ldc);
                            } else {
                                // Partial tiles and beta go through the spare tile (see the micro-kernels).
                                microKernel(vectors, kc, ws.a, ir * kc, strip, bIdx, bStride, ws.tile, 0, nr);
                                mergeTile(rows, cols, ws.tile, nr, c, cIdx, ldc, betaSlice);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * One MR-row tile, {@code vectors} vectors wide (the full NR, or fewer for the last strip of a panel,
     * so an edge strip does not pay for lanes it throws away), written over (c, cIdx, ldc): all MR rows,
     * nothing read. The caller points it at C itself or at the spare tile (see gemmPacked).
     */
    private void microKernel(int vectors, int kc, float[] ap, int aIdx, float[] bp, int bIdx, int bStride,
                             float[] c, int cIdx, int ldc) {
        if (wideRegisterFile) {
            if (vectors == 3) {
                kernel8x3(kc, ap, aIdx, bp, bIdx, bStride, c, cIdx, ldc);
            } else if (vectors == 2) {
                kernel8x2(kc, ap, aIdx, bp, bIdx, bStride, c, cIdx, ldc);
            } else {
                kernel8x1(kc, ap, aIdx, bp, bIdx, bStride, c, cIdx, ldc);
            }
        } else {
            if (vectors == 2) {
                kernel6x2(kc, ap, aIdx, bp, bIdx, bStride, c, cIdx, ldc);
            } else {
                kernel6x1(kc, ap, aIdx, bp, bIdx, bStride, c, cIdx, ldc);
            }
        }
    }

    // C (rows, cols) at cIdx = beta * C + T (rows, cols) with T's leading dimension ldt; beta == 0 never reads C
    private static void mergeTile(int rows, int cols, float[] t, int ldt, float[] c, int cIdx, int ldc, float beta) {
        for (int i = 0; i < rows; i++) {
            int cRow = cIdx + i * ldc;
            int tRow = i * ldt;
            if (beta == 0f) {
                copyRun(cols, t, tRow, c, cRow);
            } else if (beta == 1f) {
                addRun(cols, t, tRow, c, cRow);
            } else {
                for (int j = 0; j < cols; j++) {
                    c[cRow + j] = beta * c[cRow + j] + t[tRow + j];
                }
            }
        }
    }

    /*
     * The micro-kernels below store their accumulators straight after the loop, with no branch in
     * between: a vector reassigned in a branch (say "if (beta != 0) c00 = c00.add(...)") meets its other
     * value at a join point, where C2 can lose its exact type; the store is then not intrinsified and
     * every vector of the kernel boxed. Whether that happened depended on the branch profile at compile
     * time: runs of the same program were 3x apart. Beta, bias and partial tiles are the callers' job.
     */

    // T (8 rows, 3L) at (c, cIdx, ldc) = Ap (kc, 8) * Bp (kc, 3L): all 8 rows are written, nothing is read
    private static void kernel8x3(int kc, float[] ap, int aIdx, float[] bp, int bIdx, int bStride,
                                  float[] c, int cIdx, int ldc) {
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
    private static void kernel8x2(int kc, float[] ap, int aIdx, float[] bp, int bIdx, int bStride,
                                  float[] c, int cIdx, int ldc) {
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
    private static void kernel8x1(int kc, float[] ap, int aIdx, float[] bp, int bIdx, int bStride,
                                  float[] c, int cIdx, int ldc) {
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
    private static void kernel6x2(int kc, float[] ap, int aIdx, float[] bp, int bIdx, int bStride,
                                  float[] c, int cIdx, int ldc) {
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
    private static void kernel6x1(int kc, float[] ap, int aIdx, float[] bp, int bIdx, int bStride,
                                  float[] c, int cIdx, int ldc) {
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


    /*
     * C (m, n) = alpha * A (m, k) * B^T + beta * C where B is stored (n, k): every output is a dot
     * product of two contiguous rows. Blocks of 3 or 4 rows of A by 4 rows of B share their loads (7 or 8
     * vector loads per 12 or 16 FMAs); k is cut into chunks so a block's rows stay in L2 while all blocks
     * visit them.
     */
    private void gemmDot(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                         float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        // Blocks of 3 or 4 rows of A, whichever pads m less (6 conv1 channels: 3; 16 conv2 channels: 4).
        int ra = (m + 3) / 4 * 4 - m <= (m + 2) / 3 * 3 - m ? 4 : 3;
        GemmWorkspace ws = workspace.get();
        float[] sums = ws.sums;
        for (int p0 = 0; p0 < k; p0 += KernelTuning.DOT_KC) {
            int len = Math.min(KernelTuning.DOT_KC, k - p0);
            float betaChunk = p0 == 0 ? beta : 1f;
            for (int j = 0; j < n; j += 4) {
                int cols = Math.min(4, n - j);
                // Rows past the edge repeat the last real row: valid memory, results dropped below.
                int b0 = bOff + j * ldb + p0;
                int b1 = bOff + Math.min(j + 1, n - 1) * ldb + p0;
                int b2 = bOff + Math.min(j + 2, n - 1) * ldb + p0;
                int b3 = bOff + Math.min(j + 3, n - 1) * ldb + p0;
                for (int i = 0; i < m; i += ra) {
                    int rows = Math.min(ra, m - i);
                    int a0 = aOff + i * lda + p0;
                    int a1 = aOff + Math.min(i + 1, m - 1) * lda + p0;
                    int a2 = aOff + Math.min(i + 2, m - 1) * lda + p0;
                    int a3 = aOff + Math.min(i + 3, m - 1) * lda + p0;
                    if (len < L) {
                        dotShort(len, a, a0, a1, a2, a3, b, b0, b1, b2, b3, sums);
                    } else {
                        if (ra == 4) {
                            dot4x4(len, a, a0, a1, a2, a3, b, b0, b1, b2, b3, ws.tile);
                        } else {
                            dot3x4(len, a, a0, a1, a2, b, b0, b1, b2, b3, ws.tile);
                        }
                        foldPartialSums(ws.tile, sums);
                    }
                    for (int ii = 0; ii < rows; ii++) {
                        int cRow = cOff + (i + ii) * ldc + j;
                        for (int jj = 0; jj < cols; jj++) {
                            float s = alpha * sums[ii * 4 + jj];
                            c[cRow + jj] = betaChunk == 0f ? s : betaChunk * c[cRow + jj] + s;
                        }
                    }
                }
            }
        }
    }

    // sums[r*4 + q] = sum_p a[aR + p] * b[bQ + p] for p < len, a chunk shorter than a vector
    private static void dotShort(int len, float[] a, int a0, int a1, int a2, int a3,
                                 float[] b, int b0, int b1, int b2, int b3, float[] sums) {
        for (int r = 0; r < 4; r++) {
            int ar = r == 0 ? a0 : r == 1 ? a1 : r == 2 ? a2 : a3;
            for (int q = 0; q < 4; q++) {
                int bq = q == 0 ? b0 : q == 1 ? b1 : q == 2 ? b2 : b3;
                float s = 0f;
                for (int p = 0; p < len; p++) {
                    s += a[ar + p] * b[bq + p];
                }
                sums[r * 4 + q] = s;
            }
        }
    }

    // out[(r*4 + q)*L ..] = lane sums of a[aR + p] * b[bQ + p] over p < len (len >= L), r < 4, q < 4; rows r >= 4
    // are zeros. The horizontal sums are foldPartialSums'.
    private static void dot4x4(int len, float[] a, int a0, int a1, int a2, int a3,
                               float[] b, int b0, int b1, int b2, int b3, float[] out) {
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
        for (int p = 0; p < bound; p += L) {
            FloatVector y0 = FloatVector.fromArray(S, b, b0 + p);
            FloatVector y1 = FloatVector.fromArray(S, b, b1 + p);
            FloatVector y2 = FloatVector.fromArray(S, b, b2 + p);
            FloatVector y3 = FloatVector.fromArray(S, b, b3 + p);
            FloatVector x;
            x = FloatVector.fromArray(S, a, a0 + p);
            s00 = x.fma(y0, s00); s01 = x.fma(y1, s01); s02 = x.fma(y2, s02); s03 = x.fma(y3, s03);
            x = FloatVector.fromArray(S, a, a1 + p);
            s10 = x.fma(y0, s10); s11 = x.fma(y1, s11); s12 = x.fma(y2, s12); s13 = x.fma(y3, s13);
            x = FloatVector.fromArray(S, a, a2 + p);
            s20 = x.fma(y0, s20); s21 = x.fma(y1, s21); s22 = x.fma(y2, s22); s23 = x.fma(y3, s23);
            x = FloatVector.fromArray(S, a, a3 + p);
            s30 = x.fma(y0, s30); s31 = x.fma(y1, s31); s32 = x.fma(y2, s32); s33 = x.fma(y3, s33);
        }
        // Plain loads and a blend: masked loads measured several times slower on JDK 17 and 25.
        FloatVector y0 = zero.blend(FloatVector.fromArray(S, b, b0 + tail), fresh);
        FloatVector y1 = zero.blend(FloatVector.fromArray(S, b, b1 + tail), fresh);
        FloatVector y2 = zero.blend(FloatVector.fromArray(S, b, b2 + tail), fresh);
        FloatVector y3 = zero.blend(FloatVector.fromArray(S, b, b3 + tail), fresh);
        FloatVector x;
        x = FloatVector.fromArray(S, a, a0 + tail);
        s00 = x.fma(y0, s00); s01 = x.fma(y1, s01); s02 = x.fma(y2, s02); s03 = x.fma(y3, s03);
        x = FloatVector.fromArray(S, a, a1 + tail);
        s10 = x.fma(y0, s10); s11 = x.fma(y1, s11); s12 = x.fma(y2, s12); s13 = x.fma(y3, s13);
        x = FloatVector.fromArray(S, a, a2 + tail);
        s20 = x.fma(y0, s20); s21 = x.fma(y1, s21); s22 = x.fma(y2, s22); s23 = x.fma(y3, s23);
        x = FloatVector.fromArray(S, a, a3 + tail);
        s30 = x.fma(y0, s30); s31 = x.fma(y1, s31); s32 = x.fma(y2, s32); s33 = x.fma(y3, s33);
        s00.intoArray(out, 0 * L); s01.intoArray(out, 1 * L); s02.intoArray(out, 2 * L); s03.intoArray(out, 3 * L);
        s10.intoArray(out, 4 * L); s11.intoArray(out, 5 * L); s12.intoArray(out, 6 * L); s13.intoArray(out, 7 * L);
        s20.intoArray(out, 8 * L); s21.intoArray(out, 9 * L); s22.intoArray(out, 10 * L); s23.intoArray(out, 11 * L);
        s30.intoArray(out, 12 * L); s31.intoArray(out, 13 * L); s32.intoArray(out, 14 * L); s33.intoArray(out, 15 * L);
    }

    // out[(r*4 + q)*L ..] = lane sums of a[aR + p] * b[bQ + p] over p < len (len >= L), r < 3, q < 4; rows r >= 3
    // are zeros. The horizontal sums are foldPartialSums'.
    private static void dot3x4(int len, float[] a, int a0, int a1, int a2,
                               float[] b, int b0, int b1, int b2, int b3, float[] out) {
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S), s02 = FloatVector.zero(S), s03 = FloatVector.zero(S);
        FloatVector s10 = FloatVector.zero(S), s11 = FloatVector.zero(S), s12 = FloatVector.zero(S), s13 = FloatVector.zero(S);
        FloatVector s20 = FloatVector.zero(S), s21 = FloatVector.zero(S), s22 = FloatVector.zero(S), s23 = FloatVector.zero(S);
        int bound = S.loopBound(len);
        int tail = len - L;
        // The last, overlapping vector at len - L: only its lanes the body has not summed count. Always
        // taken (with no fresh lane when L divides len): a branch around it would merge vectors.
        VectorMask<Float> fresh = FloatVector.fromArray(S, LANE_INDEX, 0).compare(VectorOperators.GE, bound - tail);
        FloatVector zero = FloatVector.zero(S);
        for (int p = 0; p < bound; p += L) {
            FloatVector y0 = FloatVector.fromArray(S, b, b0 + p);
            FloatVector y1 = FloatVector.fromArray(S, b, b1 + p);
            FloatVector y2 = FloatVector.fromArray(S, b, b2 + p);
            FloatVector y3 = FloatVector.fromArray(S, b, b3 + p);
            FloatVector x;
            x = FloatVector.fromArray(S, a, a0 + p);
            s00 = x.fma(y0, s00); s01 = x.fma(y1, s01); s02 = x.fma(y2, s02); s03 = x.fma(y3, s03);
            x = FloatVector.fromArray(S, a, a1 + p);
            s10 = x.fma(y0, s10); s11 = x.fma(y1, s11); s12 = x.fma(y2, s12); s13 = x.fma(y3, s13);
            x = FloatVector.fromArray(S, a, a2 + p);
            s20 = x.fma(y0, s20); s21 = x.fma(y1, s21); s22 = x.fma(y2, s22); s23 = x.fma(y3, s23);
        }
        // Plain loads and a blend: masked loads measured several times slower on JDK 17 and 25.
        FloatVector y0 = zero.blend(FloatVector.fromArray(S, b, b0 + tail), fresh);
        FloatVector y1 = zero.blend(FloatVector.fromArray(S, b, b1 + tail), fresh);
        FloatVector y2 = zero.blend(FloatVector.fromArray(S, b, b2 + tail), fresh);
        FloatVector y3 = zero.blend(FloatVector.fromArray(S, b, b3 + tail), fresh);
        FloatVector x;
        x = FloatVector.fromArray(S, a, a0 + tail);
        s00 = x.fma(y0, s00); s01 = x.fma(y1, s01); s02 = x.fma(y2, s02); s03 = x.fma(y3, s03);
        x = FloatVector.fromArray(S, a, a1 + tail);
        s10 = x.fma(y0, s10); s11 = x.fma(y1, s11); s12 = x.fma(y2, s12); s13 = x.fma(y3, s13);
        x = FloatVector.fromArray(S, a, a2 + tail);
        s20 = x.fma(y0, s20); s21 = x.fma(y1, s21); s22 = x.fma(y2, s22); s23 = x.fma(y3, s23);
        s00.intoArray(out, 0 * L); s01.intoArray(out, 1 * L); s02.intoArray(out, 2 * L); s03.intoArray(out, 3 * L);
        s10.intoArray(out, 4 * L); s11.intoArray(out, 5 * L); s12.intoArray(out, 6 * L); s13.intoArray(out, 7 * L);
        s20.intoArray(out, 8 * L); s21.intoArray(out, 9 * L); s22.intoArray(out, 10 * L); s23.intoArray(out, 11 * L);
        zero.intoArray(out, 12 * L); zero.intoArray(out, 13 * L); zero.intoArray(out, 14 * L); zero.intoArray(out, 15 * L);
    }


    // ---------------------------------------------------------------- convolution, whole batches

    /*
     * Direct convolution (stride 1, no padding, 32-register file). Each output plane is computed on the
     * input's row stride W: output position q = oy*W + ox reads input position q + off[t] for tap
     * t = (c, ky, kx), off[t] = c*H*W + ky*W + kx, so every tap is one contiguous run shared by all output
     * channels, and nothing is copied into patch columns. A register tile holds MR output channels by NV
     * vectors of positions (6 x 4 or 8 x 3: 24 accumulators); per tap it loads NV input vectors and
     * broadcasts MR weights. Every vector is whole: with OW >= L, vectors run along each output row, the
     * last one shifted back to end at the row's end (recomputing a few outputs, identically); with OW < L,
     * along the "wide" plane (rows of W, the last W - OW columns of each junk) into a scratch plane whose
     * valid columns are then copied to y. The naive loop, for reference:
     *   for n, o, oy, ox: y[n, o, oy, ox] = bias[o] + sum_{c, ky, kx} w[o, c, ky, kx] * x[n, c, oy + ky, ox + kx]
     *
     * Backward, a slice of images at a time (sized for L2), the output gradient (through the ReLU mask)
     * is expanded onto the input's row stride with zero junk columns and KH zero rows above and below
     * (plane stride PS = (H + KH) * W). Then
     *   dw[o, t] += sum_n sum_q gy[n, o, q] * x[n, q + off[t]]        dot products along q, as gemmDot,
     *                                                                   accumulated over the slice in registers
     *   dx[n, c, q] = sum_{o, ky, kx} w[o, c, ky, kx] * gyPadded[n, o, q + (KH - ky)*W - kx]
     * the second being the forward kernel again on the padded gradient, with the weights transposed and
     * flipped: a tap reaching past a row's edge lands on a junk column or a padding row, which hold zeros.
     *
     * Other geometries (stride > 1, padding), tiny planes and the 16-register file use the lowered path:
     * per image im2col and GEMM, as in the reference formulation cols = im2col(x), y = W * cols + b.
     */

    @Override
    public void convForward(ConvGeometry g, int outChannels, int images,
                            float[] w, int wOff, float[] bias, int biasOff, boolean relu,
                            float[] x, int xOff, float[] y, int yOff) {
        if (images <= 0) {
            return;
        }
        ConvWorkspace ws = convWorkspace.get();
        if (!directConvolution(g)) {
            convForwardLowered(ws, g, outChannels, images, w, wOff, bias, biasOff, relu, x, xOff, y, yOff);
            return;
        }
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
            widePositions(ws.positions, ws.destinations, vectors, wide);
            ws.wide = ConvWorkspace.atLeast(ws.wide, outChannels * wide);
        }
        boolean six = sixByFour(outChannels);
        packWeights(ws, w, wOff, outChannels, taps, six ? 6 : 8);
        ws.tile = ConvWorkspace.atLeast(ws.tile, 24 * L);
        // Loops in small methods from here on: a long loop running before the JIT has compiled its method
        // gets an extra on-stack-replacement compilation of that method, several times the cost of a
        // normal one for vector code, and C2's time is what a run waits for at its start.
        for (int n = 0; n < images; n++) {
            convForwardImage(ws, g, outChannels, six, vectors, rowwise, bias, biasOff, relu,
                    x, xOff + n * g.inputSize(), y, yOff + n * outChannels * oh * ow);
        }
    }

    // y_n = conv(x_n) + bias (+ ReLU) for one image, the positions and weights prepared in ws
    private void convForwardImage(ConvWorkspace ws, ConvGeometry g, int outChannels, boolean six, int vectors,
                                  boolean rowwise, float[] bias, int biasOff, boolean relu,
                                  float[] x, int xImage, float[] y, int yImage) {
        int taps = g.patchSize();
        int outPlane = g.outPixels();
        int wide = wideLength(g);
        int mr = six ? 6 : 8;
        float[] dest = rowwise ? y : ws.wide;
        int destImage = rowwise ? yImage : 0;
        int ld = rowwise ? outPlane : wide;
        for (int o0 = 0; o0 < outChannels; o0 += mr) {
            convTiles(six, taps, ws.weights, o0 * taps, ws.taps, x, xImage, ws.positions, ws.destinations, vectors,
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
    private static void tapOffsets(ConvWorkspace ws, ConvGeometry g) {
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

    // vectors along a plane of `length` positions, the last one shifted back to end with it
    private static void widePositions(int[] pos, int[] dst, int vectors, int length) {
        for (int k = 0; k < vectors; k++) {
            pos[k] = Math.min(k * L, length - L);
            dst[k] = pos[k];
        }
    }

    /**
     * All tiles of one block of rows (output channels): groups of nv position vectors through the 6 x 4 or
     * 8 x 3 kernel, then any vectors left over one at a time through the 6 x 1 or 8 x 1 kernel. A partial
     * block (rows < MR) is computed into the tile, whose valid rows are then copied.
     */
    private static void convTiles(boolean six, int taps, float[] wp, int wIdx, int[] off, float[] x, int xBase,
                                  int[] pos, int[] dst, int vectors, float[] y, int yBase, int ldy, int rows,
                                  float[] tile) {
        int mr = six ? 6 : 8;
        int nv = six ? 4 : 3;
        int k = 0;
        for (; k + nv <= vectors; k += nv) {
            if (six) {
                conv6x4(taps, wp, wIdx, off, x, xBase, pos, dst, k, y, yBase, ldy, rows, tile);
            } else {
                conv8x3(taps, wp, wIdx, off, x, xBase, pos, dst, k, y, yBase, ldy, rows, tile);
            }
            if (rows < mr) {
                copyTileRows(rows, nv, tile, dst, k, y, yBase, ldy);
            }
        }
        for (; k < vectors; k++) {
            if (six) {
                conv6x1(taps, wp, wIdx, off, x, xBase, pos, dst, k, y, yBase, ldy, rows, tile);
            } else {
                conv8x1(taps, wp, wIdx, off, x, xBase, pos, dst, k, y, yBase, ldy, rows, tile);
            }
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

    // y[yi : yi+n] += b, then max(y, 0) (NaN passing) when relu: one loop per case, no vector merged at a join
    private static void addBiasRelu(int n, float b, boolean relu, float[] y, int yi) {
        FloatVector zero = FloatVector.zero(S);
        int bound = S.loopBound(n);
        int i = 0;
        if (relu) {
            for (; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, y, yi + i).add(b);
                v.blend(zero, v.compare(VectorOperators.LE, 0f)).intoArray(y, yi + i);
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

    @Override
    public void convBackward(ConvGeometry g, int outChannels, int images,
                             float[] x, int xOff, float[] w, int wOff, float[] y, int yOff, float[] dy, int dyOff,
                             float[] dw, int dwOff, float[] db, int dbOff, float[] dx, int dxOff) {
        if (images <= 0) {
            return;
        }
        ConvWorkspace ws = convWorkspace.get();
        if (!directConvolution(g)) {
            convBackwardLowered(ws, g, outChannels, images, x, xOff, w, wOff, y, yOff, dy, dyOff, dw, dwOff, db, dbOff,
                    dx, dxOff);
            return;
        }
        int width = g.width();
        int kh = g.kernelH();
        int inPlane = g.height() * width;
        // One expanded gradient plane: KH zero rows above and below only when dx reads them.
        int top = dx == null ? 0 : kh * width;
        int planeStride = dx == null ? g.outH() * width : (g.height() + kh) * width;
        int imageStride = outChannels * planeStride;
        int slice = Math.max(1, Math.min(images, KernelTuning.CONV_SLICE_FLOATS / imageStride));
        ws.expanded = ConvWorkspace.atLeast(ws.expanded, slice * imageStride + L);   // + L: see expandGradient
        ws.partial = ConvWorkspace.atLeast(ws.partial, 16 * L);
        ws.tile = ConvWorkspace.atLeast(ws.tile, 24 * L);
        tapOffsets(ws, g);
        // The input gradient: rows are input channels, taps (o, ky, kx) read the padded gradient.
        boolean six = sixByFour(g.channels());
        int vectors = (inPlane + L - 1) / L;
        if (dx != null) {
            placeVectors(ws, vectors);
            widePositions(ws.positions, ws.destinations, vectors, inPlane);
            flippedTapOffsets(ws, g, outChannels, planeStride);
            packFlippedWeights(ws, w, wOff, outChannels, g.channels(), kh * g.kernelW(), six ? 6 : 8);
        }
        for (int n0 = 0; n0 < images; n0 += slice) {
            int count = Math.min(slice, images - n0);
            int outAt = n0 * outChannels * g.outPixels();
            expandGradient(ws, g, outChannels, count, y, y == null ? 0 : yOff + outAt, dy, dyOff + outAt, planeStride, top);
            convWeightGradient(ws, g, outChannels, count, x, xOff + n0 * g.inputSize(), ws.taps, imageStride, planeStride,
                    top, wideLength(g), dw, dwOff);
            convBiasGradient(ws.expanded, count, outChannels, imageStride, planeStride, top, wideLength(g), db, dbOff);
            if (dx != null) {
                convInputGradient(ws, g, outChannels, count, six, vectors, imageStride, dx, dxOff + n0 * g.inputSize());
            }
        }
    }

    // db[o] += sum of the slice's expanded gradient rows of channel o (zeros in the junk columns)
    private void convBiasGradient(float[] e, int count, int outChannels, int imageStride, int planeStride, int top,
                                  int len, float[] db, int dbOff) {
        for (int o = 0; o < outChannels; o++) {
            float s = 0f;
            for (int n = 0; n < count; n++) {
                s += sum(len, e, n * imageStride + o * planeStride + top);
            }
            db[dbOff + o] += s;
        }
    }

    // dx of the slice's images: the forward tiles on the padded gradient with the flipped weights
    private static void convInputGradient(ConvWorkspace ws, ConvGeometry g, int outChannels, int count, boolean six,
                                          int vectors, int imageStride, float[] dx, int dxSlice) {
        int mr = six ? 6 : 8;
        int inPlane = g.height() * g.width();
        int flippedTaps = outChannels * g.kernelH() * g.kernelW();
        for (int n = 0; n < count; n++) {
            int dxImage = dxSlice + n * g.inputSize();
            for (int c0 = 0; c0 < g.channels(); c0 += mr) {
                convTiles(six, flippedTaps, ws.weights, c0 * flippedTaps, ws.flippedTaps, ws.expanded, n * imageStride,
                        ws.positions, ws.destinations, vectors, dx, dxImage + c0 * inPlane, inPlane,
                        Math.min(mr, g.channels() - c0), ws.tile);
            }
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

    /** Whether the direct kernels apply: stride 1, no padding, whole vectors fit, 32 vector registers. */
    private boolean directConvolution(ConvGeometry g) {
        return wideRegisterFile && g.strideH() == 1 && g.strideW() == 1 && g.padH() == 0 && g.padW() == 0
                && wideLength(g) >= L && g.height() * g.width() >= L;
    }

    /** Positions of an output plane laid on the input's row stride, up to and including the last valid one. */
    private static int wideLength(ConvGeometry g) {
        return (g.outH() - 1) * g.width() + g.outW();
    }

    /** Whether 6-row tiles waste fewer multiply-adds than 8-row ones on these rows (zero rows padding a block). */
    private static boolean sixByFour(int rows) {
        return (rows + 5) / 6 * 6 < (rows + 7) / 8 * 8;
    }

    /** Sizes the position lists for this many vectors. */
    private static void placeVectors(ConvWorkspace ws, int vectors) {
        ws.positions = ConvWorkspace.atLeast(ws.positions, vectors);
        ws.destinations = ConvWorkspace.atLeast(ws.destinations, vectors);
    }

    // w: (rows, taps) → weights: per block of mr rows, (taps, mr) row-major; rows past the end are zeros
    private static void packWeights(ConvWorkspace ws, float[] w, int wOff, int rows, int taps, int mr) {
        int blocks = (rows + mr - 1) / mr;
        ws.weights = ConvWorkspace.atLeast(ws.weights, blocks * mr * taps);
        float[] wp = ws.weights;
        for (int r0 = 0; r0 < blocks * mr; r0 += mr) {
            int base = r0 * taps;
            for (int t = 0; t < taps; t++) {
                for (int r = 0; r < mr; r++) {
                    int row = r0 + r;
                    wp[base + t * mr + r] = row < rows ? w[wOff + row * taps + t] : 0f;
                }
            }
        }
    }

    // w: (Cout, C, K) → weights for the input gradient: per block of mr input channels c, (Cout*K, mr) with
    // entry [(o, k), r] = w[o, c0 + r, k] (the flip lives in the tap offsets); channels past C are zeros
    private static void packFlippedWeights(ConvWorkspace ws, float[] w, int wOff, int outChannels, int channels,
                                           int kernel, int mr) {
        int blocks = (channels + mr - 1) / mr;
        int taps = outChannels * kernel;
        ws.weights = ConvWorkspace.atLeast(ws.weights, blocks * mr * taps);
        float[] wp = ws.weights;
        for (int c0 = 0; c0 < blocks * mr; c0 += mr) {
            int base = c0 * taps;
            for (int o = 0; o < outChannels; o++) {
                for (int k = 0; k < kernel; k++) {
                    int t = o * kernel + k;
                    for (int r = 0; r < mr; r++) {
                        int c = c0 + r;
                        wp[base + t * mr + r] = c < channels ? w[wOff + (o * channels + c) * kernel + k] : 0f;
                    }
                }
            }
        }
    }

    // gy of `count` images (Cout, OH, OW), masked by the ReLU output y when given → expanded[n, o] planes of
    // planeStride floats, row oy at top + oy*W holding gy[n, o, oy, 0 : OW] then zeros; zeros elsewhere
    private void expandGradient(ConvWorkspace ws, ConvGeometry g, int outChannels, int count,
                                float[] y, int yOff, float[] dy, int dyOff, int planeStride, int top) {
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
                    for (int ox = 0; ox < ow; ox += L) {
                        int valid = ow - ox;
                        if (s + ox + L <= dy.length && (y == null || m + ox + L <= y.length)) {
                            VectorMask<Float> keep = lane.compare(VectorOperators.LT, valid);
                            if (y == null) {
                                zero.blend(FloatVector.fromArray(S, dy, s + ox), keep).intoArray(e, d + ox);
                            } else {
                                keep = keep.and(FloatVector.fromArray(S, y, m + ox).compare(VectorOperators.GT, 0f));
                                zero.blend(FloatVector.fromArray(S, dy, s + ox), keep).intoArray(e, d + ox);
                            }
                        } else {
                            // The end of dy or y: element by element, zeros up to the row's end.
                            for (int i = ox; i < Math.min(ox + L, width); i++) {
                                e[d + i] = i < ow && (y == null || y[m + i] > 0f) ? dy[s + i] : 0f;
                            }
                        }
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
    private void convWeightGradient(ConvWorkspace ws, ConvGeometry g, int outChannels, int count, float[] x, int xSlice,
                                    int[] off, int imageStride, int planeStride, int rowStart, int len,
                                    float[] dw, int dwOff) {
        int taps = g.patchSize();
        // Blocks of 3 or 4 output channels, whichever pads less (6 channels: 3; 16: 4).
        int ra = (outChannels + 3) / 4 * 4 - outChannels <= (outChannels + 2) / 3 * 3 - outChannels ? 4 : 3;
        float[] e = ws.expanded;
        float[] sums = ws.sums;
        for (int o0 = 0; o0 < outChannels; o0 += ra) {
            int rows = Math.min(ra, outChannels - o0);
            // Rows past the edge repeat the last real one: valid memory, results dropped below.
            int a0 = o0 * planeStride + rowStart;
            int a1 = Math.min(o0 + 1, outChannels - 1) * planeStride + rowStart;
            int a2 = Math.min(o0 + 2, outChannels - 1) * planeStride + rowStart;
            int a3 = Math.min(o0 + 3, outChannels - 1) * planeStride + rowStart;
            for (int t0 = 0; t0 < taps; t0 += 4) {
                int cols = Math.min(4, taps - t0);
                int b0 = xSlice + off[t0];
                int b1 = xSlice + off[Math.min(t0 + 1, taps - 1)];
                int b2 = xSlice + off[Math.min(t0 + 2, taps - 1)];
                int b3 = xSlice + off[Math.min(t0 + 3, taps - 1)];
                if (ra == 4) {
                    dotImages4x4(count, len, e, imageStride, a0, a1, a2, a3, x, g.inputSize(), b0, b1, b2, b3, ws.partial);
                } else {
                    dotImages3x4(count, len, e, imageStride, a0, a1, a2, x, g.inputSize(), b0, b1, b2, b3, ws.partial);
                }
                foldPartialSums(ws.partial, sums);
                for (int r = 0; r < rows; r++) {
                    int row = dwOff + (o0 + r) * taps + t0;
                    for (int q = 0; q < cols; q++) {
                        dw[row + q] += sums[r * 4 + q];
                    }
                }
            }
        }
    }

    // partial: 16 vectors, accumulator i at [i*L, i*L + L) → sums[i] = the sum of its lanes
    private static void foldPartialSums(float[] partial, float[] sums) {
        FloatVector s00 = FloatVector.fromArray(S, partial, 0), s01 = FloatVector.fromArray(S, partial, L);
        FloatVector s02 = FloatVector.fromArray(S, partial, 2 * L), s03 = FloatVector.fromArray(S, partial, 3 * L);
        FloatVector s10 = FloatVector.fromArray(S, partial, 4 * L), s11 = FloatVector.fromArray(S, partial, 5 * L);
        FloatVector s12 = FloatVector.fromArray(S, partial, 6 * L), s13 = FloatVector.fromArray(S, partial, 7 * L);
        FloatVector s20 = FloatVector.fromArray(S, partial, 8 * L), s21 = FloatVector.fromArray(S, partial, 9 * L);
        FloatVector s22 = FloatVector.fromArray(S, partial, 10 * L), s23 = FloatVector.fromArray(S, partial, 11 * L);
        FloatVector s30 = FloatVector.fromArray(S, partial, 12 * L), s31 = FloatVector.fromArray(S, partial, 13 * L);
        FloatVector s32 = FloatVector.fromArray(S, partial, 14 * L), s33 = FloatVector.fromArray(S, partial, 15 * L);
        // The dot kernels' butterfly (see dot4x4): 16 vectors fold into 16 / L vectors of complete sums.
        if (L >= 2) {
            s00 = s00.blend(s01, UPPER_1).add(s01.blend(s00, UPPER_1).rearrange(SWAP_1));
            s02 = s02.blend(s03, UPPER_1).add(s03.blend(s02, UPPER_1).rearrange(SWAP_1));
            s10 = s10.blend(s11, UPPER_1).add(s11.blend(s10, UPPER_1).rearrange(SWAP_1));
            s12 = s12.blend(s13, UPPER_1).add(s13.blend(s12, UPPER_1).rearrange(SWAP_1));
            s20 = s20.blend(s21, UPPER_1).add(s21.blend(s20, UPPER_1).rearrange(SWAP_1));
            s22 = s22.blend(s23, UPPER_1).add(s23.blend(s22, UPPER_1).rearrange(SWAP_1));
            s30 = s30.blend(s31, UPPER_1).add(s31.blend(s30, UPPER_1).rearrange(SWAP_1));
            s32 = s32.blend(s33, UPPER_1).add(s33.blend(s32, UPPER_1).rearrange(SWAP_1));
        }
        if (L >= 4) {
            s00 = s00.blend(s02, UPPER_2).add(s02.blend(s00, UPPER_2).rearrange(SWAP_2));
            s10 = s10.blend(s12, UPPER_2).add(s12.blend(s10, UPPER_2).rearrange(SWAP_2));
            s20 = s20.blend(s22, UPPER_2).add(s22.blend(s20, UPPER_2).rearrange(SWAP_2));
            s30 = s30.blend(s32, UPPER_2).add(s32.blend(s30, UPPER_2).rearrange(SWAP_2));
        }
        if (L >= 8) {
            s00 = s00.blend(s10, UPPER_3).add(s10.blend(s00, UPPER_3).rearrange(SWAP_3));
            s20 = s20.blend(s30, UPPER_3).add(s30.blend(s20, UPPER_3).rearrange(SWAP_3));
        }
        if (L >= 16) {
            s00 = s00.blend(s20, UPPER_4).add(s20.blend(s00, UPPER_4).rearrange(SWAP_4));
        }
        s00.intoArray(partial, 0);
        if (L == 8) {
            s20.intoArray(partial, L);
        } else if (L == 4) {
            s10.intoArray(partial, L);
            s20.intoArray(partial, 2 * L);
            s30.intoArray(partial, 3 * L);
        } else if (L == 2) {
            s02.intoArray(partial, L);
            s10.intoArray(partial, 2 * L);
            s12.intoArray(partial, 3 * L);
            s20.intoArray(partial, 4 * L);
            s22.intoArray(partial, 5 * L);
            s30.intoArray(partial, 6 * L);
            s32.intoArray(partial, 7 * L);
        }
        for (int i = 0; i < 16; i++) {
            sums[i] = partial[SUM_SLOT[i]];
        }
    }

    // The lowered path: per image, cols = im2col(x_n) and y_n = W * cols + b (then the ReLU)
    private void convForwardLowered(ConvWorkspace ws, ConvGeometry g, int outChannels, int images,
                                    float[] w, int wOff, float[] bias, int biasOff, boolean relu,
                                    float[] x, int xOff, float[] y, int yOff) {
        int patch = g.patchSize();
        int pixels = g.outPixels();
        ws.cols = ConvWorkspace.atLeast(ws.cols, patch * pixels);
        for (int n = 0; n < images; n++) {
            int yImage = yOff + n * outChannels * pixels;
            im2col(g, x, xOff + n * g.inputSize(), ws.cols, 0, pixels);
            sgemm(false, false, outChannels, pixels, patch, 1f, w, wOff, patch, ws.cols, 0, pixels, 0f, y, yImage, pixels);
            addRowBias(outChannels, pixels, bias, biasOff, y, yImage, pixels);
            if (relu) {
                reluForward(outChannels * pixels, y, yImage, y, yImage);
            }
        }
    }

    // The lowered backward, per image: dW += gy * cols^T, db += row sums of gy, dx = col2im(W^T * gy)
    private void convBackwardLowered(ConvWorkspace ws, ConvGeometry g, int outChannels, int images,
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
            sgemm(false, true, outChannels, patch, pixels, 1f, gy, gyOff, pixels, ws.cols, 0, pixels, 1f, dw, dwOff, patch);
            sumRows(outChannels, pixels, gy, gyOff, pixels, db, dbOff);
            if (dx != null) {
                int dxImage = dxOff + n * g.inputSize();
                sgemm(true, false, patch, pixels, outChannels, 1f, w, wOff, patch, gy, gyOff, pixels, 0f, ws.cols, 0, pixels);
                Arrays.fill(dx, dxImage, dxImage + g.inputSize(), 0f);
                col2im(g, ws.cols, 0, pixels, dx, dxImage);
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

    // out[(r*4 + q)*L ..] = lane sums of a[aR + n*aStride + p] * b[bQ + n*bStride + p] over images n and p < len
    // (len >= L), r < 4, q < 4; rows r >= 4 are zeros. The horizontal sums are foldPartialSums'.
    private static void dotImages4x4(int images, int len, float[] a, int aStride, int a0, int a1, int a2, int a3,
                                      float[] b, int bStride, int b0, int b1, int b2, int b3, float[] out) {
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
    // (len >= L), r < 3, q < 4; rows r >= 3 are zeros. The horizontal sums are foldPartialSums'.
    private static void dotImages3x4(int images, int len, float[] a, int aStride, int a0, int a1, int a2,
                                      float[] b, int bStride, int b0, int b1, int b2, int b3, float[] out) {
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
        zero.intoArray(out, 12 * L); zero.intoArray(out, 13 * L); zero.intoArray(out, 14 * L); zero.intoArray(out, 15 * L);
    }


    // ---------------------------------------------------------------- convolution lowering

    @Override
    public void im2col(ConvGeometry g, float[] x, int xOff, float[] cols, int colsOff, int ldCols) {
        // x: (C, H, W) → cols: (C*KH*KW, OH*OW); cols[(c, ky, kx), (oy, ox)] = x[c, oy*sh - ph + ky, ox*sw - pw + kx]
        int h = g.height();
        int w = g.width();
        int oh = g.outH();
        int ow = g.outW();
        int sw = g.strideW();
        for (int ch = 0; ch < g.channels(); ch++) {
            int plane = xOff + ch * h * w;
            for (int ky = 0; ky < g.kernelH(); ky++) {
                for (int kx = 0; kx < g.kernelW(); kx++) {
                    int dst = colsOff + ((ch * g.kernelH() + ky) * g.kernelW() + kx) * ldCols;
                    // The output columns reading inside the image form one run [lo, hi); the rest is padding.
                    int lo = firstInside(g.padW() - kx, sw, ow);
                    int hi = Math.max(lo, endInside(w - 1 + g.padW() - kx, sw, ow));
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * g.strideH() - g.padH() + ky;
                        int d = dst + oy * ow;
                        if (iy < 0 || iy >= h) {
                            Arrays.fill(cols, d, d + ow, 0f);
                            continue;
                        }
                        Arrays.fill(cols, d, d + lo, 0f);
                        int src = plane + iy * w + lo * sw - g.padW() + kx;
                        if (sw == 1) {
                            copyRun(hi - lo, x, src, cols, d + lo);
                        } else {
                            for (int ox = lo; ox < hi; ox++) {
                                cols[d + ox] = x[src + (ox - lo) * sw];
                            }
                        }
                        Arrays.fill(cols, d + hi, d + ow, 0f);
                    }
                }
            }
        }
    }

    @Override
    public void col2im(ConvGeometry g, float[] cols, int colsOff, int ldCols, float[] x, int xOff) {
        // cols: (C*KH*KW, OH*OW) → x: (C, H, W), x[c, oy*sh - ph + ky, ox*sw - pw + kx] += cols[(c, ky, kx), (oy, ox)]
        int h = g.height();
        int w = g.width();
        int oh = g.outH();
        int ow = g.outW();
        int sw = g.strideW();
        for (int ch = 0; ch < g.channels(); ch++) {
            int plane = xOff + ch * h * w;
            for (int ky = 0; ky < g.kernelH(); ky++) {
                for (int kx = 0; kx < g.kernelW(); kx++) {
                    int src = colsOff + ((ch * g.kernelH() + ky) * g.kernelW() + kx) * ldCols;
                    int lo = firstInside(g.padW() - kx, sw, ow);
                    int hi = Math.max(lo, endInside(w - 1 + g.padW() - kx, sw, ow));
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * g.strideH() - g.padH() + ky;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        int s = src + oy * ow;
                        int dst = plane + iy * w + lo * sw - g.padW() + kx;
                        if (sw == 1) {
                            addRun(hi - lo, cols, s + lo, x, dst);
                        } else {
                            for (int ox = lo; ox < hi; ox++) {
                                x[dst + (ox - lo) * sw] += cols[s + ox];
                            }
                        }
                    }
                }
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

    // dst[d : d+n] = src[s : s+n]
    private static void copyRun(int n, float[] src, int s, float[] dst, int d) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, src, s + i).intoArray(dst, d + i);
        }
        for (; i < n; i++) {
            dst[d + i] = src[s + i];
        }
    }

    // y[yi : yi+n] += x[xi : xi+n]
    private static void addRun(int n, float[] x, int xi, float[] y, int yi) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, y, yi + i).add(FloatVector.fromArray(S, x, xi + i)).intoArray(y, yi + i);
        }
        for (; i < n; i++) {
            y[yi + i] += x[xi + i];
        }
    }

    // x[xi : xi+n] = 0
    private static void zeroRun(int n, float[] x, int xi) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            zero.intoArray(x, xi + i);
        }
        for (; i < n; i++) {
            x[xi + i] = 0f;
        }
    }

    // x[xi : xi+n] *= alpha
    private static void scaleRun(int n, float alpha, float[] x, int xi) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xi + i).mul(alpha).intoArray(x, xi + i);
        }
        for (; i < n; i++) {
            x[xi + i] *= alpha;
        }
    }

    // ---------------------------------------------------------------- bias, activation

    @Override
    public void addRowBias(int rows, int cols, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        // c: (rows, cols) += bias (rows) broadcast along each row
        for (int i = 0; i < rows; i++) {
            float b = bias[biasOff + i];
            int row = cOff + i * ldc;
            int j = 0;
            for (int bound = S.loopBound(cols); j < bound; j += L) {
                FloatVector.fromArray(S, c, row + j).add(b).intoArray(c, row + j);
            }
            for (; j < cols; j++) {
                c[row + j] += b;
            }
        }
    }

    @Override
    public void addColumnBias(int rows, int cols, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        // c: (rows, cols) += bias (cols) on every row
        for (int i = 0; i < rows; i++) {
            addRun(cols, bias, biasOff, c, cOff + i * ldc);
        }
    }

    @Override
    public void reluForward(int n, float[] x, int xOff, float[] y, int yOff) {
        // y (n) = max(x, 0); "x <= 0" is false for NaN, so NaN passes through as in the reference
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            v.blend(zero, v.compare(VectorOperators.LE, 0f)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            float v = x[xOff + i];
            y[yOff + i] = v > 0f || v != v ? v : 0f;
        }
    }

    @Override
    public void reluBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        // dx (n) = y > 0 ? dy : 0
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMask<Float> positive = FloatVector.fromArray(S, y, yOff + i).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(S, dy, dyOff + i), positive).intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) {
            dx[dxOff + i] = y[yOff + i] > 0f ? dy[dyOff + i] : 0f;
        }
    }

    // ---------------------------------------------------------------- pooling

    /**
     * LeNet's 2x2 windows at stride 2 are vectorised along each output row: two vectors of an input row
     * hold L windows' left and right columns interleaved, which lane shuffles separate (single-vector
     * shuffles and a blend: JDK 17 does not compile the two-vector form, nor gathers, to vector code).
     * Then the reference's comparisons in its order, as lane masks, so maxima, argmax, ties and NaN are
     * identical. A row shorter than a vector (LeNet's 14 and 5) is stored whole, its extra lanes landing
     * on the following rows, which are written afterwards; where that or a read would leave the arrays or
     * the output, a window at a time. This replaced unpredictable branches, which cost more than the rest
     * of the pooling. Other windows use the reference.
     */
    @Override
    public void maxPoolForward(int planes, int height, int width, int kernel, int stride,
                               float[] x, int xOff, float[] y, int yOff, int[] argmax, int argOff) {
        if (kernel != 2 || stride != 2) {
            ScalarKernels.INSTANCE.maxPoolForward(planes, height, width, kernel, stride, x, xOff, y, yOff, argmax, argOff);
            return;
        }
        maxPool2x2(planes, height, width, x, xOff, y, yOff, argmax, argOff);
    }

    // x: (planes, H, W) → y, argmax: (planes, H/2, W/2); one loop nest, so the shuffles and masks stay in registers
    private static void maxPool2x2(int planes, int height, int width, float[] x, int xOff,
                                   float[] y, int yOff, int[] argmax, int argOff) {
        int oh = height / 2;
        int ow = width / 2;
        int outEnd = planes * oh * ow;   // relative to yOff and argOff
        for (int p = 0; p < planes; p++) {
            for (int oy = 0; oy < oh; oy++) {
                int top = p * height * width + 2 * oy * width;   // relative to xOff
                int out = (p * oh + oy) * ow;
                for (int ox = 0; ox < ow; ox += L) {
                    int at = ow >= L ? Math.min(ox, ow - L) : 0;
                    int t = top + 2 * at;
                    if (xOff + t + width + 2 * L > x.length || out + at + L > outEnd) {
                        for (int o = at; o < Math.min(ow, at + L); o++) {
                            maxPool2x2Window(x, xOff, top + 2 * o, width, y, yOff + out + o, argmax, argOff + out + o);
                        }
                        continue;
                    }
                    // y[j], argmax[j] for the L windows at x[xOff + t + 2j]: de-interleave their columns
                    int i = xOff + t;
                    FloatVector lo = FloatVector.fromArray(S, x, i);
                    FloatVector hi = FloatVector.fromArray(S, x, i + L);
                    FloatVector p00 = lo.rearrange(EVEN_LOW).blend(hi.rearrange(EVEN_HIGH), UPPER_1);
                    FloatVector p01 = lo.rearrange(ODD_LOW).blend(hi.rearrange(ODD_HIGH), UPPER_1);
                    lo = FloatVector.fromArray(S, x, i + width);
                    hi = FloatVector.fromArray(S, x, i + width + L);
                    FloatVector p10 = lo.rearrange(EVEN_LOW).blend(hi.rearrange(EVEN_HIGH), UPPER_1);
                    FloatVector p11 = lo.rearrange(ODD_LOW).blend(hi.rearrange(ODD_HIGH), UPPER_1);
                    // window order (0,0), (0,1), (1,0), (1,1); take v when v > max, or v is NaN and max is not
                    // (NaN tested as x != x: test(IS_NAN) and andNot are not compiled to vector code on JDK 17)
                    // loaded here, not once before the loops: a vector live across the loop nest was boxed once
                    // per call (-prof gc: 80 B per call at batch 120)
                    IntVector first = IntVector.fromArray(I, TWICE_LANE, 0).add(t);
                    FloatVector max = p00;
                    IntVector best = first;
                    VectorMask<Float> take = p01.compare(VectorOperators.GT, max)
                            .or(p01.compare(VectorOperators.NE, p01).and(max.compare(VectorOperators.EQ, max)));
                    max = max.blend(p01, take);
                    best = best.blend(first.add(1), take.cast(I));
                    take = p10.compare(VectorOperators.GT, max)
                            .or(p10.compare(VectorOperators.NE, p10).and(max.compare(VectorOperators.EQ, max)));
                    max = max.blend(p10, take);
                    best = best.blend(first.add(width), take.cast(I));
                    take = p11.compare(VectorOperators.GT, max)
                            .or(p11.compare(VectorOperators.NE, p11).and(max.compare(VectorOperators.EQ, max)));
                    max = max.blend(p11, take);
                    best = best.blend(first.add(width + 1), take.cast(I));
                    max.intoArray(y, yOff + out + at);
                    best.intoArray(argmax, argOff + out + at);
                }
            }
        }
    }

    // one 2x2 window at x[xOff + i] (i relative to xOff), compared as the reference does
    private static void maxPool2x2Window(float[] x, int xOff, int i, int width, float[] y, int yi, int[] argmax, int ai) {
        float max = x[xOff + i];
        int best = i;
        float v = x[xOff + i + 1];
        if (v > max || (v != v && max == max)) {
            max = v;
            best = i + 1;
        }
        v = x[xOff + i + width];
        if (v > max || (v != v && max == max)) {
            max = v;
            best = i + width;
        }
        v = x[xOff + i + width + 1];
        if (v > max || (v != v && max == max)) {
            max = v;
            best = i + width + 1;
        }
        y[yi] = max;
        argmax[ai] = best;
    }

    /** A scatter through argmax: nothing for vectors to gain. */
    @Override
    public void maxPoolBackward(int n, float[] dy, int dyOff, int[] argmax, int argOff, float[] dx, int dxOff) {
        ScalarKernels.INSTANCE.maxPoolBackward(n, dy, dyOff, argmax, argOff, dx, dxOff);
    }

    // ---------------------------------------------------------------- softmax, reductions

    /**
     * Scalar on purpose: LeNet's rows are 10 wide (one partial vector), and the reference's
     * {@code Math.exp} keeps both implementations' probabilities identical.
     */
    @Override
    public void softmaxRows(int rows, int cols, float[] x, int xOff, float[] y, int yOff, int ld) {
        ScalarKernels.INSTANCE.softmaxRows(rows, cols, x, xOff, y, yOff, ld);
    }

    @Override
    public void sumRows(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff) {
        // out (rows) += sum over j of x (rows, cols)
        for (int i = 0; i < rows; i++) {
            out[outOff + i] += sum(cols, x, xOff + i * ldx);
        }
    }

    @Override
    public void sumColumns(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff) {
        // out (cols) += sum over i of x (rows, cols), row by row: the reference's order, so identical sums
        for (int i = 0; i < rows; i++) {
            addRun(cols, x, xOff + i * ldx, out, outOff);
        }
    }

    @Override
    public float sum(int n, float[] x, int xOff) {
        // sum of x (n): 4 accumulators, then a scalar tail
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S), s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
        int i = 0;
        for (int bound = n - 4 * L; i <= bound; i += 4 * L) {
            s0 = s0.add(FloatVector.fromArray(S, x, xOff + i));
            s1 = s1.add(FloatVector.fromArray(S, x, xOff + i + L));
            s2 = s2.add(FloatVector.fromArray(S, x, xOff + i + 2 * L));
            s3 = s3.add(FloatVector.fromArray(S, x, xOff + i + 3 * L));
        }
        for (int bound = S.loopBound(n); i < bound; i += L) {
            s0 = s0.add(FloatVector.fromArray(S, x, xOff + i));
        }
        float s = sumLanesInOrder(s0.add(s1).add(s2.add(s3)));
        for (; i < n; i++) {
            s += x[xOff + i];
        }
        return s;
    }

    /**
     * The lanes of {@code v} added first to last. Not {@code reduceLanes(ADD)}: its order is unspecified, and the
     * compiled intrinsic and the interpreted fallback add in different orders, so a result would depend on how
     * far the JIT had got and a resumed run would not reproduce an uninterrupted one bit for bit.
     */
    private static float sumLanesInOrder(FloatVector v) {
        float s = 0;
        for (int j = 0; j < L; j++) {
            s += v.lane(j);
        }
        return s;
    }

    @Override
    public float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        // x (n) . y (n): 4 FMA accumulators, then a scalar tail
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S), s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
        int i = 0;
        for (int bound = n - 4 * L; i <= bound; i += 4 * L) {
            s0 = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), s0);
            s1 = FloatVector.fromArray(S, x, xOff + i + L).fma(FloatVector.fromArray(S, y, yOff + i + L), s1);
            s2 = FloatVector.fromArray(S, x, xOff + i + 2 * L).fma(FloatVector.fromArray(S, y, yOff + i + 2 * L), s2);
            s3 = FloatVector.fromArray(S, x, xOff + i + 3 * L).fma(FloatVector.fromArray(S, y, yOff + i + 3 * L), s3);
        }
        for (int bound = S.loopBound(n); i < bound; i += L) {
            s0 = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), s0);
        }
        float s = sumLanesInOrder(s0.add(s1).add(s2.add(s3)));
        for (; i < n; i++) {
            s += x[xOff + i] * y[yOff + i];
        }
        return s;
    }

    // ---------------------------------------------------------------- vector updates

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        // y (n) += alpha * x, as a multiply then an add (no FMA) so results equal the reference bit for bit
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).mul(alpha).add(FloatVector.fromArray(S, y, yOff + i))
                    .intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void scale(int n, float alpha, float[] x, int xOff) {
        // x (n) *= alpha
        scaleRun(n, alpha, x, xOff);
    }

    @Override
    public void adamUpdate(int n, float[] p, int pOff, float[] g, int gOff, float[] m, float[] v,
                           float beta1, float beta2, float stepSize, float bc2Sqrt, float eps) {
        // p, m, v (n) updated in the reference's order of IEEE operations (no FMA), so bit for bit equal
        float oneMinusBeta1 = 1f - beta1;
        float oneMinusBeta2 = 1f - beta2;
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            int j = pOff + i;
            FloatVector gi = FloatVector.fromArray(S, g, gOff + i);
            FloatVector mi = FloatVector.fromArray(S, m, j).mul(beta1).add(gi.mul(oneMinusBeta1));
            FloatVector vi = FloatVector.fromArray(S, v, j).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
            mi.intoArray(m, j);
            vi.intoArray(v, j);
            FloatVector denominator = vi.sqrt().div(bc2Sqrt).add(eps);
            FloatVector.fromArray(S, p, j).sub(mi.mul(stepSize).div(denominator)).intoArray(p, j);
        }
        for (; i < n; i++) {
            float gi = g[gOff + i];
            int j = pOff + i;
            m[j] = beta1 * m[j] + oneMinusBeta1 * gi;
            v[j] = beta2 * v[j] + oneMinusBeta2 * gi * gi;
            p[j] -= stepSize * m[j] / ((float) Math.sqrt(v[j]) / bc2Sqrt + eps);
        }
    }
}
