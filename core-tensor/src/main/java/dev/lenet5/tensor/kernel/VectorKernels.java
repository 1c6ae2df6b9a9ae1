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
 * Thread safety: instances are immutable; packing buffers come from a per-thread workspace created once
 * per thread, so concurrent calls from several threads are safe and steady-state calls do not allocate.
 */
final class VectorKernels implements TensorKernels {

    /** This copy's species: the preferred one for the class itself, the class data for a hidden copy. */
    private static final VectorSpecies<Float> S = speciesOfThisCopy();
    private static final int L = S.length();
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

    private VectorKernels(boolean wideRegisterFile) {
        this.wideRegisterFile = wideRegisterFile;
        this.mr = wideRegisterFile ? KernelTuning.WIDE_MR : KernelTuning.NARROW_MR;
        this.nr = L * (wideRegisterFile ? KernelTuning.WIDE_NR_VECTORS : KernelTuning.NARROW_NR_VECTORS);
        this.mcBlock = Math.max(mr, KernelTuning.MC / mr * mr);
        this.ncBlock = Math.max(nr, KernelTuning.NC / nr * nr);
        int tile = Math.max(mr * nr, 32);   // the dot kernels need 16 sums + 16 scratch
        this.workspace = new GemmWorkspace.PerThread(mcBlock * KernelTuning.KC, KernelTuning.KC * ncBlock,
                KernelTuning.KC * nr, tile);
        seedBranchProfiles();
    }

