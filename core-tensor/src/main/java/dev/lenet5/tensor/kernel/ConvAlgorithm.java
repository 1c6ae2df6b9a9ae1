package dev.lenet5.tensor.kernel;

import java.util.Locale;

/**
 * How the SIMD kernels compute a convolution (the scalar reference has one way, its definition's loops).
 * <ul>
 *   <li>{@link #DIRECT}: along the output pixels on register tiles, no patch matrix (stride 1, no padding; other
 *       geometries are lowered whatever the choice);</li>
 *   <li>{@link #IM2COL}: the textbook lowering, per image {@code cols = im2col(x)} and one GEMM, then col2im for
 *       the input gradient;</li>
 *   <li>{@link #AUTO}: direct where it applies, otherwise im2col (what LeNet-5 runs).</li>
 * </ul>
 */
public enum ConvAlgorithm {
    AUTO, IM2COL, DIRECT;

    /** The algorithm named {@code auto}, {@code im2col} or {@code direct} (any case). */
    public static ConvAlgorithm parse(String name) {
        for (ConvAlgorithm a : values()) {
            if (a.toString().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown convolution algorithm '" + name + "': expected auto, im2col or direct");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
