package dev.lenet5.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * This JVM's vector species and the constants derived from it, read by every Vector API class.
 *
 * <p>The species is a {@code static final} field, not a constructor argument, because the Vector API only
 * compiles to SIMD instructions when C2 sees the species as a constant: read from an instance field the
 * same loops measured 10x slower (boxed vectors). So there is one species per JVM, fixed when this class
 * initialises: the width named by {@code -Dlenet5.kernels=simd-128|simd-256|simd-512}, otherwise the
 * preferred one ({@link SimdWidth}). {@link Kernels} refuses a width the CPU lacks before any vector class
 * loads, and the tests run each width in a JVM of its own.
 */
final class VectorConstants {

    /** The species of every vector kernel in this JVM. */
    static final VectorSpecies<Float> S = VectorSpecies.of(float.class,
            VectorShape.forBitSize(SimdWidth.fix(FloatVector.SPECIES_PREFERRED.vectorBitSize())));
    /** Floats per vector. */
    static final int L = S.length();
    /** 0, 1, ..., L-1: compared against a scalar it builds lane masks with plain vector instructions. */
    static final float[] LANE_INDEX = laneIndex();
    /** The upper half of the lanes: the pooling's blend of two de-interleaved halves. */
    static final VectorMask<Float> UPPER_HALF = upperHalf();
    /** Shuffles de-interleaving two vectors' even (left) and odd (right) lanes: see VectorPooling. */
    static final VectorShuffle<Float> EVEN_LOW = pairShuffle(0, 0);
    static final VectorShuffle<Float> EVEN_HIGH = pairShuffle(0, 1);
    static final VectorShuffle<Float> ODD_LOW = pairShuffle(1, 0);
    static final VectorShuffle<Float> ODD_HIGH = pairShuffle(1, 1);

    private VectorConstants() {
    }

    private static VectorMask<Float> upperHalf() {
        boolean[] upper = new boolean[L];
        for (int i = L / 2; i < L; i++) {
            upper[i] = true;
        }
        return VectorMask.fromArray(S, upper, 0);
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

    private static float[] laneIndex() {
        float[] index = new float[L];
        for (int i = 0; i < L; i++) {
            index[i] = i;
        }
        return index;
    }
}
