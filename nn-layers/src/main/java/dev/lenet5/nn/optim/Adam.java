package dev.lenet5.nn.optim;

import dev.lenet5.nn.Parameter;
import dev.lenet5.tensor.kernel.TensorKernels;
import java.util.List;

/**
 * Adam as PyTorch's {@code torch.optim.Adam} (amsgrad off): per step t,
 * <pre>
 * g = grad + weightDecay * p                  (L2 penalty, only when weightDecay != 0)
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g^2
 * p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * in PyTorch's arithmetic order (the kernels' {@code adamUpdate}); the bias corrections are computed in double.
 * State tensors: {@code adam.m.<param>} and {@code adam.v.<param>}.
 */
public final class Adam extends AbstractOptimizer {

    public static final String NAME = "adam";
    private static final int M = 0;
    private static final int V = 1;

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final float[][] decayed;   // per parameter: grad + weightDecay * p, when weight decay is on

    /** PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public Adam(List<Parameter> parameters, TensorKernels kernels, double lr) {
        this(parameters, kernels, lr, 0.9, 0.999, 1e-8, 0.0);
    }

    public Adam(List<Parameter> parameters, TensorKernels kernels, double lr,
                double beta1, double beta2, double eps, double weightDecay) {
        super(NAME, parameters, kernels, lr, "m", "v");
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("adam: betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("adam: eps must be finite and >= 0, got " + eps);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("adam: weight decay must be finite and >= 0, got " + weightDecay);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decayed = new float[this.parameters.size()][];
        if (weightDecay != 0) {
            for (int i = 0; i < decayed.length; i++) {
                decayed[i] = new float[this.parameters.get(i).size()];
            }
        }
    }

    @Override
    public void step() {
        long t = beginStep();
        // PyTorch computes the corrections in double (Python floats) and the update in float.
        float stepSize = (float) (lr / (1 - Math.pow(beta1, t)));
        float bc2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, t));
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            float[] g = p.grad();
            if (weightDecay != 0) {
                // g' = grad + wd * p in a scratch buffer: the parameter's gradient stays what backward computed.
                g = decayed[i];
                System.arraycopy(p.grad(), 0, g, 0, p.size());
                kernels.axpy(p.size(), (float) weightDecay, p.data(), 0, g, 0);
            }
            kernels.adamUpdate(p.size(), p.data(), 0, g, 0, state.buffer(M, i), state.buffer(V, i),
                    (float) beta1, (float) beta2, stepSize, bc2Sqrt, (float) eps);
        }
        endStep(t);
    }
}
