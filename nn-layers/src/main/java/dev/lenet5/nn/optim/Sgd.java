package dev.lenet5.nn.optim;

import dev.lenet5.nn.Parameter;
import dev.lenet5.tensor.kernel.TensorKernels;
import java.util.List;

/**
 * Stochastic gradient descent as PyTorch's {@code torch.optim.SGD} with dampening 0:
 * <pre>
 * g = grad + weightDecay * p                  (only when weightDecay != 0)
 * b = momentum * b + g                        (b starts at 0, so the first step sets b = g, as in PyTorch)
 * g = nesterov ? g + momentum * b : b         (only when momentum != 0)
 * p = p - lr * g
 * </pre>
 * State tensors: {@code sgd.momentum.<param>} (present, zero, even when momentum is 0, so checkpoints have
 * one layout).
 */
public final class Sgd extends AbstractOptimizer {

    public static final String NAME = "sgd";
    private static final int MOMENTUM = 0;

    private final double momentum;
    private final boolean nesterov;
    private final double weightDecay;
    private final float[][] scratch;   // per parameter: the effective gradient g

    /** Plain SGD: no momentum, no weight decay. */
    public Sgd(List<Parameter> parameters, TensorKernels kernels, double lr) {
        this(parameters, kernels, lr, 0.0, false, 0.0);
    }

    /**
     * @throws IllegalArgumentException for negative hyper-parameters, or Nesterov without momentum (as PyTorch)
     */
    public Sgd(List<Parameter> parameters, TensorKernels kernels, double lr,
               double momentum, boolean nesterov, double weightDecay) {
        super(NAME, parameters, kernels, lr, "momentum");
        if (!(momentum >= 0) || Double.isInfinite(momentum)) {
            throw new IllegalArgumentException("sgd: momentum must be finite and >= 0, got " + momentum);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("sgd: weight decay must be finite and >= 0, got " + weightDecay);
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("sgd: Nesterov momentum needs a momentum > 0");
        }
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
        this.scratch = new float[this.parameters.size()][];
        for (int i = 0; i < scratch.length; i++) {
            scratch[i] = new float[this.parameters.get(i).size()];
        }
    }

    @Override
    public void step() {
        long t = beginStep();
        float mu = (float) momentum;
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            int n = p.size();
            float[] g = scratch[i];
            System.arraycopy(p.grad(), 0, g, 0, n);
            if (weightDecay != 0) {
                kernels.axpy(n, (float) weightDecay, p.data(), 0, g, 0);
            }
            if (momentum != 0) {
                float[] b = state.buffer(MOMENTUM, i);
                kernels.scale(n, mu, b, 0);
                kernels.axpy(n, 1f, g, 0, b, 0);
                if (nesterov) {
                    kernels.axpy(n, mu, b, 0, g, 0);
                } else {
                    System.arraycopy(b, 0, g, 0, n);
                }
            }
            kernels.axpy(n, (float) -lr, g, 0, p.data(), 0);
        }
        endStep(t);
    }
}
