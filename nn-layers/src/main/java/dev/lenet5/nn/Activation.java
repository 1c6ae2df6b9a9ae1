package dev.lenet5.nn;

/**
 * An activation a layer applies to its own output, fused into its kernels: saves a separate activation
 * layer's pass over memory and its buffers. {@link #RELU} is {@code max(x, 0)} with NaN passing through (so a
 * diverging run stays visible), its gradient passing where the output is positive (0 at exactly 0, as in
 * PyTorch).
 */
public enum Activation {
    NONE,
    RELU
}
