package dev.lenet5.tensor.kernel;

/**
 * Every block size and threshold of the SIMD kernels in one place, so tuning never means hunting
 * through loops. Values were chosen with the JMH GEMM benchmarks on an AVX-512 machine (32 vector
 * registers, 32 KiB L1d, 1 MiB L2 per core); the reasoning is next to each constant so they can be
 * re-derived for another cache hierarchy.
 */
final class KernelTuning {

    private KernelTuning() {
    }

    // ---------------------------------------------------------------- GEMM register block (micro-kernel)

    /**
     * Micro-kernel for a 32-register file (AVX-512, also at 128/256 bits since AVX-512VL gives those
     * widths the same 32 registers): 8 rows of A by 3 vectors of B, 24 accumulators + 3 B vectors + 1
     * broadcast = 28 registers. 24 independent FMA chains hide the 4-cycle FMA latency at 2 FMAs per
     * cycle with room to spare, and each step issues 24 FMAs for 3 vector loads and 8 broadcasts.
     * The register-blocked kernels (kernel8x3 and its narrower edge versions, kernel6x2 and kernel6x1)
     * are written out for exactly these shapes.
     */
    static final int WIDE_MR = 8;
    static final int WIDE_NR_VECTORS = 3;

    /**
     * Micro-kernel for a 16-register file (AVX2): 6 rows by 2 vectors, 12 accumulators + 2 + 1 = 15
     * registers, the classic Haswell shape. The wide kernel spills there: with the JVM limited to AVX2
     * (-XX:UseAVX=2) 512^3 ran at 55 GFLOP/s with 8x3 and 75 with 6x2.
     */
    static final int NARROW_MR = 6;
    static final int NARROW_NR_VECTORS = 2;

    /** A preferred vector width of at least this many bits means AVX-512 and its 32 registers. */
    static final int WIDE_REGISTER_FILE_MIN_BITS = 512;

    // ---------------------------------------------------------------- GEMM cache blocks (Goto/BLIS)

    /**
     * Depth of one packed slice. The MR x KC sliver of A (8 x 384 floats = 12 KiB) fits L1 next to the
     * B vectors streaming past it, and the KC x NR sliver of B (72 KiB at 512 bits) is reused from L2 by
     * every A strip of the block. 256, 384 and 512 measured within noise (+-5%) on 512^3 and
     * 1024^2 x 1024.
     */
    static final int KC = 384;

    /**
     * Rows of A packed at once (rounded down to a multiple of MR): 96 x 384 floats = 144 KiB, in L2. 192
     * measured the same; the smaller block keeps each thread's workspace small.
     */
    static final int MC = 96;

    /** Columns of B packed at once (rounded down to a multiple of NR): 384 x 2016 floats ~ 3 MiB, in L3. */
    static final int NC = 2016;

    /**
     * Up to this many rows of C, an untransposed B is read in place instead of packed. With few rows each
     * B element is used by only a few A strips, so packing (one extra read and write of B) costs more
     * than it saves: the LeNet convolutions (6 or 16 output channels) ran 3x faster than with packing,
     * and up to 128 rows (the fully connected layers at batch 120) in place still measured 5-25%
     * faster. Beyond that packing is kept: no gain measured at 512^3, and a packed panel does not
     * suffer from cache-set conflicts when ldb is a large power of two.
     */
    static final int DIRECT_B_MAX_M = 128;

    /**
     * {@code A * B^T} with both operands contiguous along k is done as blocked dot products when
     * {@code m * n} is at most this and k at least {@link #DOT_MIN_K}: the weight gradients of the
     * convolutions (6 x 25 and 16 x 150 outputs, k = output pixels) and long-k reductions in general.
     * Packing B^T instead measured 10x slower for 6 x 25 x 784 (the packed path pads 25 columns to 48
     * and 6 rows to 8). Larger outputs go through the packed path, which shares loads across more
     * accumulators and needs no horizontal sums.
     */
    static final int DOT_MAX_MN = 4096;
    static final int DOT_MIN_K = 64;

    /**
     * K is split into chunks of this many elements in the dot path so the rows of a block (at most
     * 4 + 4 rows x 2048 floats = 64 KiB) stay in L2 while every block of the output visits them.
     */
    static final int DOT_KC = 2048;

    // ---------------------------------------------------------------- direct convolution

    /**
     * Floats of expanded output gradient the convolution backward keeps per slice of images (512 KiB):
     * the weight-gradient dot products re-read a slice once per block of outputs, so it should stay in
     * L2 (1 MiB per core) next to the slice's input images.
     */
    static final int CONV_SLICE_FLOATS = 128 * 1024;
}
