package dev.lenet5.nn;

import java.util.Arrays;
import java.util.Objects;

/**
 * A shape and flat row-major float32 values: what a safetensors file stores per name, and how parameters and
 * optimiser state are exchanged with it. Equality compares shape and values (not array identity).
 */
public record Tensor(int[] shape, float[] data) {

    public Tensor {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        long size = elementCount(shape);
        if (size != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + size
                    + " elements but the data has " + data.length);
        }
        shape = shape.clone();
    }

    /** A tensor over {@code data} (not copied) with the given shape. */
    public static Tensor of(float[] data, int... shape) {
        return new Tensor(shape, data);
    }

    /** The product of the dimensions (1 for a scalar's empty shape); rejects negative dimensions. */
    public static long elementCount(int[] shape) {
        long size = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            size = Math.multiplyExact(size, (long) d);
        }
        return size;
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public int size() {
        return data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
