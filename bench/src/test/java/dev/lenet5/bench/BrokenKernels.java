package dev.lenet5.bench;

import java.lang.reflect.Proxy;

import dev.lenet5.tensor.kernel.ScalarKernels;
import dev.lenet5.tensor.kernel.TensorKernels;

/** Scalar kernels with one deliberate fault, to show that the benchmarks' setup checks catch it. */
final class BrokenKernels {

    private BrokenKernels() {
    }

    /**
     * Scalar kernels except that every call of {@code method} then adds {@code delta} to one entry of its
     * output: sgemm's C[1], maxPoolForward's y[0], col2im's x[2].
     */
    static TensorKernels adding(String method, float delta) {
        return (TensorKernels) Proxy.newProxyInstance(TensorKernels.class.getClassLoader(),
                new Class<?>[]{TensorKernels.class}, (proxy, m, args) -> {
                    if (m.getName().equals("name")) {
                        return "broken-" + method;
                    }
                    Object result = m.invoke(ScalarKernels.INSTANCE, args);
                    if (m.getName().equals(method)) {
                        switch (method) {
                            case "sgemm":
                                ((float[]) args[13])[(int) args[14] + 1] += delta;
                                break;
                            case "maxPoolForward":
                                ((float[]) args[7])[(int) args[8]] += delta;
                                break;
                            case "col2im":
                                ((float[]) args[4])[(int) args[5] + 2] += delta;
                                break;
                            default:
                                throw new IllegalArgumentException("no fault defined for " + method);
                        }
                    }
                    return result;
                });
    }
}
