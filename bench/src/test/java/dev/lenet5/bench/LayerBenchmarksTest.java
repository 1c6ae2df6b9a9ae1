package dev.lenet5.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

import dev.lenet5.nn.Conv2d;
import dev.lenet5.nn.Linear;
import dev.lenet5.nn.MaxPool2d;
import dev.lenet5.tensor.kernel.Kernels;
import dev.lenet5.tensor.kernel.ScalarKernels;
import dev.lenet5.tensor.kernel.TensorKernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.annotations.Param;

/**
 * The layer benchmarks: their setups reject kernels that are wrong by a thousandth, accept the real ones,
 * and their bodies compute the layer's results. No JMH run here.
 */
class LayerBenchmarksTest {

    private static void assumeAvailable(String kernels) {
        if (kernels.startsWith("simd")) {
            assumeTrue(Kernels.vectorModulePresent(), "SIMD needs --add-modules jdk.incubator.vector");
        }
    }

    private static float[] random(int n, long seed) {
        return GemmBenchmark.uniform(n, new Random(seed));
    }

    @Test
    void convCasesHaveLeNetShapesAndHandCountedFlops() {
        Conv2d conv1 = ConvCase.CONV1.create(ScalarKernels.INSTANCE, 1);
        assertEquals(1024, conv1.inputSize());
        assertEquals(6 * 28 * 28, conv1.outputSize());
        Conv2d conv2 = ConvCase.CONV2.create(ScalarKernels.INSTANCE, 1);
        assertEquals(6 * 14 * 14, conv2.inputSize());
        assertEquals(16 * 10 * 10, conv2.outputSize());
        Conv2d odd = ConvCase.ODD.create(ScalarKernels.INSTANCE, 1);
        assertEquals(7 * 8 * 9, odd.outputSize(), "(17 + 2 - 5) / 2 + 1 = 8 rows, (19 + 2 - 5) / 2 + 1 = 9 columns");
        // 6 filters x 25 taps x 784 pixels, two FLOP each.
        assertEquals(235_200L, ConvCase.CONV1.forwardFlops(1));
        assertEquals(480_000L * 120, ConvCase.CONV2.forwardFlops(120));
        assertEquals(2 * 480_000L, ConvCase.CONV2.backwardFlops(1));
        assertEquals("6x14x14>16 k5", ConvCase.CONV2.describe());
        assertEquals("3x17x19>7 k5 s2 p1", ConvCase.ODD.describe());
        assertEquals(96_000L, LinearCase.FC1.forwardFlops(1));
        assertThrows(IllegalArgumentException.class, () -> ConvCase.parse("conv3"));
        assertThrows(IllegalArgumentException.class, () -> PoolCase.parse("pool3"));
        assertThrows(IllegalArgumentException.class, () -> LinearCase.parse("fc4"));
    }

    @Test
    void everyParameterValueNamesACase() throws Exception {
        assertEquals(names(ConvCase.values()), params(ConvBenchmark.class, "conv"));
        assertEquals(names(PoolCase.values()), params(PoolBenchmark.class, "pool"));
        assertEquals(names(LinearCase.values()), params(LinearBenchmark.class, "fc"));
        for (Class<?> c : List.of(ConvBenchmark.class, PoolBenchmark.class, LinearBenchmark.class)) {
            assertEquals(List.of("120", "1"), params(c, "batch"), c.getSimpleName());
            assertEquals(List.of("scalar", "simd"), params(c, "kernels"), c.getSimpleName());
        }
    }

    private static List<String> params(Class<?> type, String field) throws NoSuchFieldException {
        return Arrays.asList(type.getField(field).getAnnotation(Param.class).value());
    }

