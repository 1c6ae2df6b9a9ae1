package dev.lenet5.nn;

import java.util.Arrays;
import java.util.Objects;

/**
 * A trainable tensor: a name as in PyTorch's state_dict ({@code conv1.weight}), a shape in PyTorch's layout,
 * the values and the accumulated gradient, both flat row-major {@code float[]} of the same length.
 *
 * <p>The arrays are exposed, not copied: layers compute with them in place and optimisers update them.
 * A {@linkplain #replica() replica} shares the value array but owns its gradient, which is what lets several
 * model replicas train one set of weights (each accumulates its own gradient; the sums are added in a fixed
 * order before the optimiser steps).
 */
public final class Parameter {

    private final String name;
    private final int[] shape;
    private final float[] data;
    private final float[] grad;

    /** A parameter of the given shape with all values and gradients zero. */
    public Parameter(String name, int... shape) {
        this(name, shape, new float[checkedSize(name, shape)]);
    }

    private Parameter(String name, int[] shape, float[] data) {
        this.name = Objects.requireNonNull(name, "name");
        this.shape = shape.clone();
        this.data = data;
        this.grad = new float[data.length];
    }

    private static int checkedSize(String name, int[] shape) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("parameter name must not be empty");
        }
        long size = 1;
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("parameter " + name + ": every dimension must be at least 1, got "
                        + Arrays.toString(shape));
            }
            size *= d;
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("parameter " + name + " is too large: " + Arrays.toString(shape));
            }
        }
        return (int) size;
    }

    public String name() {
        return name;
    }

    /** The shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** Number of elements. */
    public int size() {
        return data.length;
    }

    /** The values, live: writes change the parameter (and every replica's view of it). */
    public float[] data() {
        return data;
    }

    /** The accumulated gradient, live; {@link #zeroGrad()} clears it. */
    public float[] grad() {
        return grad;
    }

    public void zeroGrad() {
        Arrays.fill(grad, 0f);
    }

    /** A parameter with the same name and shape that shares this one's values but has its own zero gradient. */
    public Parameter replica() {
        return new Parameter(name, shape, data);
    }

    /** Whether {@code other} is this parameter or a replica of it (same name, same value array). */
    public boolean sharesValuesWith(Parameter other) {
        return other.data == data && other.name.equals(name);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
