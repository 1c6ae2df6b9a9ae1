package dev.lenet5.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The reference kernels other than GEMM and the convolution lowering, against hand-computed values and
 * direct definitions in double. These run in both test runs.
 */
class ScalarOpsTest {

    private static final ScalarKernels K = ScalarKernels.INSTANCE;
    private static final float NAN = Float.NaN;

    @Test
    void rowBiasAddsOneValuePerRowAndLeavesTheGapAlone() {
        // 2 x 3 at offset 1 with leading dimension 4; the gap column holds 99.
        float[] c = {99, 1, 2, 3, 99, 4, 5, 6, 99};
        K.addRowBias(2, 3, new float[]{0, 10, 20}, 1, c, 1, 4);
        assertArrayEquals(new float[]{99, 11, 12, 13, 99, 24, 25, 26, 99}, c);
    }

    @Test
    void columnBiasAddsOneValuePerColumn() {
        float[] c = {1, 2, 3, 99, 4, 5, 6};
        K.addColumnBias(2, 3, new float[]{10, 20, 30}, 0, c, 0, 4);
        assertArrayEquals(new float[]{11, 22, 33, 99, 14, 25, 36}, c);
    }

    @Test
    void reluClampsNegativesKeepsNaNAndWorksInPlace() {
        float[] x = {-1, 0, 2.5f, NAN, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-40f};
        float[] y = new float[x.length];
        K.reluForward(x.length, x, 0, y, 0);
        assertArrayEquals(new float[]{0, 0, 2.5f, NAN, 0, Float.POSITIVE_INFINITY, 0, 1e-40f}, y);
        assertEquals(0, Float.floatToRawIntBits(y[4]), "relu(-0) is +0");
        K.reluForward(x.length - 1, x, 1, x, 1);   // in place, from an offset
        assertArrayEquals(new float[]{-1, 0, 2.5f, NAN, 0, Float.POSITIVE_INFINITY, 0, 1e-40f}, x);
    }

    @Test
    void reluBackwardPassesGradientOnlyWhereTheOutputIsPositive() {
        float[] y = {-1, 0, 2, NAN, 3};
        float[] dy = {5, 6, 7, 8, 9};
        float[] dx = new float[5];
        K.reluBackward(5, y, 0, dy, 0, dx, 0);
        assertArrayEquals(new float[]{0, 0, 7, 0, 9}, dx);
        K.reluBackward(5, y, 0, dy, 0, dy, 0);   // dx aliasing dy
        assertArrayEquals(new float[]{0, 0, 7, 0, 9}, dy);
    }

    @Test
    void maxPoolPicksTheFirstMaximumAndPropagatesNaN() {
        // One 4x4 plane, 2x2 windows at stride 2.
        float[] x = {
            1, 3, 2, 2,
            3, 0, 2, 2,     // window (0,0): 3 twice → the first, index 1; window (0,1): ties everywhere → index 2
            -5, -6, 4, NAN,
            -7, -5, NAN, 9  // window (1,0): -5 at index 8; window (1,1): the first NaN, index 11
        };
        float[] y = new float[4];
        float[] arg = new float[4];
        K.maxPoolForward(1, 4, 4, 2, 2, x, 0, y, 0, arg, 0);
        assertArrayEquals(new float[]{3, 2, -5, NAN}, y);
        assertArrayEquals(new int[]{1, 2, 8, 11}, indices(arg, 0));
    }

    @Test
    void maxPoolHandlesOverlappingWindowsPlanesAndOffsets() {
        // Two 3x3 planes at offset 2, 2x2 windows at stride 1; argmax is relative to each window's plane.
        float[] x = {
            99, 99,
            1, 2, 3, 4, 5, 6, 7, 8, 9,
            9, 8, 7, 6, 5, 4, 3, 2, 1};
        float[] y = new float[8];
        float[] arg = new float[9];
        K.maxPoolForward(2, 3, 3, 2, 1, x, 2, y, 0, arg, 1);
        assertArrayEquals(new float[]{5, 6, 8, 9, 9, 8, 6, 5}, y);
        assertEquals(0f, arg[0], "before argOff");
        assertArrayEquals(new int[]{4, 5, 7, 8, 0, 1, 3, 4}, indices(arg, 1));
    }

