package dev.lenet5.nn;

/**
 * An activation a layer applies to its own output, fused into its kernels: saves the activation layer's
 * pass over memory and its buffers. {@link #RELU} is {@code max(x, 0)} with NaN passing through, exactly as
 * the separate {@link ReLU} layer.
 */
public enum Activation {
    NONE,
    RELU
}
