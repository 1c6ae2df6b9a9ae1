package dev.lenet5.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import dev.lenet5.tensor.kernel.ConvAlgorithm;
import dev.lenet5.tensor.kernel.Kernels;
import dev.lenet5.tensor.kernel.ScalarKernels;
import dev.lenet5.tensor.kernel.TensorKernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The convolution benchmark's algorithm parameter: it reaches the kernels, each SIMD algorithm passes the setup's
 * check against the scalar reference, and the bodies compute the layer. No JMH run here.
 */
class ConvAlgorithmBenchmarkTest {

    @Test
    void theParameterReachesTheKernels() {
        List<ConvAlgorithm> asked = new ArrayList<>();
        TensorKernels recording = (TensorKernels) Proxy.newProxyInstance(TensorKernels.class.getClassLoader(),
                new Class<?>[] {TensorKernels.class}, (proxy, m, args) -> {
                    if (m.getName().equals("withConvAlgorithm")) {
                        asked.add((ConvAlgorithm) args[0]);
                        return ScalarKernels.INSTANCE;
                    }
                    return m.invoke(ScalarKernels.INSTANCE, args);
                });
        for (String algorithm : new String[] {"im2col", "direct", "auto"}) {
            ConvBenchmark bench = new ConvBenchmark();
            bench.conv = "conv2";
            bench.batch = 1;
            bench.algorithm = algorithm;
            bench.checkedCase(recording);
        }
        assertEquals(List.of(ConvAlgorithm.IM2COL, ConvAlgorithm.DIRECT, ConvAlgorithm.AUTO), asked);
        ConvBenchmark unknown = new ConvBenchmark();
        unknown.conv = "conv2";
        unknown.batch = 1;
        unknown.algorithm = "winograd";
        assertThrows(IllegalArgumentException.class, () -> unknown.checkedCase(ScalarKernels.INSTANCE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"im2col", "direct"})
    void eachSimdAlgorithmPassesTheCheckAndItsBodiesMatchTheScalarBenchmarks(String algorithm) {
        assumeTrue(Kernels.vectorModulePresent(), "SIMD needs --add-modules jdk.incubator.vector");
        int batch = 3;
        for (ConvCase c : ConvCase.values()) {
            ConvBenchmark simd = started(c, batch, "simd", algorithm);   // its setup checks against scalar
            ConvBenchmark scalar = started(c, batch, "scalar", "auto");
            int out = batch * c.outChannels() * c.geometry().outPixels();
            int in = batch * c.geometry().inputSize();
            String what = algorithm + " " + c.paramName();
            Agreement.requireClose(what + " forward", scalar.forward(), simd.forward(), out, 1e-4);
            Agreement.requireClose(what + " backward", scalar.backward(), simd.backward(), in, 1e-4);
            Agreement.requireClose(what + " both", scalar.forwardBackward(), simd.forwardBackward(), in, 1e-4);
        }
    }

    /** A convolution benchmark after JMH's setups, on its seeded inputs. */
    private static ConvBenchmark started(ConvCase c, int batch, String kernels, String algorithm) {
        ConvBenchmark bench = new ConvBenchmark();
        bench.conv = c.paramName();
        bench.batch = batch;
        bench.kernels = kernels;
        bench.algorithm = algorithm;
        bench.setup();
        bench.clearGradients();
        return bench;
    }
}
