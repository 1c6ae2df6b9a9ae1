package dev.lenet5.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * im2col and col2im against definitions written the other way round (im2col by decoding each output
 * entry, col2im by gathering onto each input pixel), hand-computed cases, the adjoint identity
 * {@code <im2col(x), y> == <x, col2im(y)>}, and SIMD against scalar bit for bit.
 */
class ConvLoweringTest {

    private static final AtomicBoolean SIMD_RAN = new AtomicBoolean();

    /** LeNet's two convolutions, padding, stride > 1, rectangular windows, all-padding rows, 1x1. */
    static List<ConvGeometry> geometries() {
        List<ConvGeometry> g = new ArrayList<>();
        g.add(ConvGeometry.square(1, 28, 28, 5, 1, 2));            // conv1
        g.add(ConvGeometry.square(6, 14, 14, 5, 1, 0));            // conv2
        g.add(ConvGeometry.square(3, 7, 9, 3, 2, 1));              // stride 2, pad 1
        g.add(new ConvGeometry(2, 5, 8, 2, 3, 1, 2, 1, 0));        // rectangular kernel and stride
        g.add(new ConvGeometry(2, 6, 5, 3, 2, 3, 1, 0, 2));        // stride only vertically
        g.add(ConvGeometry.square(1, 3, 3, 2, 1, 2));              // padding wider than half the kernel
        g.add(ConvGeometry.square(4, 37, 41, 1, 3, 0));            // 1x1 window, stride 3
        g.add(ConvGeometry.square(2, 40, 40, 3, 1, 1));            // long rows: whole vectors plus tails
        return g;
    }

    // ---------------------------------------------------------------- definitions

    /** cols[(c, ky, kx), (oy, ox)] decoded from each output position: the definition, not the loop. */
    static float[] im2colDefinition(ConvGeometry g, float[] x, int xOff) {
        int rows = g.patchSize();
        int pixels = g.outPixels();
        float[] cols = new float[rows * pixels];
        for (int row = 0; row < rows; row++) {
            int c = row / (g.kernelH() * g.kernelW());
            int ky = row / g.kernelW() % g.kernelH();
            int kx = row % g.kernelW();
            for (int col = 0; col < pixels; col++) {
                int iy = col / g.outW() * g.strideH() - g.padH() + ky;
                int ix = col % g.outW() * g.strideW() - g.padW() + kx;
                boolean inside = iy >= 0 && iy < g.height() && ix >= 0 && ix < g.width();
                cols[row * pixels + col] = inside ? x[xOff + (c * g.height() + iy) * g.width() + ix] : 0f;
            }
        }
        return cols;
    }

    /** x[c, iy, ix] += every cols entry that reads that pixel, found by solving for (ky, kx, oy, ox). */
    static double[] col2imDefinition(ConvGeometry g, float[] cols, int ldCols) {
        double[] x = new double[g.inputSize()];
        for (int c = 0; c < g.channels(); c++) {
            for (int iy = 0; iy < g.height(); iy++) {
                for (int ix = 0; ix < g.width(); ix++) {
                    double s = 0;
                    for (int ky = 0; ky < g.kernelH(); ky++) {
                        for (int kx = 0; kx < g.kernelW(); kx++) {
                            int ty = iy + g.padH() - ky;
                            int tx = ix + g.padW() - kx;
                            if (ty % g.strideH() != 0 || tx % g.strideW() != 0 || ty < 0 || tx < 0) {
                                continue;
                            }
                            int oy = ty / g.strideH();
                            int ox = tx / g.strideW();
                            if (oy < g.outH() && ox < g.outW()) {
                                int row = (c * g.kernelH() + ky) * g.kernelW() + kx;
                                s += cols[row * ldCols + oy * g.outW() + ox];
                            }
                        }
                    }
                    x[(c * g.height() + iy) * g.width() + ix] = s;
                }
            }
        }
        return x;
    }

