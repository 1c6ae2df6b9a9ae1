package dev.lenet5.tensor.kernel;

/**
 * One thread's scratch for the SIMD convolution kernels: packed weights, tap offsets, output positions,
 * the expanded output gradients of a slice of images, and the buffers of the lowered fallback. Every
 * array only grows, to the largest shape seen, so once a layer has run a batch later calls allocate
 * nothing. One per thread and kernel instance ({@link PerThread}), so concurrent calls share nothing.
 */
final class ConvWorkspace {

    /** Weights packed for the register-blocked kernels: per block of rows, (taps, rows) row-major. */
    float[] weights = new float[0];
    /** Per tap, where it reads relative to the output position (see VectorConvForward). */
    int[] taps = new int[0];
    /** The same for the input-gradient pass, which reads the padded output gradient. */
    int[] flippedTaps = new int[0];
    /**
     * Per output vector: where it reads (positions) and where it is stored (destinations); the forward pass's for one
     * image, the input gradient's for all the images of a slice.
     */
    int[] positions = new int[0];
    int[] destinations = new int[0];
    /** Output gradients of a slice of images laid out on the input's row stride, zero-padded around. */
    float[] expanded = new float[0];
    /** Forward output of one image on the input's row stride, before its valid columns are compacted. */
    float[] wide = new float[0];
    /** A register tile of a partial block of rows, before its valid rows are copied out. */
    float[] tile = new float[0];
    /** Partial vector sums and the horizontal sums of the dot kernels. */
    float[] partial = new float[0];
    final float[] sums = new float[VectorDotTile.MAX_ROWS * 4];
    /** Four vectors' lanes, for the reductions that add them in a fixed order (sum, dot). */
    final float[] lanes = new float[4 * VectorConstants.L];
    /** A weight-gradient block's rows of the expanded gradient and of the images, as offsets. */
    final int[] aRows = new int[VectorDotTile.MAX_ROWS];
    final int[] bRows = new int[4];
    /** Lowered fallback: one image's im2col matrix, and its ReLU-masked output gradient. */
    float[] cols = new float[0];
    float[] masked = new float[0];

    static float[] atLeast(float[] a, int n) {
        return a.length >= n ? a : new float[n];
    }

    static int[] atLeast(int[] a, int n) {
        return a.length >= n ? a : new int[n];
    }

    /** A workspace per thread. */
    static final class PerThread extends ThreadLocal<ConvWorkspace> {
        @Override
        protected ConvWorkspace initialValue() {
            return new ConvWorkspace();
        }
    }
}