    @Test
    void maxPoolBackwardRoutesAndAccumulatesGradientWithinEachPlane() {
        // Two planes of 3 inputs at dx offset 1, two outputs each; argmax and dy at offset 1.
        float[] dx = {1, 1, 1, 1, 1, 1, 1};
        float[] dy = {0, 10, 20, 30, 40};
        float[] arg = {-1, TensorKernels.argmaxOf(2), TensorKernels.argmaxOf(2), TensorKernels.argmaxOf(0),
            TensorKernels.argmaxOf(1)};
        // Plane 0: both outputs chose input 2, so both gradients land there; plane 1: inputs 0 and 1 of its own.
        K.maxPoolBackward(2, 2, 3, dy, 1, arg, 1, dx, 1);
        assertArrayEquals(new float[]{1, 1, 1, 31, 31, 41, 1}, dx);
    }

    /**
     * The largest plane allowed, 2^23 elements, twice: 2^23 plus every index in a plane is an exact float, the
     * last one (2^23 - 1, odd) included, while the second plane's indices counted from the batch's start (up to
     * 2^24 - 1, plus 2^23) would round to even numbers and send gradients to the wrong inputs.
     */
    @Test
    void maxPoolIndicesAreExactInTheLargestPlanes() {
        int height = 2;
        int width = 1 << 22;
        int plane = height * width;
        float[] x = new float[1 + 2 * plane];
        int outs = width / 2;
        for (int p = 0; p < 2; p++) {
            x[1 + p * plane + plane - 1] = 1;            // the last window's winner: its bottom right
            x[1 + p * plane + width + 3] = 2;            // the second window's: its bottom right, odd as well
        }
        float[] y = new float[2 * outs];
        float[] arg = new float[2 * outs];
        K.maxPoolForward(2, height, width, 2, 2, x, 1, y, 0, arg, 0);
        for (int p = 0; p < 2; p++) {
            assertEquals(plane - 1, TensorKernels.argmaxIndex(arg[p * outs + outs - 1]), "plane " + p + " last window");
            assertEquals(width + 3, TensorKernels.argmaxIndex(arg[p * outs + 1]), "plane " + p + " second window");
            assertEquals(0, TensorKernels.argmaxIndex(arg[p * outs]), "plane " + p + " first window: a tie of zeros");
        }
        float[] dy = new float[2 * outs];
        dy[outs - 1] = 5;
        dy[2 * outs - 1] = 7;
        float[] dx = new float[2 * plane];
        K.maxPoolBackward(2, outs, plane, dy, 0, arg, 0, dx, 0);
        assertEquals(5, dx[plane - 1]);
        assertEquals(7, dx[2 * plane - 1]);
    }

    @Test
    void maxPoolRefusesPlanesWhoseIndicesAFloatCannotHold() {
        float[] none = new float[0];
        // 2^23 + 2 elements; and 65536 x 65536, whose int product overflows to 0
        for (int[] hw : new int[][]{{2, (1 << 22) + 1}, {65536, 65536}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> K.maxPoolForward(1, hw[0], hw[1], 2, 2, none, 0, none, 0, none, 0));
            assertTrue(e.getMessage().contains(hw[0] + "x" + hw[1]) && e.getMessage().contains("2^23"), e.getMessage());
        }
    }

    @Test
    void softmaxMatchesTheDefinitionAndIsStableForLargeInputs() {
        float[] x = {1, 2, 3, -1, 1000, 1001, 1002, 0};
        float[] y = new float[8];
        K.softmaxRows(2, 3, x, 0, y, 0, 4);
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        for (int j = 0; j < 3; j++) {
            assertEquals(Math.exp(j + 1) / z, y[j], 1e-7);
            assertEquals(Math.exp(j) / (1 + Math.E + Math.exp(2)), y[4 + j], 1e-7, "shifted by the row max");
        }
        assertEquals(0f, y[3], "gap untouched");
        K.softmaxRows(1, 3, x, 4, x, 4, 3);   // in place
        assertEquals(1.0, x[4] + x[5] + x[6], 1e-6);
        assertTrue(x[6] > x[5] && x[5] > x[4]);
    }

    @Test
    void sumsAccumulateIntoTheirOutputs() {
        // 2 x 3, leading dimension 4
        float[] x = {1, 2, 3, 99, 4, 5, 6};
        float[] rows = {100, 200};
        K.sumRows(2, 3, x, 0, 4, rows, 0);
        assertArrayEquals(new float[]{106, 215}, rows);
        float[] cols = {0, 1, 2, 3};
        K.sumColumns(2, 3, x, 0, 4, cols, 1);
        assertArrayEquals(new float[]{0, 6, 9, 12}, cols);
    }