    /** Multiples of 1/8: sums of a few of them are exact in float, so results can be compared exactly. */
    static float[] dyadic(int n, Random random) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (random.nextInt(33) - 16) / 8f;
        }
        return x;
    }

    // ---------------------------------------------------------------- hand-computed

    @Test
    void im2colOfA3x3ImageMatchesHandComputedPatches() {
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        ConvGeometry plain = ConvGeometry.square(1, 3, 3, 2, 1, 0);
        float[] cols = new float[16];
        ScalarKernels.INSTANCE.im2col(plain, x, 0, cols, 0, 4);
        assertArrayEquals(new float[]{
            1, 2, 4, 5,    // (ky, kx) = (0, 0)
            2, 3, 5, 6,    // (0, 1)
            4, 5, 7, 8,    // (1, 0)
            5, 6, 8, 9}, cols);
        ConvGeometry padded = ConvGeometry.square(1, 3, 3, 2, 2, 1);
        ScalarKernels.INSTANCE.im2col(padded, x, 0, cols, 0, 4);
        assertArrayEquals(new float[]{
            0, 0, 0, 5,
            0, 0, 4, 6,
            0, 2, 0, 8,
            1, 3, 7, 9}, cols);
    }

    @Test
    void col2imOfA3x3ImageCountsHowOftenEachPixelIsRead() {
        // All-ones columns: each pixel receives one per window that covers it.
        ConvGeometry g = ConvGeometry.square(1, 3, 3, 2, 1, 0);
        float[] cols = new float[16];
        Arrays.fill(cols, 1f);
        float[] x = new float[9];
        Arrays.fill(x, 10f);   // col2im accumulates onto what is there
        ScalarKernels.INSTANCE.col2im(g, cols, 0, 4, x, 0);
        assertArrayEquals(new float[]{11, 12, 11, 12, 14, 12, 11, 12, 11}, x);
    }

    // ---------------------------------------------------------------- scalar against the definitions

    @Test
    void scalarIm2colMatchesDefinition() {
        checkIm2colAgainstDefinition(ScalarKernels.INSTANCE);
    }

    @Test
    void scalarCol2imMatchesDefinition() {
        checkCol2imAgainstDefinition(ScalarKernels.INSTANCE);
    }

    @Test
    void scalarLoweringsAreAdjoint() {
        checkAdjoint(ScalarKernels.INSTANCE);
    }

    // ---------------------------------------------------------------- SIMD

    @Test
    void simdLoweringsMatchDefinitionsAndScalarExactly() {
        TensorKernels simd = SimdVariants.kernels();
        checkIm2colAgainstDefinition(simd);
        checkCol2imAgainstDefinition(simd);
        checkAdjoint(simd);
        Random random = new Random(5);
        for (ConvGeometry g : geometries()) {
            float[] x = randomFloats(3 + g.inputSize(), random);
            int ld = g.outPixels() + 5;
            float[] expected = new float[g.patchSize() * ld + 2];
            float[] got = expected.clone();
            ScalarKernels.INSTANCE.im2col(g, x, 3, expected, 2, ld);
            simd.im2col(g, x, 3, got, 2, ld);
            assertArrayEquals(expected, got, "im2col " + g);
            float[] cols = randomFloats(g.patchSize() * ld, random);
            float[] xs = randomFloats(g.inputSize() + 4, random);
            float[] xv = xs.clone();
            ScalarKernels.INSTANCE.col2im(g, cols, 0, ld, xs, 4);
            simd.col2im(g, cols, 0, ld, xv, 4);
            assertArrayEquals(xs, xv, "col2im " + g);   // same additions in the same order per pixel
        }
        SIMD_RAN.set(true);
    }

    @AfterAll
    static void simdRanWhereAvailable() {
        SimdVariants.assertRanWhereAvailable(SIMD_RAN.get());
    }

    // ---------------------------------------------------------------- checks

    private static float[] randomFloats(int n, Random random) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = 2 * random.nextFloat() - 1;
        }
        return x;
    }

    private static void checkIm2colAgainstDefinition(TensorKernels kernels) {
        Random random = new Random(1);
        for (ConvGeometry g : geometries()) {
            int xOff = 7;
            float[] x = dyadic(xOff + g.inputSize(), random);
            float[] want = im2colDefinition(g, x, xOff);
            // A wider leading dimension and an offset: the gaps are NaN and must stay NaN.
            int pixels = g.outPixels();
            int ld = pixels + 3;
            int off = 5;
            float[] cols = new float[off + g.patchSize() * ld];
            Arrays.fill(cols, Float.NaN);
            kernels.im2col(g, x, xOff, cols, off, ld);
            for (int row = 0; row < g.patchSize(); row++) {
                for (int col = 0; col < ld; col++) {
                    float got = cols[off + row * ld + col];
                    if (col < pixels) {
                        assertEquals(want[row * pixels + col], got, kernels.name() + " " + g + " row " + row + " col " + col);
                    } else if (!Float.isNaN(got)) {
                        fail(kernels.name() + " " + g + " wrote into the leading-dimension gap at row " + row);
                    }
                }
            }
            for (int i = 0; i < off; i++) {
                assertEquals(Float.NaN, cols[i], kernels.name() + " wrote before the offset");
            }
        }
    }

    private static void checkCol2imAgainstDefinition(TensorKernels kernels) {
        Random random = new Random(2);
        for (ConvGeometry g : geometries()) {
            int ld = g.outPixels() + 3;
            float[] cols = dyadic(g.patchSize() * ld, random);
            for (int row = 0; row < g.patchSize(); row++) {
                for (int col = g.outPixels(); col < ld; col++) {
                    cols[row * ld + col] = Float.NaN;   // the gap must never be read
                }
            }
            double[] sums = col2imDefinition(g, cols, ld);
            int xOff = 4;
            float[] x = dyadic(xOff + g.inputSize() + 2, random);
            float[] before = x.clone();
            kernels.col2im(g, cols, 0, ld, x, xOff);
            for (int i = 0; i < x.length; i++) {
                int pixel = i - xOff;
                double want = pixel >= 0 && pixel < g.inputSize() ? before[i] + sums[pixel] : before[i];
                assertEquals(want, x[i], 0.0, kernels.name() + " " + g + " pixel " + pixel);
            }
        }
    }

    private static void checkAdjoint(TensorKernels kernels) {
        Random random = new Random(3);
        for (ConvGeometry g : geometries()) {
            int pixels = g.outPixels();
            float[] x = randomFloats(g.inputSize(), random);
            float[] y = randomFloats(g.patchSize() * pixels, random);
            float[] cols = new float[y.length];
            kernels.im2col(g, x, 0, cols, 0, pixels);
            float[] back = new float[x.length];
            kernels.col2im(g, y, 0, pixels, back, 0);
            double left = 0;
            double scale = 0;
            for (int i = 0; i < y.length; i++) {
                left += (double) cols[i] * y[i];
                scale += Math.abs((double) cols[i] * y[i]);
            }
            double right = 0;
            for (int i = 0; i < x.length; i++) {
                right += (double) x[i] * back[i];
            }
            // col2im rounds each pixel's sum of at most KH*KW floats to float: a tiny relative error.
            double tolerance = 4.0 * g.kernelH() * g.kernelW() * GemmCase.U * scale + 1e-30;
            assertEquals(left, right, tolerance, kernels.name() + " <im2col(x), y> vs <x, col2im(y)> for " + g);
        }
    }
}