    /**
     * Runs every micro-kernel once per row count and beta kind, and the dot kernel with and without a
     * tail, on a tiny problem. The JIT compiles branches it has never seen taken as traps; on JDK 17
     * taking one later (say beta != 0 once k exceeds KC) deoptimises the kernel, and the recompiled
     * kernel was measured to stay 15x slower at times. With every path in the profile from the start,
     * there is nothing to deoptimise.
     */
    private void seedBranchProfiles() {
        int maxVectors = nr / L;
        float[] a = new float[2 * mr];
        float[] b = new float[2 * nr];
        float[] c = new float[mr * nr];
        float[] betas = {0f, 1f, 0.5f};
        for (int vectors = 1; vectors <= maxVectors; vectors++) {
            for (int rows = 1; rows <= mr; rows++) {
                for (float beta : betas) {
                    microKernel(vectors, 2, a, 0, b, 0, nr, c, 0, nr, beta, rows);
                }
            }
        }
        float[] x = new float[3 * L];
        float[] out = new float[32];
        for (int len : new int[]{L - 1, L, L + 1, 2 * L + 1}) {
            dot3x4(len, x, 0, 0, 0, x, 0, 0, 0, 0, out);
            dot4x4(len, x, 0, 0, 0, 0, x, 0, 0, 0, 0, out);
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
                            if (wholeVectors) {
                                microKernel(vectors, kc, ws.a, ir * kc, strip, bIdx, bStride, c, cIdx, ldc, betaSlice, rows);
                            } else {
                                microKernel(vectors, kc, ws.a, ir * kc, strip, bIdx, bStride, ws.tile, 0, nr, 0f, rows);
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
     * so an edge strip does not pay for lanes it throws away).
     */
    private void microKernel(int vectors, int kc, float[] ap, int aIdx, float[] bp, int bIdx, int bStride,
                             float[] c, int cIdx, int ldc, float beta, int rows) {
        if (wideRegisterFile) {
            if (vectors == 3) {
                kernel8x3(kc, ap, aIdx, bp, bIdx, bStride, c, cIdx, ldc, beta, rows);
            } else if (vectors == 2) {
                kernel8x2(kc, ap, aIdx, bp, bIdx, bStride, c, cIdx, ldc, beta, rows);
            } else {
                kernel8x1(kc, ap, aIdx, bp, bIdx, bStride, c, cIdx, ldc, beta, rows);
            }
        } else {
            if (vectors == 2) {
                kernel6x2(kc, ap, aIdx, bp, bIdx, bStride, c, cIdx, ldc, beta, rows);
            } else {
                kernel6x1(kc, ap, aIdx, bp, bIdx, bStride, c, cIdx, ldc, beta, rows);
            }
        }
    }

    // C (rows, cols) at cIdx = beta * C + T (rows, cols) with T's leading dimension ldt: an edge tile.
    private static void mergeTile(int rows, int cols, float[] t, int ldt, float[] c, int cIdx, int ldc, float beta) {
        for (int i = 0; i < rows; i++) {
            int cRow = cIdx + i * ldc;
            int tRow = i * ldt;
            for (int j = 0; j < cols; j++) {
                c[cRow + j] = beta == 0f ? t[tRow + j] : beta * c[cRow + j] + t[tRow + j];
            }
        }
    }

    // C (rows, 3L) at cIdx = beta * C + Ap (kc, 8) * Bp (kc, 3L), rows <= 8; beta == 0 never reads C
    private static void kernel8x3(int kc, float[] ap, int aIdx, float[] bp, int bIdx, int bStride,
                                  float[] c, int cIdx, int ldc, float beta, int rows) {
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
        // Row by row, written out: a vector handed to a helper that is not inlined would be boxed.
        int r = cIdx;
        if (beta != 0f) {
            c00 = FloatVector.fromArray(S, c, r).mul(beta).add(c00);
            c01 = FloatVector.fromArray(S, c, r + L).mul(beta).add(c01);
            c02 = FloatVector.fromArray(S, c, r + 2 * L).mul(beta).add(c02);
        }
        c00.intoArray(c, r); c01.intoArray(c, r + L); c02.intoArray(c, r + 2 * L);
        if (rows == 1) {
            return;
        }
        r += ldc;
        if (beta != 0f) {
            c10 = FloatVector.fromArray(S, c, r).mul(beta).add(c10);
            c11 = FloatVector.fromArray(S, c, r + L).mul(beta).add(c11);
            c12 = FloatVector.fromArray(S, c, r + 2 * L).mul(beta).add(c12);
        }
        c10.intoArray(c, r); c11.intoArray(c, r + L); c12.intoArray(c, r + 2 * L);
        if (rows == 2) {
            return;
        }
        r += ldc;
        if (beta != 0f) {
            c20 = FloatVector.fromArray(S, c, r).mul(beta).add(c20);
            c21 = FloatVector.fromArray(S, c, r + L).mul(beta).add(c21);
            c22 = FloatVector.fromArray(S, c, r + 2 * L).mul(beta).add(c22);
        }
        c20.intoArray(c, r); c21.intoArray(c, r + L); c22.intoArray(c, r + 2 * L);
        if (rows == 3) {
            return;
        }
        r += ldc;
        if (beta != 0f) {
            c30 = FloatVector.fromArray(S, c, r).mul(beta).add(c30);
            c31 = FloatVector.fromArray(S, c, r + L).mul(beta).add(c31);
            c32 = FloatVector.fromArray(S, c, r + 2 * L).mul(beta).add(c32);
        }
        c30.intoArray(c, r); c31.intoArray(c, r + L); c32.intoArray(c, r + 2 * L);
        if (rows == 4) {
            return;
        }
        r += ldc;
        if (beta != 0f) {
            c40 = FloatVector.fromArray(S, c, r).mul(beta).add(c40);
            c41 = FloatVector.fromArray(S, c, r + L).mul(beta).add(c41);
            c42 = FloatVector.fromArray(S, c, r + 2 * L).mul(beta).add(c42);
        }
        c40.intoArray(c, r); c41.intoArray(c, r + L); c42.intoArray(c, r + 2 * L);
        if (rows == 5) {
            return;
        }
        r += ldc;
        if (beta != 0f) {
            c50 = FloatVector.fromArray(S, c, r).mul(beta).add(c50);
            c51 = FloatVector.fromArray(S, c, r + L).mul(beta).add(c51);
            c52 = FloatVector.fromArray(S, c, r + 2 * L).mul(beta).add(c52);
        }
        c50.intoArray(c, r); c51.intoArray(c, r + L); c52.intoArray(c, r + 2 * L);
        if (rows == 6) {
            return;
        }
        r += ldc;
        if (beta != 0f) {
            c60 = FloatVector.fromArray(S, c, r).mul(beta).add(c60);
            c61 = FloatVector.fromArray(S, c, r + L).mul(beta).add(c61);
            c62 = FloatVector.fromArray(S, c, r + 2 * L).mul(beta).add(c62);
        }
        c60.intoArray(c, r); c61.intoArray(c, r + L); c62.intoArray(c, r + 2 * L);
        if (rows == 7) {
            return;
        }
        r += ldc;
        if (beta != 0f) {
            c70 = FloatVector.fromArray(S, c, r).mul(beta).add(c70);
            c71 = FloatVector.fromArray(S, c, r + L).mul(beta).add(c71);
            c72 = FloatVector.fromArray(S, c, r + 2 * L).mul(beta).add(c72);
        }
        c70.intoArray(c, r); c71.intoArray(c, r + L); c72.intoArray(c, r + 2 * L);
    }

    // C (rows, 2L) at cIdx = beta * C + Ap (kc, 6) * Bp (kc, 2L), rows <= 6; beta == 0 never reads C
    private static void kernel6x2(int kc, float[] ap, int aIdx, float[] bp, int bIdx, int bStride,
                                  float[] c, int cIdx, int ldc, float beta, int rows) {
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
        // Row by row, written out: a vector handed to a helper that is not inlined would be boxed.
        int r = cIdx;
        if (beta != 0f) {
            c00 = FloatVector.fromArray(S, c, r).mul(beta).add(c00);
            c01 = FloatVector.fromArray(S, c, r + L).mul(beta).add(c01);
        }
        c00.intoArray(c, r); c01.intoArray(c, r + L);
        if (rows == 1) {
            return;
        }
        r += ldc;
        if (beta != 0f) {
            c10 = FloatVector.fromArray(S, c, r).mul(beta).add(c10);
            c11 = FloatVector.fromArray(S, c, r + L).mul(beta).add(c11);
        }
        c10.intoArray(c, r); c11.intoArray(c, r + L);
        if (rows == 2) {
            return;
        }
        r += ldc;
        if (beta != 0f) {
            c20 = FloatVector.fromArray(S, c, r).mul(beta).add(c20);
            c21 = FloatVector.fromArray(S, c, r + L).mul(beta).add(c21);
        }
        c20.intoArray(c, r); c21.intoArray(c, r + L);
        if (rows == 3) {
            return;
        }
        r += ldc;
        if (beta != 0f) {
            c30 = FloatVector.fromArray(S, c, r).mul(beta).add(c30);
            c31 = FloatVector.fromArray(S, c, r + L).mul(beta).add(c31);
        }
        c30.intoArray(c, r); c31.intoArray(c, r + L);
        if (rows == 4) {
            return;
        }
        r += ldc;
        if (beta != 0f) {
            c40 = FloatVector.fromArray(S, c, r).mul(beta).add(c40);
            c41 = FloatVector.fromArray(S, c, r + L).mul(beta).add(c41);
        }
        c40.intoArray(c, r); c41.intoArray(c, r + L);
        if (rows == 5) {
            return;
        }
        r += ldc;
        if (beta != 0f) {
            c50 = FloatVector.fromArray(S, c, r).mul(beta).add(c50);
            c51 = FloatVector.fromArray(S, c, r + L).mul(beta).add(c51);
        }
        c50.intoArray(c, r); c51.intoArray(c, r + L);
    }


    // C (rows, 2L) at cIdx = beta * C + Ap (kc, 8) * Bp (kc, 2L), rows <= 8; beta == 0 never reads C
    private static void kernel8x2(int kc, float[] ap, int aIdx, float[] bp, int bIdx, int bStride,
                                  float[] c, int cIdx, int ldc, float beta, int rows) {
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
        // Row by row, written out: a vector handed to a helper that is not inlined would be boxed.
        int r = cIdx;
        if (beta != 0f) {
            c00 = FloatVector.fromArray(S, c, r).mul(beta).add(c00);
            c01 = FloatVector.fromArray(S, c, r + L).mul(beta).add(c01);
        }
        c00.intoArray(c, r); c01.intoArray(c, r + L);
        if (rows == 1) {
            return;
        }
        r += ldc;
        if (beta != 0f) {
            c10 = FloatVector.fromArray(S, c, r).mul(beta).add(c10);
            c11 = FloatVector.fromArray(S, c, r + L).mul(beta).add(c11);
        }
        c10.intoArray(c, r); c11.intoArray(c, r + L);
        if (rows == 2) {
            return;
        }
        r += ldc;
        if (beta != 0f) {
            c20 = FloatVector.fromArray(S, c, r).mul(beta).add(c20);
            c21 = FloatVector.fromArray(S, c, r + L).mul(beta).add(c21);
        }
        c20.intoArray(c, r); c21.intoArray(c, r + L);
        if (rows == 3) {
            return;
        }
        r += ldc;
        if (beta != 0f) {
            c30 = FloatVector.fromArray(S, c, r).mul(beta).add(c30);
            c31 = FloatVector.fromArray(S, c, r + L).mul(beta).add(c31);
        }
        c30.intoArray(c, r); c31.intoArray(c, r + L);
        if (rows == 4) {
            return;
        }
        r += ldc;
        if (beta != 0f) {
            c40 = FloatVector.fromArray(S, c, r).mul(beta).add(c40);
            c41 = FloatVector.fromArray(S, c, r + L).mul(beta).add(c41);
        }
        c40.intoArray(c, r); c41.intoArray(c, r + L);
        if (rows == 5) {
            return;
        }
        r += ldc;
        if (beta != 0f) {
            c50 = FloatVector.fromArray(S, c, r).mul(beta).add(c50);
            c51 = FloatVector.fromArray(S, c, r + L).mul(beta).add(c51);
        }
        c50.intoArray(c, r); c51.intoArray(c, r + L);
        if (rows == 6) {
            return;
        }
        r += ldc;
        if (beta != 0f) {
            c60 = FloatVector.fromArray(S, c, r).mul(beta).add(c60);
            c61 = FloatVector.fromArray(S, c, r + L).mul(beta).add(c61);
        }
        c60.intoArray(c, r); c61.intoArray(c, r + L);
        if (rows == 7) {
            return;
        }
        r += ldc;
        if (beta != 0f) {
            c70 = FloatVector.fromArray(S, c, r).mul(beta).add(c70);
            c71 = FloatVector.fromArray(S, c, r + L).mul(beta).add(c71);
        }
        c70.intoArray(c, r); c71.intoArray(c, r + L);
    }

    // C (rows, 1L) at cIdx = beta * C + Ap (kc, 8) * Bp (kc, 1L), rows <= 8; beta == 0 never reads C
    private static void kernel8x1(int kc, float[] ap, int aIdx, float[] bp, int bIdx, int bStride,
                                  float[] c, int cIdx, int ldc, float beta, int rows) {
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
        // Row by row, written out: a vector handed to a helper that is not inlined would be boxed.
        int r = cIdx;
        if (beta != 0f) {
            c00 = FloatVector.fromArray(S, c, r).mul(beta).add(c00);
        }
        c00.intoArray(c, r);
        if (rows == 1) {
            return;
        }
        r += ldc;
        if (beta != 0f) {
            c10 = FloatVector.fromArray(S, c, r).mul(beta).add(c10);
        }
        c10.intoArray(c, r);
        if (rows == 2) {
            return;
        }
        r += ldc;
        if (beta != 0f) {
            c20 = FloatVector.fromArray(S, c, r).mul(beta).add(c20);
        }
        c20.intoArray(c, r);
        if (rows == 3) {
            return;
        }
        r += ldc;
        if (beta != 0f) {
            c30 = FloatVector.fromArray(S, c, r).mul(beta).add(c30);
        }
        c30.intoArray(c, r);
        if (rows == 4) {
            return;
        }
        r += ldc;
        if (beta != 0f) {
            c40 = FloatVector.fromArray(S, c, r).mul(beta).add(c40);
        }
        c40.intoArray(c, r);
        if (rows == 5) {
            return;
        }
        r += ldc;
        if (beta != 0f) {
            c50 = FloatVector.fromArray(S, c, r).mul(beta).add(c50);
        }
        c50.intoArray(c, r);
        if (rows == 6) {
            return;
        }
        r += ldc;
        if (beta != 0f) {
            c60 = FloatVector.fromArray(S, c, r).mul(beta).add(c60);
        }
        c60.intoArray(c, r);
        if (rows == 7) {
            return;
        }
        r += ldc;
        if (beta != 0f) {
            c70 = FloatVector.fromArray(S, c, r).mul(beta).add(c70);
        }
        c70.intoArray(c, r);
    }

    // C (rows, 1L) at cIdx = beta * C + Ap (kc, 6) * Bp (kc, 1L), rows <= 6; beta == 0 never reads C
    private static void kernel6x1(int kc, float[] ap, int aIdx, float[] bp, int bIdx, int bStride,
                                  float[] c, int cIdx, int ldc, float beta, int rows) {
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
        // Row by row, written out: a vector handed to a helper that is not inlined would be boxed.
        int r = cIdx;
        if (beta != 0f) {
            c00 = FloatVector.fromArray(S, c, r).mul(beta).add(c00);
        }
        c00.intoArray(c, r);
        if (rows == 1) {
            return;
        }
        r += ldc;
        if (beta != 0f) {
            c10 = FloatVector.fromArray(S, c, r).mul(beta).add(c10);
        }
        c10.intoArray(c, r);
        if (rows == 2) {
            return;
        }
        r += ldc;
        if (beta != 0f) {
            c20 = FloatVector.fromArray(S, c, r).mul(beta).add(c20);
        }
        c20.intoArray(c, r);
        if (rows == 3) {
            return;
        }
        r += ldc;
        if (beta != 0f) {
            c30 = FloatVector.fromArray(S, c, r).mul(beta).add(c30);
        }
        c30.intoArray(c, r);
        if (rows == 4) {
            return;
        }
        r += ldc;
        if (beta != 0f) {
            c40 = FloatVector.fromArray(S, c, r).mul(beta).add(c40);
        }
        c40.intoArray(c, r);
        if (rows == 5) {
            return;
        }
        r += ldc;
        if (beta != 0f) {
            c50 = FloatVector.fromArray(S, c, r).mul(beta).add(c50);
        }
        c50.intoArray(c, r);
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
        float[] sums = workspace.get().tile;
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
                    if (ra == 4) {
                        int a3 = aOff + Math.min(i + 3, m - 1) * lda + p0;
                        dot4x4(len, a, a0, a1, a2, a3, b, b0, b1, b2, b3, sums);
                    } else {
                        dot3x4(len, a, a0, a1, a2, b, b0, b1, b2, b3, sums);
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

    // out[r*4 + q] = sum_p a[aR + p] * b[bQ + p] for p < len, r < 3, q < 4 (out needs 32 floats: 16 are scratch)
    private static void dot3x4(int len, float[] a, int a0, int a1, int a2,
                               float[] b, int b0, int b1, int b2, int b3, float[] out) {
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S), s02 = FloatVector.zero(S), s03 = FloatVector.zero(S);
        FloatVector s10 = FloatVector.zero(S), s11 = FloatVector.zero(S), s12 = FloatVector.zero(S), s13 = FloatVector.zero(S);
        FloatVector s20 = FloatVector.zero(S), s21 = FloatVector.zero(S), s22 = FloatVector.zero(S), s23 = FloatVector.zero(S);
        FloatVector s30 = FloatVector.zero(S), s31 = FloatVector.zero(S), s32 = FloatVector.zero(S), s33 = FloatVector.zero(S);
        int bound = S.loopBound(len);
        int p = 0;
        for (; p < bound; p += L) {
            FloatVector y0 = FloatVector.fromArray(S, b, b0 + p);
            FloatVector y1 = FloatVector.fromArray(S, b, b1 + p);
            FloatVector y2 = FloatVector.fromArray(S, b, b2 + p);
            FloatVector y3 = FloatVector.fromArray(S, b, b3 + p);
            FloatVector x = FloatVector.fromArray(S, a, a0 + p);
            s00 = x.fma(y0, s00); s01 = x.fma(y1, s01); s02 = x.fma(y2, s02); s03 = x.fma(y3, s03);
            x = FloatVector.fromArray(S, a, a1 + p);
            s10 = x.fma(y0, s10); s11 = x.fma(y1, s11); s12 = x.fma(y2, s12); s13 = x.fma(y3, s13);
            x = FloatVector.fromArray(S, a, a2 + p);
            s20 = x.fma(y0, s20); s21 = x.fma(y1, s21); s22 = x.fma(y2, s22); s23 = x.fma(y3, s23);
        }
        if (p < len && len >= L) {
            // The partial last vector: reload the final L elements (the first ones already summed) and
            // zero the lanes before p, so each element counts once. Plain loads and a blend: masked
            // loads measured several times slower on JDK 17 and 25.
            int q = len - L;
            VectorMask<Float> fresh = FloatVector.fromArray(S, LANE_INDEX, 0).compare(VectorOperators.GE, p - q);
            FloatVector zero = FloatVector.zero(S);
            FloatVector y0 = zero.blend(FloatVector.fromArray(S, b, b0 + q), fresh);
            FloatVector y1 = zero.blend(FloatVector.fromArray(S, b, b1 + q), fresh);
            FloatVector y2 = zero.blend(FloatVector.fromArray(S, b, b2 + q), fresh);
            FloatVector y3 = zero.blend(FloatVector.fromArray(S, b, b3 + q), fresh);
            FloatVector x = zero.blend(FloatVector.fromArray(S, a, a0 + q), fresh);
            s00 = x.fma(y0, s00); s01 = x.fma(y1, s01); s02 = x.fma(y2, s02); s03 = x.fma(y3, s03);
            x = zero.blend(FloatVector.fromArray(S, a, a1 + q), fresh);
            s10 = x.fma(y0, s10); s11 = x.fma(y1, s11); s12 = x.fma(y2, s12); s13 = x.fma(y3, s13);
            x = zero.blend(FloatVector.fromArray(S, a, a2 + q), fresh);
            s20 = x.fma(y0, s20); s21 = x.fma(y1, s21); s22 = x.fma(y2, s22); s23 = x.fma(y3, s23);
            p = len;
        }
        // Horizontal sums of the 16 accumulators (unused ones are zero) in one go, instead of a
        // reduceLanes each (measured 1.7x slower overall on JDK 17): each level adds the two halves
        // of every 2h-lane block, one accumulator's sums going to the lower half and its partner's
        // to the upper half, so 16 vectors fold into 16 / L vectors of complete sums (see SUM_SLOT).
        // Written out: a vector passed to a helper that is not inlined would be boxed.
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
        // 16 / L vectors of sums: vector t, lane l holds accumulator t * L + bitreverse(l).
        s00.intoArray(out, 16);
        if (L == 8) {
            s20.intoArray(out, 16 + L);
        } else if (L == 4) {
            s10.intoArray(out, 16 + L);
            s20.intoArray(out, 16 + 2 * L);
            s30.intoArray(out, 16 + 3 * L);
        } else if (L == 2) {
            s02.intoArray(out, 16 + L);
            s10.intoArray(out, 16 + 2 * L);
            s12.intoArray(out, 16 + 3 * L);
            s20.intoArray(out, 16 + 4 * L);
            s22.intoArray(out, 16 + 5 * L);
            s30.intoArray(out, 16 + 6 * L);
            s32.intoArray(out, 16 + 7 * L);
        }
        for (int i = 0; i < 16; i++) {
            out[i] = out[16 + SUM_SLOT[i]];
        }
        // Rows shorter than a vector: scalar.
        for (; p < len; p++) {
            float y0 = b[b0 + p], y1 = b[b1 + p], y2 = b[b2 + p], y3 = b[b3 + p];
            float x0 = a[a0 + p];
            out[0] += x0 * y0; out[1] += x0 * y1; out[2] += x0 * y2; out[3] += x0 * y3;
            float x1 = a[a1 + p];
            out[4] += x1 * y0; out[5] += x1 * y1; out[6] += x1 * y2; out[7] += x1 * y3;
            float x2 = a[a2 + p];
            out[8] += x2 * y0; out[9] += x2 * y1; out[10] += x2 * y2; out[11] += x2 * y3;
        }
    }

    // out[r*4 + q] = sum_p a[aR + p] * b[bQ + p] for p < len, r < 4, q < 4 (out needs 32 floats: 16 are scratch)
    private static void dot4x4(int len, float[] a, int a0, int a1, int a2, int a3,
                               float[] b, int b0, int b1, int b2, int b3, float[] out) {
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S), s02 = FloatVector.zero(S), s03 = FloatVector.zero(S);
        FloatVector s10 = FloatVector.zero(S), s11 = FloatVector.zero(S), s12 = FloatVector.zero(S), s13 = FloatVector.zero(S);
        FloatVector s20 = FloatVector.zero(S), s21 = FloatVector.zero(S), s22 = FloatVector.zero(S), s23 = FloatVector.zero(S);
        FloatVector s30 = FloatVector.zero(S), s31 = FloatVector.zero(S), s32 = FloatVector.zero(S), s33 = FloatVector.zero(S);
        int bound = S.loopBound(len);
        int p = 0;
        for (; p < bound; p += L) {
            FloatVector y0 = FloatVector.fromArray(S, b, b0 + p);
            FloatVector y1 = FloatVector.fromArray(S, b, b1 + p);
            FloatVector y2 = FloatVector.fromArray(S, b, b2 + p);
            FloatVector y3 = FloatVector.fromArray(S, b, b3 + p);
            FloatVector x = FloatVector.fromArray(S, a, a0 + p);
            s00 = x.fma(y0, s00); s01 = x.fma(y1, s01); s02 = x.fma(y2, s02); s03 = x.fma(y3, s03);
            x = FloatVector.fromArray(S, a, a1 + p);
            s10 = x.fma(y0, s10); s11 = x.fma(y1, s11); s12 = x.fma(y2, s12); s13 = x.fma(y3, s13);
            x = FloatVector.fromArray(S, a, a2 + p);
            s20 = x.fma(y0, s20); s21 = x.fma(y1, s21); s22 = x.fma(y2, s22); s23 = x.fma(y3, s23);
            x = FloatVector.fromArray(S, a, a3 + p);
            s30 = x.fma(y0, s30); s31 = x.fma(y1, s31); s32 = x.fma(y2, s32); s33 = x.fma(y3, s33);
        }
        if (p < len && len >= L) {
            // The partial last vector: reload the final L elements (the first ones already summed) and
            // zero the lanes before p, so each element counts once. Plain loads and a blend: masked
            // loads measured several times slower on JDK 17 and 25.
            int q = len - L;
            VectorMask<Float> fresh = FloatVector.fromArray(S, LANE_INDEX, 0).compare(VectorOperators.GE, p - q);
            FloatVector zero = FloatVector.zero(S);
            FloatVector y0 = zero.blend(FloatVector.fromArray(S, b, b0 + q), fresh);
            FloatVector y1 = zero.blend(FloatVector.fromArray(S, b, b1 + q), fresh);
            FloatVector y2 = zero.blend(FloatVector.fromArray(S, b, b2 + q), fresh);
            FloatVector y3 = zero.blend(FloatVector.fromArray(S, b, b3 + q), fresh);
            FloatVector x = zero.blend(FloatVector.fromArray(S, a, a0 + q), fresh);
            s00 = x.fma(y0, s00); s01 = x.fma(y1, s01); s02 = x.fma(y2, s02); s03 = x.fma(y3, s03);
            x = zero.blend(FloatVector.fromArray(S, a, a1 + q), fresh);
            s10 = x.fma(y0, s10); s11 = x.fma(y1, s11); s12 = x.fma(y2, s12); s13 = x.fma(y3, s13);
            x = zero.blend(FloatVector.fromArray(S, a, a2 + q), fresh);
            s20 = x.fma(y0, s20); s21 = x.fma(y1, s21); s22 = x.fma(y2, s22); s23 = x.fma(y3, s23);
            x = zero.blend(FloatVector.fromArray(S, a, a3 + q), fresh);
            s30 = x.fma(y0, s30); s31 = x.fma(y1, s31); s32 = x.fma(y2, s32); s33 = x.fma(y3, s33);
            p = len;
        }
        // Horizontal sums of the 16 accumulators (unused ones are zero) in one go, instead of a
        // reduceLanes each (measured 1.7x slower overall on JDK 17): each level adds the two halves
        // of every 2h-lane block, one accumulator's sums going to the lower half and its partner's
        // to the upper half, so 16 vectors fold into 16 / L vectors of complete sums (see SUM_SLOT).
        // Written out: a vector passed to a helper that is not inlined would be boxed.
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
        // 16 / L vectors of sums: vector t, lane l holds accumulator t * L + bitreverse(l).
        s00.intoArray(out, 16);
        if (L == 8) {
            s20.intoArray(out, 16 + L);
        } else if (L == 4) {
            s10.intoArray(out, 16 + L);
            s20.intoArray(out, 16 + 2 * L);
            s30.intoArray(out, 16 + 3 * L);
        } else if (L == 2) {
            s02.intoArray(out, 16 + L);
            s10.intoArray(out, 16 + 2 * L);
            s12.intoArray(out, 16 + 3 * L);
            s20.intoArray(out, 16 + 4 * L);
            s22.intoArray(out, 16 + 5 * L);
            s30.intoArray(out, 16 + 6 * L);
            s32.intoArray(out, 16 + 7 * L);
        }
        for (int i = 0; i < 16; i++) {
            out[i] = out[16 + SUM_SLOT[i]];
        }
        // Rows shorter than a vector: scalar.
        for (; p < len; p++) {
            float y0 = b[b0 + p], y1 = b[b1 + p], y2 = b[b2 + p], y3 = b[b3 + p];
            float x0 = a[a0 + p];
            out[0] += x0 * y0; out[1] += x0 * y1; out[2] += x0 * y2; out[3] += x0 * y3;
            float x1 = a[a1 + p];
            out[4] += x1 * y0; out[5] += x1 * y1; out[6] += x1 * y2; out[7] += x1 * y3;
            float x2 = a[a2 + p];
            out[8] += x2 * y0; out[9] += x2 * y1; out[10] += x2 * y2; out[11] += x2 * y3;
            float x3 = a[a3 + p];
            out[12] += x3 * y0; out[13] += x3 * y1; out[14] += x3 * y2; out[15] += x3 * y3;
        }
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
     * Not vectorised: LeNet's output rows (14 and 5 wide) are shorter than a vector, and 2x2 windows at
     * stride 2 need a lane de-interleave per load. LeNet's 2x2/2 case gets an unrolled scalar loop
     * instead (same comparisons in the same order as the reference, so identical results), 2x faster
     * than the general window loop; other windows use the reference.
     */
    @Override
    public void maxPoolForward(int planes, int height, int width, int kernel, int stride,
                               float[] x, int xOff, float[] y, int yOff, int[] argmax, int argOff) {
        if (kernel != 2 || stride != 2) {
            ScalarKernels.INSTANCE.maxPoolForward(planes, height, width, kernel, stride, x, xOff, y, yOff, argmax, argOff);
            return;
        }
        // x: (planes, H, W) → y, argmax: (planes, H/2, W/2); window order (0,0), (0,1), (1,0), (1,1)
        int oh = height / 2;
        int ow = width / 2;
        int o = 0;
        for (int p = 0; p < planes; p++) {
            for (int oy = 0; oy < oh; oy++) {
                int top = p * height * width + 2 * oy * width;
                for (int ox = 0; ox < ow; ox++) {
                    int i = top + 2 * ox;
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
                    y[yOff + o] = max;
                    argmax[argOff + o] = best;
                    o++;
                }
            }
        }
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
        float s = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += x[xOff + i];
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
        float s = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
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
