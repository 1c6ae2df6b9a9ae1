package dev.lenet5.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Proxy;
import java.util.Random;

import dev.lenet5.tensor.kernel.ConvGeometry;
import dev.lenet5.tensor.kernel.Kernels;
import dev.lenet5.tensor.kernel.ScalarKernels;
import dev.lenet5.tensor.kernel.TensorKernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The benchmarks' setups really check the kernels (a wrong kernel must stop the benchmark before it
 * reports a number), and the benchmark bodies compute what they claim. No JMH run here.
 */
class BenchmarkSetupTest {

    /** Scalar kernels, except that sgemm or col2im adds 1e-3 to one output entry. */
    private static TensorKernels brokenAt(String method) {
        return (TensorKernels) Proxy.newProxyInstance(TensorKernels.class.getClassLoader(),
                new Class<?>[]{TensorKernels.class}, (proxy, m, args) -> {
                    Object result = m.invoke(ScalarKernels.INSTANCE, args);
                    if (m.getName().equals(method) && method.equals("sgemm")) {
                        ((float[]) args[13])[(int) args[14] + 1] += 1e-3f;
                    } else if (m.getName().equals(method) && method.equals("col2im")) {
                        ((float[]) args[4])[(int) args[5] + 2] += 1e-3f;
                    }
                    return m.getName().equals("name") ? "broken" : result;
                });
    }

    private static float[] random(int n, long seed) {
        return GemmBenchmark.uniform(n, new Random(seed));
    }

    @Test
    void gemmCheckAcceptsScalarAndRejectsAKernelOffByOneThousandth() {
        for (GemmShape s : new GemmShape[]{GemmShape.FC3_FWD, GemmShape.CONV2_WGRAD_B1, GemmShape.CONV2_IGRAD_B1, GemmShape.ODD}) {
            float[] a = random(s.m() * s.k(), 1);
            float[] b = random(s.k() * s.n(), 2);
            float[] c = random(s.m() * s.n(), 3);
            assertDoesNotThrow(() -> GemmCheck.verify("test", ScalarKernels.INSTANCE, s, 1f, a, b, c));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> GemmCheck.verify("test", brokenAt("sgemm"), s, 1f, a, b, c));
            assertTrue(e.getMessage().contains("broken sgemm " + s.paramName()), e.getMessage());
            assertTrue(e.getMessage().contains("C[0,1]"), e.getMessage());
        }
    }

    private static void assumeAvailable(String kernels) {
        if (kernels.startsWith("simd")) {
            assumeTrue(Kernels.vectorModulePresent(), "SIMD benchmark setup needs --add-modules jdk.incubator.vector");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "simd"})
    void gemmBenchmarkSetupChecksAndTheBodyComputesTheProduct(String kernels) {
        assumeAvailable(kernels);
        for (String shape : new String[]{"fc3_fwd", "fc2_wgrad", "conv2_fwd_b1", "odd"}) {
            GemmBenchmark bench = new GemmBenchmark();
            bench.shape = shape;
            bench.kernels = kernels;
            bench.setup();
            float[] c = bench.sgemm();
            GemmShape s = GemmShape.parse(shape);
            // Same seeds as the setup: recompute with the reference and compare.
            Random random = new Random(42);
            float[] a = GemmBenchmark.uniform(s.m() * s.k(), random);
            float[] b = GemmBenchmark.uniform(s.k() * s.n(), random);
            float[] want = GemmBenchmark.uniform(s.m() * s.n(), random);
            if (s.beta() != 0f) {
                java.util.Arrays.fill(want, 0f);
            }
            ScalarKernels.INSTANCE.sgemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), 1f, a, 0, s.lda(), b, 0, s.ldb(),
                    s.beta(), want, 0, s.n());
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], c[i], 1e-4 * (1 + s.k()), kernels + " " + shape + " C[" + i + "]");
            }
        }
    }

    @Test
    void im2colCheckAcceptsScalarAndRejectsABrokenCol2im() {
        for (String name : new String[]{"conv1", "conv2", "stride2"}) {
            ConvGeometry g = Im2ColBenchmark.geometry(name);
            float[] x = random(g.inputSize(), 4);
            float[] cols = random(g.patchSize() * g.outPixels(), 5);
            assertDoesNotThrow(() -> Im2ColBenchmark.verify(ScalarKernels.INSTANCE, g, x, cols));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Im2ColBenchmark.verify(brokenAt("col2im"), g, x, cols));
            assertTrue(e.getMessage().contains("col2im differs"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Im2ColBenchmark.geometry("conv9"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "simd"})
    void im2colBenchmarkSetupRunsForEveryGeometry(String kernels) {
        assumeAvailable(kernels);
        for (String name : new String[]{"conv1", "conv2", "stride2"}) {
            Im2ColBenchmark bench = new Im2ColBenchmark();
            bench.geometry = name;
            bench.kernels = kernels;
            bench.setup();
            ConvGeometry g = Im2ColBenchmark.geometry(name);
            float[] cols = bench.im2col();
            assertEquals(g.patchSize() * g.outPixels(), cols.length);
            float[] want = new float[cols.length];
            float[] x = GemmBenchmark.uniform(g.inputSize(), new Random(7));
            ScalarKernels.INSTANCE.im2col(g, x, 0, want, 0, g.outPixels());
            assertArrayEquals(want, cols, kernels + " " + name);
            bench.col2im();
        }
    }
}
