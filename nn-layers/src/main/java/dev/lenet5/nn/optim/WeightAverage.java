package dev.lenet5.nn.optim;

import dev.lenet5.nn.Parameter;
import dev.lenet5.nn.Tensor;
import dev.lenet5.tensor.kernel.TensorKernels;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An exponential moving average of the parameters (Polyak averaging), updated after each optimiser step:
 * <pre>
 * d   = min(decay, (1 + t) / (10 + t))      t = updates so far: a short memory while the average is young
 * avg = d * avg + (1 - d) * param
 * </pre>
 * It does not change training: the optimiser keeps stepping the raw parameters. Evaluating the average
 * smooths out the step-to-step noise of a constant learning rate; {@link #swap} puts it in the parameters
 * for an evaluation (or for saving) and a second {@code swap} puts the raw values back.
 *
 * <p>The state, named {@code ema.average.<parameter>}, and the update count are saved in checkpoints so a
 * resumed run continues the same average.
 */
public final class WeightAverage {

    public static final String NAME = "ema";
    private static final int AVERAGE = 0;

    private final List<Parameter> parameters;
    private final TensorKernels kernels;
    private final double decay;
    private final OptimizerState state;
    private final float[][] stash;   // the raw values while the average is swapped in
    private long updates;
    private boolean swapped;

    /**
     * Starts the average at the parameters' current values.
     *
     * @param decay in [0, 1): the weight of the old average per update (0 follows the parameters exactly)
     */
    public WeightAverage(List<Parameter> parameters, TensorKernels kernels, double decay) {
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("the weight average's decay must be in [0, 1), got " + decay);
        }
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        this.parameters = OptimizerState.checkedParameters(NAME, parameters);
        this.decay = decay;
        this.state = new OptimizerState(NAME, this.parameters, "average");
        this.stash = new float[this.parameters.size()][];
        for (int i = 0; i < this.parameters.size(); i++) {
            Parameter p = this.parameters.get(i);
            System.arraycopy(p.data(), 0, state.buffer(AVERAGE, i), 0, p.size());
            stash[i] = new float[p.size()];
        }
    }

    /** The parameters it averages, in the order given at construction. */
    public List<Parameter> parameters() {
        return parameters;
    }

    public double decay() {
        return decay;
    }

    public long updates() {
        return updates;
    }

    /** The decay the next {@link #update} will use. */
    public double currentDecay() {
        return Math.min(decay, (1.0 + updates) / (10.0 + updates));
    }

    /** Folds the parameters' current values into the average. */
    public void update() {
        if (swapped) {
            throw new IllegalStateException("the weight average is swapped into the parameters; swap it back first");
        }
        float d = (float) currentDecay();
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            float[] avg = state.buffer(AVERAGE, i);
            kernels.scale(p.size(), d, avg, 0);
            kernels.axpy(p.size(), 1f - d, p.data(), 0, avg, 0);
        }
        updates++;
    }

    /** Exchanges the parameters' values with the average; call again to undo. */
    public void swap() {
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            float[] avg = state.buffer(AVERAGE, i);
            System.arraycopy(p.data(), 0, stash[i], 0, p.size());
            System.arraycopy(avg, 0, p.data(), 0, p.size());
            System.arraycopy(stash[i], 0, avg, 0, p.size());
        }
        swapped = !swapped;
    }

    /** Whether the parameters currently hold the average. */
    public boolean isSwapped() {
        return swapped;
    }

    /** A copy of the average as {@code ema.average.<parameter>} tensors. */
    public Map<String, Tensor> state() {
        if (swapped) {
            throw new IllegalStateException("the weight average is swapped into the parameters; swap it back first");
        }
        return state.export();
    }

    /**
     * Restores a saved average and its update count (tensors of other prefixes are ignored).
     *
     * @throws IllegalArgumentException naming the missing, unexpected or misshapen tensors
     */
    public void restoreState(long updateCount, Map<String, Tensor> saved) {
        OptimizerState.checkStepCount(NAME, updateCount);
        if (swapped) {
            throw new IllegalStateException("the weight average is swapped into the parameters; swap it back first");
        }
        state.restore(saved);
        updates = updateCount;
    }
}
