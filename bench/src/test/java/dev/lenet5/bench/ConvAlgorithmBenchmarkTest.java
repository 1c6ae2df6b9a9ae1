package dev.lenet5.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.lenet5.nn.Conv2d;
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
    void eachSimdAlgorithmPassesTheCheckAndTheBodiesComputeTheLayer(String algorithm) {
        assumeTrue(Kernels.vectorModulePresent(), "SIMD needs --add-modules jdk.incubator.vector");
        for (ConvCase c : ConvCase.values()) {
            int batch = 3;
            ConvBenchmark bench = new ConvBenchmark();
            bench.conv = c.paramName();
            bench.batch = batch;
            bench.kernels = "simd";
            bench.algorithm = algorithm;
            bench.setup();
            bench.clearGradients();
            Random random = new Random(11);   // the setup's seed and order
            float[] x = GemmBenchmark.uniform(batch * c.geometry().inputSize(), random);
            float[] dy = GemmBenchmark.uniform(batch * c.outChannels() * c.geometry().outPixels(), random);
            Conv2d ref = c.create(ScalarKernels.INSTANCE, ConvBenchmark.SEED);
            float[] want = ref.forward(x, batch).clone();
            float[] wantDx = ref.backward(dy, batch).clone();
            Agreement.requireClose(algorithm + " forward", want, bench.forward(), want.length, 1e-4);
            Agreement.requireClose(algorithm + " backward", wantDx, bench.backward(), wantDx.length, 1e-4);
        }
    }
}
