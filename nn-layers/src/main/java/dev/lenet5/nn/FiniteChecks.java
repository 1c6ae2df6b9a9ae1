package dev.lenet5.nn;

import dev.lenet5.tensor.kernel.TensorKernels;
import java.util.List;

/**
 * Cheap guards against NaN and infinity. A sum over an array is finite exactly when every element is finite,
 * except when finite values overflow the sum, so the fast path is one kernel sum per array and the slow scan
 * (which finds the culprit, or clears an overflow false alarm) runs only when that sum is not finite.
 */
public final class FiniteChecks {

    private FiniteChecks() {
    }

    /** Index of the first NaN or infinite element among {@code x[0..n)}, or -1 if all are finite. */
    public static int firstNonFinite(TensorKernels kernels, float[] x, int n) {
        if (Float.isFinite(kernels.sum(n, x, 0))) {
            return -1;
        }
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(x[i])) {
                return i;
            }
        }
        return -1;
    }

    /** Throws if any parameter's gradient holds a NaN or infinity, naming the step, parameter and element. */
    public static void requireFiniteGradients(long step, List<Parameter> parameters, TensorKernels kernels) {
        for (int i = 0; i < parameters.size(); i++) {   // indexed: runs every step, no iterator garbage
            Parameter p = parameters.get(i);
            int bad = firstNonFinite(kernels, p.grad(), p.size());
            if (bad >= 0) {
                throw new NonFiniteException(step, p.name(), "gradient of " + p.name() + " is " + describe(p.grad()[bad])
                        + " (element " + bad + " of " + p.size() + ")");
            }
        }
    }

    static String describe(double v) {
        return Double.isNaN(v) ? "NaN" : v > 0 ? "+Infinity" : "-Infinity";
    }
}
