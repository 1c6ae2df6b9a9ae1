package dev.lenet5.nn;

/**
 * (N, C, H, W) → (N, C*H*W) in (C, H, W) order, as PyTorch's {@code flatten(1)}. NCHW row-major data is
 * already laid out that way, so both directions return their argument unchanged: no copy.
 */
public final class Flatten implements Layer {

    private final String name;
    private final int size;

    /** @param size floats per sample, C*H*W */
    public Flatten(String name, int size) {
        if (size < 1) {
            throw new IllegalArgumentException(name + ": size must be at least 1, got " + size);
        }
        this.name = name;
        this.size = size;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int inputSize() {
        return size;
    }

    @Override
    public int outputSize() {
        return size;
    }

    /** Returns {@code x} itself. */
    @Override
    public float[] forward(float[] x, int batch) {
        Buffers.checkBatch(name, "input", x, batch, size);
        return x;
    }

    /** Returns {@code dy} itself. */
    @Override
    public float[] backward(float[] dy, int batch) {
        Buffers.checkBatch(name, "output gradient", dy, batch, size);
        return dy;
    }

    @Override
    public Flatten replica() {
        return new Flatten(name, size);
    }
}
