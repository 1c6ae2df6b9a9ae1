package dev.lenet5.nn.optim;

import dev.lenet5.nn.Parameter;
import dev.lenet5.nn.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Updates a fixed list of parameters from their accumulated gradients, with PyTorch's semantics.
 *
 * <p>The state (moments, momentum buffers) is exposed as named tensors, e.g. {@code adam.m.conv1.weight},
 * plus the step count, so a checkpoint can save and restore it for resuming a run.
 */
public interface Optimizer {

    /** {@code adam} or {@code sgd}: also the prefix of the state tensors' names. */
    String name();

    /** The parameters this optimiser updates, in the order given at construction. */
    List<Parameter> parameters();

    /**
     * One update from the current gradients (which are left unchanged). Before changing anything it checks
     * every gradient and throws {@link dev.lenet5.nn.NonFiniteException} naming the step and parameter if
     * one is NaN or infinite, so a failed step leaves the parameters and state as they were.
     */
    void step();

    /** Steps taken so far (restored by {@link #restoreState}); the next {@link #step()} is step {@code stepCount() + 1}. */
    long stepCount();

    double learningRate();

    /** Takes effect from the next step (for schedules). */
    void setLearningRate(double lr);

    /** Sets every parameter's gradient to zero. */
    default void zeroGrad() {
        List<Parameter> params = parameters();
        for (int i = 0; i < params.size(); i++) {   // indexed: runs every step, no iterator garbage
            params.get(i).zeroGrad();
        }
    }

    /** A copy of the state as named tensors, in parameter order, shaped like their parameters. */
    Map<String, Tensor> state();

    /**
     * Replaces the state with a saved one. Tensors whose names do not start with {@link #name()}{@code .}
     * are ignored (a checkpoint may hold the model too); among the rest every expected name must be present
     * with its parameter's shape, and no other name is accepted.
     *
     * @throws IllegalArgumentException naming the missing, unexpected or misshapen tensors
     */
    void restoreState(long stepCount, Map<String, Tensor> state);
}
