package dev.lenet5.nn.optim;

import dev.lenet5.nn.FiniteChecks;
import dev.lenet5.nn.Parameter;
import dev.lenet5.nn.Tensor;
import dev.lenet5.tensor.kernel.TensorKernels;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What every optimiser here shares: the parameters, the learning rate, the step count and the per-parameter
 * state buffers saved in checkpoints. A subclass writes only its update rule, between {@link #beginStep()}
 * and {@link #endStep(long)}.
 */
abstract class AbstractOptimizer implements Optimizer {

    protected final TensorKernels kernels;
    protected final List<Parameter> parameters;
    protected final OptimizerState state;
    protected double lr;
    private final String name;
    private long step;

    /** @param stateKinds the state buffers each parameter gets, e.g. {@code "m", "v"} for Adam */
    AbstractOptimizer(String name, List<Parameter> parameters, TensorKernels kernels, double lr, String... stateKinds) {
        this.name = name;
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        this.parameters = OptimizerState.checkedParameters(name, parameters);
        this.lr = OptimizerState.checkLearningRate(name, lr);
        this.state = new OptimizerState(name, this.parameters, stateKinds);
    }

    /**
     * The number the coming step will have (1 for the first), after checking every gradient is finite: a NaN
     * or infinity stops training here, naming the step and the parameter, before any weight changes.
     */
    protected final long beginStep() {
        long t = step + 1;
        FiniteChecks.requireFiniteGradients(t, parameters, kernels);
        return t;
    }

    /** Records that step {@code t} has been applied. */
    protected final void endStep(long t) {
        step = t;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public final long stepCount() {
        return step;
    }

    @Override
    public final double learningRate() {
        return lr;
    }

    @Override
    public final void setLearningRate(double lr) {
        this.lr = OptimizerState.checkLearningRate(name, lr);
    }

    @Override
    public final Map<String, Tensor> state() {
        return state.export();
    }

    @Override
    public final void restoreState(long stepCount, Map<String, Tensor> saved) {
        OptimizerState.checkStepCount(name, stepCount);
        state.restore(saved);
        step = stepCount;
    }
}
