package dev.lenet5.nn;

import java.util.List;

/**
 * One stage of a feed-forward network over a batch of samples, each sample a flat block of
 * {@link #inputSize()} floats (NCHW row-major for images) in, {@link #outputSize()} floats out.
 *
 * <p>Buffer ownership: {@link #forward} returns the layer's own output buffer and {@link #backward} its own
 * input-gradient buffer. Both are sized for the largest batch seen so far and reused (a smaller batch uses
 * the first {@code batch * size} floats), so a returned array is only valid until the next call of the same
 * method, and may be longer than the batch needs. A layer may keep a reference to the input given to
 * {@code forward} for use in {@code backward}: the caller must not change it in between.
 *
 * <p>Instances are not thread-safe; for data parallelism give each thread its own {@link #replica()}.
 */
public interface Layer {

    /** Name used in messages and parameter names, e.g. {@code conv1}. */
    String name();

    /** Floats per input sample. */
    int inputSize();

    /** Floats per output sample. */
    int outputSize();

    /**
     * Computes the output for {@code batch} samples stored at the start of {@code x}.
     *
     * @return the layer's output buffer, valid until the next {@code forward}
     */
    float[] forward(float[] x, int batch);

    /**
     * Given the gradient of the loss with respect to the last forward's output, accumulates the parameter
     * gradients ({@code grad += ...}) and returns the gradient with respect to the input.
     *
     * @param dy gradient of the output, at least {@code batch * outputSize()} floats
     * @param batch must equal the batch of the last {@code forward}
     * @return the layer's input-gradient buffer, valid until the next {@code backward}; {@code null} only from a
     *         layer whose input gradient was switched off ({@link Conv2d#setInputGradientEnabled})
     */
    float[] backward(float[] dy, int batch);

    /** Trainable parameters in state_dict order (weight before bias); empty for parameter-free layers. */
    default List<Parameter> parameters() {
        return List.of();
    }

    /** A layer that shares this one's parameter values but owns its gradients and buffers. */
    Layer replica();
}
