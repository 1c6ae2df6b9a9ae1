package dev.lenet5.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lenet5.tensor.kernel.ConvGeometry;
import dev.lenet5.tensor.kernel.TensorKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every layer, on small odd shapes (stride 2, padding 1, batch 3, non-square images and kernels), against
 * the double-precision reference: forward values, and input and parameter gradients against central
 * differences. Runs on the scalar and the SIMD kernels.
 */
class LayerGradientTest {

    record ConvCase(int batch, int cin, int cout, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw) {
        ConvGeometry geometry() {
            return new ConvGeometry(cin, h, w, kh, kw, sh, sw, ph, pw);
        }

        @Override
        public String toString() {
            return "N" + batch + " " + cin + "->" + cout + " " + h + "x" + w + " k" + kh + "x" + kw
                    + " s" + sh + "x" + sw + " p" + ph + "x" + pw;
        }
    }

    record PoolCase(int batch, int c, int h, int w, int k, int s) {
        @Override
        public String toString() {
            return "N" + batch + " C" + c + " " + h + "x" + w + " k" + k + " s" + s;
        }
    }

    static Stream<Arguments> convCases() {
        List<ConvCase> cases = List.of(
                new ConvCase(3, 2, 3, 7, 5, 3, 3, 2, 2, 1, 1),     // stride 2, padding 1, batch 3, non-square
                new ConvCase(3, 1, 2, 9, 6, 5, 5, 1, 1, 0, 0),     // LeNet's conv1 shape, smaller
                new ConvCase(2, 3, 2, 5, 4, 1, 1, 1, 1, 0, 0),     // 1x1 kernel
                new ConvCase(3, 2, 1, 6, 7, 3, 2, 2, 1, 1, 0),     // non-square kernel, mixed stride and padding
                new ConvCase(1, 1, 1, 3, 3, 3, 3, 1, 1, 2, 2),     // padding wider than half the kernel
                new ConvCase(3, 3, 4, 8, 8, 4, 4, 3, 3, 1, 1));    // stride 3 leaves pixels unused
        return withKernels(cases);
    }

    static Stream<Arguments> poolCases() {
        List<PoolCase> cases = List.of(
                new PoolCase(3, 2, 5, 7, 2, 2),   // odd sizes: last row and column fall outside every window
                new PoolCase(3, 1, 6, 5, 3, 2),   // overlapping windows: gradients accumulate
                new PoolCase(2, 3, 4, 4, 2, 1),
                new PoolCase(1, 1, 3, 3, 3, 3));
        return withKernels(cases);
    }

    static Stream<Arguments> kernelsOnly() {
        return Stream.of(Arguments.of(TestKernels.SCALAR), Arguments.of(TestKernels.SIMD));
    }

    private static Stream<Arguments> withKernels(List<?> cases) {
        List<Arguments> out = new ArrayList<>();
        for (String k : List.of(TestKernels.SCALAR, TestKernels.SIMD)) {
            for (Object c : cases) {
                out.add(Arguments.of(k, c));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("convCases")
    void conv2dMatchesTheReferenceAndFiniteDifferences(String kernelsName, ConvCase c) {
        TensorKernels k = TestKernels.named(kernelsName);
        Random rng = new Random(c.toString().hashCode());
        Conv2d conv = new Conv2d("conv", k, c.geometry(), c.cout());
        conv.resetParameters(rng);
        float[] x = Checks.uniform(rng, c.batch() * conv.inputSize(), -1, 1);
        LayerCheck.check(conv, c.batch(), x, rng,
                a -> Reference.conv2d(a[0], c.batch(), c.geometry(), a[1], a[2], c.cout()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("convCases")
    void conv2dWithFusedReluMatchesTheReferenceAndFiniteDifferences(String kernelsName, ConvCase c) {
        TensorKernels k = TestKernels.named(kernelsName);
        Random rng = new Random(c.toString().hashCode() + 1);
        Conv2d conv = new Conv2d("conv", k, c.geometry(), c.cout(), Activation.RELU);
        conv.resetParameters(rng);
        float[] x = Checks.uniform(rng, c.batch() * conv.inputSize(), -1, 1);
        float[] y = conv.forward(x, c.batch());
        int zeros = 0;
        for (int i = 0; i < c.batch() * conv.outputSize(); i++) {
            zeros += y[i] == 0f ? 1 : 0;
        }
        assertTrue(zeros > 0 && zeros < c.batch() * conv.outputSize(), "both sides of the ReLU are exercised");
        LayerCheck.check(conv, c.batch(), x, rng,
                a -> Reference.relu(Reference.conv2d(a[0], c.batch(), c.geometry(), a[1], a[2], c.cout())));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("poolCases")
    void maxPoolMatchesTheReferenceAndFiniteDifferences(String kernelsName, PoolCase c) {
        TensorKernels k = TestKernels.named(kernelsName);
        Random rng = new Random(c.toString().hashCode());
        MaxPool2d pool = new MaxPool2d("pool", k, c.c(), c.h(), c.w(), c.k(), c.s());
        float[] x = Checks.uniform(rng, c.batch() * pool.inputSize(), -1, 1);
        LayerCheck.check(pool, c.batch(), x, rng,
                a -> Reference.maxPool(a[0], c.batch(), c.c(), c.h(), c.w(), c.k(), c.s()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernelsOnly")
    void linearMatchesTheReferenceAndFiniteDifferences(String kernelsName) {
        TensorKernels k = TestKernels.named(kernelsName);
        Random rng = new Random(7);
        for (int[] shape : new int[][] {{3, 7, 5}, {1, 1, 1}, {5, 13, 3}}) {
            int n = shape[0];
            int in = shape[1];
            int out = shape[2];
            Linear fc = new Linear("fc", k, in, out);
            fc.resetParameters(rng);
            float[] x = Checks.uniform(rng, n * in, -1, 1);
            LayerCheck.check(fc, n, x, rng, a -> Reference.linear(a[0], n, in, a[1], a[2], out));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernelsOnly")
    void linearWithFusedReluMatchesTheReferenceAndFiniteDifferences(String kernelsName) {
        TensorKernels k = TestKernels.named(kernelsName);
        Random rng = new Random(17);
        for (int[] shape : new int[][] {{3, 7, 5}, {5, 13, 9}}) {
            int n = shape[0];
            int in = shape[1];
            int out = shape[2];
            Linear fc = new Linear("fc", k, in, out, Activation.RELU);
            fc.resetParameters(rng);
            float[] x = Checks.uniform(rng, n * in, -1, 1);
            LayerCheck.check(fc, n, x, rng, a -> Reference.relu(Reference.linear(a[0], n, in, a[1], a[2], out)));
        }
    }

    @Test
    void flattenKeepsTheChannelRowColumnOrder() {
        Random rng = new Random(13);
        Flatten flatten = new Flatten("flatten", 2 * 3 * 5);
        float[] x = Checks.uniform(rng, 3 * 30, -1, 1);
        LayerCheck.check(flatten, 3, x, rng, a -> a[0].clone());
    }
}