    private static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(v -> v.name().toLowerCase(java.util.Locale.ROOT)).collect(Collectors.toList());
    }

    @Test
    void convCheckRejectsAKernelOffByOneThousandth() {
        for (ConvCase c : ConvCase.values()) {
            float[] x = random(3 * c.geometry().inputSize(), 1);
            float[] dy = random(3 * c.outChannels() * c.geometry().outPixels(), 2);
            assertDoesNotThrow(() -> ConvBenchmark.verify(c, ScalarKernels.INSTANCE, 3, x, dy));
            // The layer may lower to sgemm or call a direct convolution kernel: break both.
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ConvBenchmark.verify(c, BrokenKernels.adding(1e-3f, "sgemm", "convForward"), 3, x, dy));
            assertTrue(e.getMessage().startsWith("ConvBenchmark setup: broken-sgemm-convForward " + c.paramName()
                    + " batch 3 forward output"), e.getMessage());
            // A fault only in the backward pass is caught too. The weight gradient sums thousands of products
            // (tolerance about 1e-3 of its largest entry, about 20 here), so the fault is 0.1: still far below
            // what a kernel that reads a wrong element gets wrong.
            e = assertThrows(IllegalStateException.class,
                    () -> ConvBenchmark.verify(c, BrokenKernels.adding(0.1f, "col2im", "convBackward"), 3, x, dy));
            assertTrue(e.getMessage().contains("gradient"), e.getMessage());
        }
    }

    @Test
    void poolCheckDemandsExactEquality() {
        for (PoolCase c : PoolCase.values()) {
            MaxPool2d layer = c.create(ScalarKernels.INSTANCE);
            float[] x = random(2 * layer.inputSize(), 3);
            float[] dy = random(2 * layer.outputSize(), 4);
            assertDoesNotThrow(() -> PoolBenchmark.verify(c, ScalarKernels.INSTANCE, 2, x, dy));
            // One ulp-sized change is already too much for a kernel that only compares and copies.
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> PoolBenchmark.verify(c, BrokenKernels.adding(1e-6f, "maxPoolForward"), 2, x, dy));
            assertTrue(e.getMessage().contains("forward output"), e.getMessage());
            e = assertThrows(IllegalStateException.class,
                    () -> PoolBenchmark.verify(c, BrokenKernels.adding(1e-6f, "maxPoolBackward"), 2, x, dy));
            assertTrue(e.getMessage().contains("input gradient"), e.getMessage());
        }
    }

    @Test
    void linearCheckRejectsAGemmOffByOneThousandth() {
        for (LinearCase c : LinearCase.values()) {
            float[] x = random(5 * c.in(), 5);
            float[] dy = random(5 * c.out(), 6);
            assertDoesNotThrow(() -> LinearBenchmark.verify(c, ScalarKernels.INSTANCE, 5, x, dy));
            assertThrows(IllegalStateException.class,
                    () -> LinearBenchmark.verify(c, BrokenKernels.adding(1e-3f, "sgemm"), 5, x, dy));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "simd"})
    void convBenchmarkBodiesComputeTheLayer(String kernels) {
        assumeAvailable(kernels);
        for (ConvCase c : ConvCase.values()) {
            for (int batch : new int[]{1, 120}) {
                ConvBenchmark bench = new ConvBenchmark();
                bench.conv = c.paramName();
                bench.batch = batch;
                bench.kernels = kernels;
                bench.setup();
                bench.clearGradients();
                Random random = new Random(11);   // the setup's seed and order
                float[] x = GemmBenchmark.uniform(batch * c.geometry().inputSize(), random);
                float[] dy = GemmBenchmark.uniform(batch * c.outChannels() * c.geometry().outPixels(), random);
                Conv2d ref = c.create(ScalarKernels.INSTANCE, ConvBenchmark.SEED);
                float[] want = ref.forward(x, batch).clone();
                float[] wantDx = ref.backward(dy, batch).clone();
                Agreement.requireClose("forward", want, bench.forward(), want.length, 1e-4);
                Agreement.requireClose("backward", wantDx, bench.backward(), wantDx.length, 1e-4);
                Agreement.requireClose("forwardBackward", wantDx, bench.forwardBackward(), wantDx.length, 1e-4);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "simd"})
    void poolAndLinearBenchmarkBodiesComputeTheLayer(String kernels) {
        assumeAvailable(kernels);
        for (PoolCase c : PoolCase.values()) {
            PoolBenchmark bench = new PoolBenchmark();
            bench.pool = c.paramName();
            bench.batch = 120;
            bench.kernels = kernels;
            bench.setup();
            MaxPool2d ref = c.create(ScalarKernels.INSTANCE);
            Random random = new Random(13);
            float[] x = GemmBenchmark.uniform(120 * ref.inputSize(), random);
            float[] dy = GemmBenchmark.uniform(120 * ref.outputSize(), random);
            float[] want = ref.forward(x, 120);
            assertArrayEquals(Arrays.copyOf(want, 120 * ref.outputSize()),
                    Arrays.copyOf(bench.forward(), 120 * ref.outputSize()), c.paramName());
            float[] wantDx = ref.backward(dy, 120);
            assertArrayEquals(Arrays.copyOf(wantDx, 120 * ref.inputSize()),
                    Arrays.copyOf(bench.forwardBackward(), 120 * ref.inputSize()), c.paramName());
        }
        for (LinearCase c : LinearCase.values()) {
            LinearBenchmark bench = new LinearBenchmark();
            bench.fc = c.paramName();
            bench.batch = 1;
            bench.kernels = kernels;
            bench.setup();
            Linear ref = c.create(ScalarKernels.INSTANCE, LinearBenchmark.SEED);
            Random random = new Random(17);
            float[] x = GemmBenchmark.uniform(c.in(), random);
            float[] want = ref.forward(x, 1);
            Agreement.requireClose(c.paramName(), want, bench.forward(), c.out(), 1e-4);
        }
    }

    @Test
    void agreementScalesWithTheLargestValue() {
        float[] want = {100f, 0f, -3f};
        assertDoesNotThrow(() -> Agreement.requireClose("t", want, new float[]{100f, 0.009f, -3f}, 3, 1e-4));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Agreement.requireClose("t", want, new float[]{100f, 0.011f, -3f}, 3, 1e-4));
        assertTrue(e.getMessage().startsWith("t: entry 1 is 0.011"), e.getMessage());
        assertThrows(IllegalStateException.class,
                () -> Agreement.requireClose("t", want, new float[]{100f, Float.NaN, -3f}, 3, 1e-4));
        assertThrows(IllegalStateException.class, () -> Agreement.requireEqual("t", want, new float[]{100f, -0f, -3f}, 3),
                "equality is bit for bit");
        assertTrue(Agreement.forSums(150) > Agreement.forSums(25));
    }

    /** Guards against a kernels name that exists nowhere: every benchmark's kernels parameter is creatable. */
    @Test
    void scalarKernelsNameIsWhatTheBenchmarksAskFor() {
        TensorKernels k = Kernels.create("scalar");
        assertEquals(ScalarKernels.INSTANCE, k);
    }
}
