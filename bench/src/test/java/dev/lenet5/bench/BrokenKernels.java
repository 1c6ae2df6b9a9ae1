package dev.lenet5.bench;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;

import dev.lenet5.tensor.kernel.ScalarKernels;
import dev.lenet5.tensor.kernel.TensorKernels;

/** Scalar kernels with deliberate faults, to show that the benchmarks' setup checks catch them. */
final class BrokenKernels {

    /** Per kernel: the argument positions of its output array and that array's offset, and the entry hit. */
    private static final Map<String, int[]> OUTPUTS = Map.of(
            "sgemm", new int[]{13, 14, 1},            // C[1]
            "convForward", new int[]{10, 11, 1},      // y[1]
            "convBackward", new int[]{11, 12, 0},     // dw[0]
            "col2im", new int[]{4, 5, 2},             // x[2]
            "maxPoolForward", new int[]{7, 8, 0},     // y[0]
            "maxPoolBackward", new int[]{7, 8, 0});   // dx[0]

    private BrokenKernels() {
    }

    /**
     * Scalar kernels except that each call of one of {@code methods} then adds {@code delta} to one entry of
     * its output. Naming several kernels that can do the same job (sgemm and convForward) breaks a layer
     * whichever of them it happens to use.
     */
    static TensorKernels adding(float delta, String... methods) {
        List<String> broken = List.of(methods);
        for (String m : broken) {
            if (!OUTPUTS.containsKey(m)) {
                throw new IllegalArgumentException("no fault defined for " + m);
            }
        }
        return (TensorKernels) Proxy.newProxyInstance(TensorKernels.class.getClassLoader(),
                new Class<?>[]{TensorKernels.class}, (proxy, m, args) -> {
                    if (m.getName().equals("name")) {
                        return "broken-" + String.join("-", broken);
                    }
                    Object result = m.invoke(ScalarKernels.INSTANCE, args);
                    if (broken.contains(m.getName())) {
                        int[] out = OUTPUTS.get(m.getName());
                        ((float[]) args[out[0]])[(int) args[out[1]] + out[2]] += delta;
                    }
                    return result;
                });
    }
}