    @Test
    void sumAndDotMatchDoublePrecisionDefinitions() {
        Random random = new Random(4);
        for (int n : new int[]{0, 1, 17, 1000}) {
            float[] x = new float[n + 3];
            float[] y = new float[n + 5];
            for (int i = 0; i < x.length; i++) {
                x[i] = random.nextFloat() - 0.5f;
            }
            for (int i = 0; i < y.length; i++) {
                y[i] = random.nextFloat() - 0.5f;
            }
            double s = 0;
            double d = 0;
            double scale = 0;
            for (int i = 0; i < n; i++) {
                s += x[3 + i];
                d += (double) x[3 + i] * y[5 + i];
                scale += Math.abs(x[3 + i]);
            }
            assertEquals(s, K.sum(n, x, 3), 2 * (n + 1) * GemmCase.U * scale);
            assertEquals(d, K.dot(n, x, 3, y, 5), 2 * (n + 1) * GemmCase.U * scale);
        }
    }

    @Test
    void axpyAndScale() {
        float[] y = {1, 2, 3, 4};
        K.axpy(3, 2f, new float[]{9, 1, 2, 3}, 1, y, 1);
        assertArrayEquals(new float[]{1, 4, 7, 10}, y);
        K.scale(2, -0.5f, y, 2);
        assertArrayEquals(new float[]{1, 4, -3.5f, -5}, y);
    }

    @Test
    void adamFirstStepMovesEachParameterByLearningRateAgainstTheGradientSign() {
        // At t = 1 with zero moments, m = (1-b1) g and v = (1-b2) g^2, so the bias-corrected step is
        // lr * g / (|g| + eps') ~ lr * sign(g).
        float lr = 0.01f;
        float b1 = 0.9f;
        float b2 = 0.999f;
        float[] p = {1, 1, 1, 5};
        float[] g = {0.5f, -2f, 1e-3f, 7f};
        float[] m = new float[4];
        float[] v = new float[4];
        K.adamUpdate(3, p, 0, g, 0, m, v, b1, b2, lr / (1 - b1), (float) Math.sqrt(1 - b2), 1e-8f);
        assertEquals(1 - lr, p[0], 1e-6);
        assertEquals(1 + lr, p[1], 1e-6);
        assertEquals(1 - lr, p[2], 1e-5);
        assertEquals(5, p[3], "n = 3 leaves the fourth parameter alone");
        assertEquals(0.05f, m[0], 1e-7);
        assertEquals(0.001 * 0.25, v[0], 1e-8, "1 - 0.999f is 0.001 only to within 1.3e-5 relative");
    }

    @Test
    void adamMatchesItsDefinitionInDoubleOverSeveralSteps() {
        Random random = new Random(6);
        int n = 9;
        float[] p = new float[n];
        float[] m = new float[n];
        float[] v = new float[n];
        double[] pd = new double[n];
        double[] md = new double[n];
        double[] vd = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = random.nextFloat();
            pd[i] = p[i];
        }
        double lr = 1e-3;
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        for (int t = 1; t <= 5; t++) {
            float[] g = new float[n];
            for (int i = 0; i < n; i++) {
                g[i] = random.nextFloat() - 0.5f;
                md[i] = b1 * md[i] + (1 - b1) * g[i];
                vd[i] = b2 * vd[i] + (1 - b2) * g[i] * g[i];
                double mHat = md[i] / (1 - Math.pow(b1, t));
                double vHat = vd[i] / (1 - Math.pow(b2, t));
                pd[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
            K.adamUpdate(n, p, 0, g, 0, m, v, (float) b1, (float) b2,
                    (float) (lr / (1 - Math.pow(b1, t))), (float) Math.sqrt(1 - Math.pow(b2, t)), (float) eps);
        }
        for (int i = 0; i < n; i++) {
            assertEquals(pd[i], p[i], 1e-6, "parameter " + i);
        }
    }

    // the plane-relative indices recorded in argmax from position from on
    private static int[] indices(float[] argmax, int from) {
        int[] out = new int[argmax.length - from];
        for (int i = 0; i < out.length; i++) {
            out[i] = TensorKernels.argmaxIndex(argmax[from + i]);
        }
        return out;
    }
}
