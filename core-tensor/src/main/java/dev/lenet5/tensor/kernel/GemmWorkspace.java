package dev.lenet5.tensor.kernel;

/**
 * One thread's GEMM scratch: the packed block of A, the packed panel of B and one spare C tile for edge
 * tiles. Made once per thread and kernel instance (see {@link PerThread}) and reused by every call, so
 * sgemm neither allocates nor shares mutable state between threads.
 */
final class GemmWorkspace {

    /** alpha * op(A) block: MC x KC floats in MR-tall strips. */
    final float[] a;
    /**
     * Spare MR x NR tile: edge tiles and tiles with beta are computed here in full, then their valid part is
     * merged into C; the dot kernels keep their partial-sum vectors here.
     */
    final float[] tile;
    /** The horizontal sums of a dot-product block. */
    final float[] sums = new float[VectorDotTile.MAX_ROWS * 4];
    /** A dot-product block's rows of A and of B, as offsets. */
    final int[] aRows = new int[VectorDotTile.MAX_ROWS];
    final int[] bRows = new int[4];
    /** One KC x NR strip of B: the partial last strip when B is otherwise read in place. */
    final float[] edgeStrip;
    private final int bCapacity;
    /** op(B) panel, KC x NC floats in NR-wide strips; allocated on first use because it is the big one. */
    private float[] b;

    GemmWorkspace(int aCapacity, int bCapacity, int stripCapacity, int tileCapacity) {
        this.a = new float[aCapacity];
        this.edgeStrip = new float[stripCapacity];
        this.tile = new float[tileCapacity];
        this.bCapacity = bCapacity;
    }

    float[] b() {
        float[] panel = b;
        if (panel == null) {
            panel = new float[bCapacity];
            b = panel;
        }
        return panel;
    }

    /** A workspace per thread, sized for one kernel configuration. */
    static final class PerThread extends ThreadLocal<GemmWorkspace> {
        private final int aCapacity;
        private final int bCapacity;
        private final int stripCapacity;
        private final int tileCapacity;

        PerThread(int aCapacity, int bCapacity, int stripCapacity, int tileCapacity) {
            this.aCapacity = aCapacity;
            this.bCapacity = bCapacity;
            this.stripCapacity = stripCapacity;
            this.tileCapacity = tileCapacity;
        }

        @Override
        protected GemmWorkspace initialValue() {
            return new GemmWorkspace(aCapacity, bCapacity, stripCapacity, tileCapacity);
        }
    }
}
