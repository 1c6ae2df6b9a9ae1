package dev.lenet5.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * convForward and convBackward against the definitions evaluated in double (a sum over every tap per
 * output, written independently of the kernels' loop orders), a hand-computed case, and SIMD against the
 * scalar reference at this JVM's vector width (see {@link SimdVariants}) with both register files (the direct
 * kernels and the lowered fallback). Dyadic data (multiples of 1/8) makes every float sum exact, so there each kernel must equal
 * the definition exactly, whatever its summation order: a lost or doubled tap cannot hide in a tolerance.
 * Random data is checked within {@code 2 (terms + 4) u sum|terms|}.
 */
class ConvKernelTest {

    private static final AtomicBoolean SIMD_RAN = new AtomicBoolean();
    private static final AtomicBoolean IMAGE_SLICES_RAN = new AtomicBoolean();

    record Case(String label, ConvGeometry g, int outChannels, int images) {
        @Override
        public String toString() {
            return label + " " + g + " Cout=" + outChannels + " N=" + images;
        }
    }

    /**
     * LeNet's two convolutions, then odd sizes: rows shorter and longer than every vector width, channel
     * counts around both register tiles (6 and 8 rows), tails of every length, a slice boundary in
     * backward, and the geometries only the lowered path handles (stride 2, padding, a 1x1 output).
     */
    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("conv1", ConvGeometry.square(1, 32, 32, 5, 1, 0), 6, 3));
        c.add(new Case("conv2", ConvGeometry.square(6, 14, 14, 5, 1, 0), 16, 3));
        c.add(new Case("one channel", ConvGeometry.square(1, 17, 17, 3, 1, 0), 1, 2));
        c.add(new Case("rect kernel", new ConvGeometry(3, 13, 11, 2, 3, 1, 1, 0, 0), 5, 3));
        c.add(new Case("odd rows", new ConvGeometry(2, 19, 23, 4, 4, 1, 1, 0, 0), 7, 2));
        c.add(new Case("wide rows", new ConvGeometry(2, 11, 40, 3, 5, 1, 1, 0, 0), 17, 2));
        c.add(new Case("1x1", ConvGeometry.square(4, 9, 7, 1, 1, 0), 13, 1));
        c.add(new Case("many channels", ConvGeometry.square(9, 8, 8, 3, 1, 0), 9, 2));
        // One image's expanded gradient (14 x 102 x 100 floats) exceeds a backward slice: two slices.
        c.add(new Case("slices", ConvGeometry.square(1, 100, 100, 2, 1, 0), 14, 2));
        c.add(new Case("stride 2 pad 1", new ConvGeometry(2, 7, 9, 3, 3, 2, 2, 1, 1), 7, 3));
        c.add(new Case("pad 2", ConvGeometry.square(1, 28, 28, 5, 1, 2), 6, 2));
        c.add(new Case("tiny", ConvGeometry.square(2, 5, 5, 5, 1, 0), 3, 2));
        return c;
    }

    /**
     * The input gradient's tiles across images: 3 images to a backward slice (22 planes of (57 + 2) x 27 floats
     * each), 5 images (a slice boundary inside the batch, the last slice partial), 1539 positions an image (97, 193
     * and 385 vectors at 512, 256 and 128 bits: no multiple of any tile's 2, 3 or 4, so tiles straddle images), and 5
     * and 7 input channels: every tile shape (5 channels: 6 x 4 and 6 x 2; 7: 8 x 3 and 4 x 3), each with a partial
     * block of rows. Large enough to fill slices, so checked against the scalar kernels only.
     */
    static List<Case> imageSliceCases() {
        return List.of(
                new Case("image slices 5", new ConvGeometry(5, 57, 27, 2, 2, 1, 1, 0, 0), 22, 5),
                new Case("image slices 7", new ConvGeometry(7, 57, 27, 2, 2, 1, 1, 0, 0), 22, 5));
    }

    // ---------------------------------------------------------------- definitions, in double

    static double[] forwardDefinition(Case k, double[] x, double[] w, double[] b, boolean relu) {
        ConvGeometry g = k.g();
        int oh = g.outH();
        int ow = g.outW();
        double[] y = new double[k.images() * k.outChannels() * oh * ow];
        for (int n = 0; n < k.images(); n++) {
            for (int o = 0; o < k.outChannels(); o++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double s = b[o];
                        for (int c = 0; c < g.channels(); c++) {
                            for (int ky = 0; ky < g.kernelH(); ky++) {
                                for (int kx = 0; kx < g.kernelW(); kx++) {
                                    s += w[weightIndex(k, o, c, ky, kx)] * pixel(k, x, n, c, oy * g.strideH() - g.padH() + ky,
                                            ox * g.strideW() - g.padW() + kx);
                                }
                            }
                        }
                        y[((n * k.outChannels() + o) * oh + oy) * ow + ox] = relu ? Math.max(s, 0) : s;
                    }
                }
            }
        }
        return y;
    }

    /** {dw, db, dx} of the definitions, for gy already masked. */
    static double[][] backwardDefinition(Case k, double[] x, double[] w, double[] gy) {
        ConvGeometry g = k.g();
        int oh = g.outH();
        int ow = g.outW();
        double[] dw = new double[k.outChannels() * g.patchSize()];
        double[] db = new double[k.outChannels()];
        double[] dx = new double[k.images() * g.inputSize()];
        for (int n = 0; n < k.images(); n++) {
            for (int o = 0; o < k.outChannels(); o++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double d = gy[((n * k.outChannels() + o) * oh + oy) * ow + ox];
                        db[o] += d;
                        for (int c = 0; c < g.channels(); c++) {
                            for (int ky = 0; ky < g.kernelH(); ky++) {
                                for (int kx = 0; kx < g.kernelW(); kx++) {
                                    int iy = oy * g.strideH() - g.padH() + ky;
                                    int ix = ox * g.strideW() - g.padW() + kx;
                                    dw[weightIndex(k, o, c, ky, kx)] += d * pixel(k, x, n, c, iy, ix);
                                    if (iy >= 0 && iy < g.height() && ix >= 0 && ix < g.width()) {
                                        dx[((n * g.channels() + c) * g.height() + iy) * g.width() + ix]
                                                += d * w[weightIndex(k, o, c, ky, kx)];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return new double[][]{dw, db, dx};
    }

    private static int weightIndex(Case k, int o, int c, int ky, int kx) {
        ConvGeometry g = k.g();
        return ((o * g.channels() + c) * g.kernelH() + ky) * g.kernelW() + kx;
    }

    private static double pixel(Case k, double[] x, int n, int c, int iy, int ix) {
        ConvGeometry g = k.g();
        if (iy < 0 || iy >= g.height() || ix < 0 || ix >= g.width()) {
            return 0;
        }
        return x[((n * g.channels() + c) * g.height() + iy) * g.width() + ix];
    }

    // ---------------------------------------------------------------- hand-computed

    @Test
    void aTwoByTwoKernelOnAThreeByThreeImageMatchesHandComputedValues() {
        // x = 1..9 in a 3x3 plane, w = [[1, 0], [0, -1]]: y = x[oy][ox] - x[oy+1][ox+1] + b = -4 + b everywhere.
        ConvGeometry g = ConvGeometry.square(1, 3, 3, 2, 1, 0);
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] w = {1, 0, 0, -1};
        float[] y = new float[4];
        ScalarKernels.INSTANCE.convForward(g, 1, 1, w, 0, new float[]{0.5f}, 0, false, x, 0, y, 0);
        assertArrayEquals(new float[]{-3.5f, -3.5f, -3.5f, -3.5f}, y);
        ScalarKernels.INSTANCE.convForward(g, 1, 1, w, 0, new float[]{0.5f}, 0, true, x, 0, y, 0);
        assertArrayEquals(new float[]{0, 0, 0, 0}, y);

        // gy = [[1, 2], [3, 4]]: dw[ky][kx] = sum gy[oy][ox] * x[oy+ky][ox+kx], db = 10,
        // dx scatters gy through w: +gy at (oy, ox), -gy at (oy+1, ox+1).
        float[] gy = {1, 2, 3, 4};
        float[] dw = {100, 100, 100, 100};
        float[] db = {1};
        float[] dx = new float[9];
        ScalarKernels.INSTANCE.convBackward(g, 1, 1, x, 0, w, 0, null, 0, gy, 0, dw, 0, db, 0, dx, 0);
        assertArrayEquals(new float[]{100 + 37, 100 + 47, 100 + 67, 100 + 77}, dw);
        assertArrayEquals(new float[]{11}, db);
        assertArrayEquals(new float[]{1, 2, 0, 3, 3, -2, 0, -3, -4}, dx);
        // Masked by a ReLU output that is zero at (0, 1): that gradient is dropped.
        Arrays.fill(dw, 0);
        db[0] = 0;
        ScalarKernels.INSTANCE.convBackward(g, 1, 1, x, 0, w, 0, new float[]{1, 0, 2, 3}, 0, gy, 0, dw, 0, db, 0, dx, 0);
        assertArrayEquals(new float[]{33, 41, 57, 65}, dw);
        assertArrayEquals(new float[]{8}, db);
        assertArrayEquals(new float[]{1, 0, 0, 3, 3, 0, 0, -3, -4}, dx);
    }

    @Test
    void theSlicesCaseReallyCrossesASliceOfTheBackwardPass() {
        // Its expanded gradient, 14 planes of (100 + 2) x 100 floats per image, is more than one slice holds.
        assertTrue(14 * 102 * 100 > KernelTuning.CONV_SLICE_FLOATS, "the 'slices' case no longer spans two slices");
    }

    @Test
    void theImageSlicesCasesPutSeveralImagesInASliceAndEndOneInsideTheBatch() {
        for (Case k : imageSliceCases()) {
            ConvGeometry g = k.g();
            int slice = KernelTuning.CONV_SLICE_FLOATS / (k.outChannels() * (g.height() + g.kernelH()) * g.width());
            assertTrue(slice >= 2 && k.images() > slice && k.images() % slice != 0, k + ": " + slice + " a slice");
            for (int lanes : new int[]{4, 8, 16}) {
                int vectors = (g.height() * g.width() + lanes - 1) / lanes;
                for (int tileVectors = 2; tileVectors <= VectorConvTile.MAX_VECTORS; tileVectors++) {
                    assertTrue(vectors % tileVectors != 0, k + ": " + vectors + " vectors at " + lanes + " lanes");
                }
            }
            for (int tileRows : new int[]{4, 6, 8}) {
                assertTrue(g.channels() % tileRows != 0, k + ": whole blocks of " + tileRows + " rows");
            }
        }
    }

    // ---------------------------------------------------------------- against the definitions

    @Test
    void scalarMatchesTheDefinitions() {
        for (Case k : cases()) {
            checkAgainstDefinitions(ScalarKernels.INSTANCE, k);
        }
    }

    @Test
    void simdMatchesTheDefinitionsAndTheScalarReference() {
        for (boolean wideRegisterFile : new boolean[]{true, false}) {
            for (ConvAlgorithm algorithm : ConvAlgorithm.values()) {
                TensorKernels simd = SimdVariants.kernels(wideRegisterFile).withConvAlgorithm(algorithm);
                assertEquals(algorithm, simd.convAlgorithm());
                for (Case k : cases()) {
                    checkAgainstDefinitions(simd, k);
                    checkAgainstScalar(simd, k);
                }
            }
        }
        SIMD_RAN.set(true);
    }

    @Test
    void simdInputGradientTilesRunAcrossTheImagesOfASlice() {
        for (boolean wideRegisterFile : new boolean[]{true, false}) {
            TensorKernels simd = SimdVariants.kernels(wideRegisterFile).withConvAlgorithm(ConvAlgorithm.DIRECT);
            for (Case k : imageSliceCases()) {
                assertTrue(((VectorKernels) simd).direct(k.g()), k + " is lowered");
                checkAgainstScalar(simd, k);
            }
        }
        IMAGE_SLICES_RAN.set(true);
    }

    @Test
    void eachAlgorithmTakesItsPathOnLeNetsGeometryAndPaddingIsAlwaysLowered() {
        // Direct and lowered convolutions give the same bits on LeNet's geometry (both add the taps in order with
        // FMAs from zero), so the outputs cannot tell which ran: the choice is checked where it is made.
        VectorKernels simd = (VectorKernels) SimdVariants.kernels(true);
        ConvGeometry lenet = ConvGeometry.square(6, 14, 14, 5, 1, 0);
        ConvGeometry padded = ConvGeometry.square(1, 28, 28, 5, 1, 2);
        assertTrue(((VectorKernels) simd.withConvAlgorithm(ConvAlgorithm.AUTO)).direct(lenet));
        assertTrue(((VectorKernels) simd.withConvAlgorithm(ConvAlgorithm.DIRECT)).direct(lenet));
        assertFalse(((VectorKernels) simd.withConvAlgorithm(ConvAlgorithm.IM2COL)).direct(lenet));
        for (ConvAlgorithm algorithm : ConvAlgorithm.values()) {
            assertFalse(((VectorKernels) simd.withConvAlgorithm(algorithm)).direct(padded), algorithm.toString());
        }
    }

    @Test
    void algorithmsParseByName() {
        assertEquals(ConvAlgorithm.IM2COL, ConvAlgorithm.parse(" Im2Col "));
        assertEquals("direct", ConvAlgorithm.DIRECT.toString());
        assertEquals(ConvAlgorithm.AUTO, ScalarKernels.INSTANCE.withConvAlgorithm(ConvAlgorithm.DIRECT).convAlgorithm());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConvAlgorithm.parse("fft"));
        assertTrue(e.getMessage().contains("auto, im2col or direct"), e.getMessage());
    }

    @AfterAll
    static void simdRanWhereAvailable() {
        SimdVariants.assertRanWhereAvailable(SIMD_RAN.get());
        SimdVariants.assertRanWhereAvailable(IMAGE_SLICES_RAN.get());
    }

    private static void checkAgainstDefinitions(TensorKernels kernels, Case k) {
        Random random = new Random(k.toString().hashCode());
        ConvGeometry g = k.g();
        int inN = k.images() * g.inputSize();
        int outN = k.images() * k.outChannels() * g.outPixels();
        int wN = k.outChannels() * g.patchSize();
        for (boolean dyadic : new boolean[]{true, false}) {
            String who = kernels.name() + " " + k + (dyadic ? " dyadic" : " random");
            float[] x = values(inN, random, dyadic);
            float[] w = values(wN, random, dyadic);
            float[] b = values(k.outChannels(), random, dyadic);
            for (boolean relu : new boolean[]{false, true}) {
                // Offsets and NaN around the output: everything outside it must stay untouched.
                float[] y = new float[outN + 5];
                Arrays.fill(y, Float.NaN);
                kernels.convForward(g, k.outChannels(), k.images(), w, 0, b, 0, relu, x, 0, y, 2);
                double[] want = forwardDefinition(k, toDouble(x), toDouble(w), toDouble(b), relu);
                double[] bound = forwardBound(k, x, w, b);
                assertClose(who + " forward relu=" + relu, want, y, 2, dyadic ? null : bound);
                assertUntouched(who + " forward", y, 2, outN);
            }

            float[] dy = values(outN, random, dyadic);
            float[] mask = values(outN, random, dyadic);   // some positive, some zero or negative
            for (boolean masked : new boolean[]{false, true}) {
                double[] gy = new double[outN];
                for (int i = 0; i < outN; i++) {
                    gy[i] = !masked || mask[i] > 0 ? dy[i] : 0;
                }
                double[][] want = backwardDefinition(k, toDouble(x), toDouble(w), gy);
                float[] dw0 = values(wN, random, dyadic);   // the gradients accumulate onto these
                float[] db0 = values(k.outChannels(), random, dyadic);
                float[] dw = dw0.clone();
                float[] db = db0.clone();
                float[] dx = new float[inN + 3];
                Arrays.fill(dx, Float.NaN);   // overwritten, whatever it held
                kernels.convBackward(g, k.outChannels(), k.images(), x, 0, w, 0, masked ? mask : null, 0, dy, 0,
                        dw, 0, db, 0, dx, 3);
                String at = who + (masked ? " masked" : "");
                double[][] bounds = backwardBounds(k, x, w, gy, dw0, db0);
                assertClose(at + " dw", plus(want[0], dw0), dw, 0, dyadic ? null : bounds[0]);
                assertClose(at + " db", plus(want[1], db0), db, 0, dyadic ? null : bounds[1]);
                assertClose(at + " dx", want[2], dx, 3, dyadic ? null : bounds[2]);

                // Without dx, the same parameter gradients and dx left alone.
                float[] dw2 = dw0.clone();
                float[] db2 = db0.clone();
                float[] untouched = values(inN, random, dyadic);
                float[] copy = untouched.clone();
                kernels.convBackward(g, k.outChannels(), k.images(), x, 0, w, 0, masked ? mask : null, 0, dy, 0,
                        dw2, 0, db2, 0, null, 0);
                assertArrayEquals(dw, dw2, at + " dw without dx");
                assertArrayEquals(db, db2, at + " db without dx");
                assertArrayEquals(copy, untouched, at + " input changed");
            }
        }
    }

    /** SIMD against scalar on random data with the arrays at odd offsets. */
    private static void checkAgainstScalar(TensorKernels simd, Case k) {
        Random random = new Random(k.toString().hashCode() + 1);
        ConvGeometry g = k.g();
        int inN = k.images() * g.inputSize();
        int outN = k.images() * k.outChannels() * g.outPixels();
        int wN = k.outChannels() * g.patchSize();
        float[] x = values(inN + 3, random, false);
        float[] w = values(wN + 1, random, false);
        float[] b = values(k.outChannels() + 2, random, false);
        float[] ys = new float[outN + 4];
        float[] yv = new float[outN + 4];
        ScalarKernels.INSTANCE.convForward(g, k.outChannels(), k.images(), w, 1, b, 2, true, x, 3, ys, 4);
        simd.convForward(g, k.outChannels(), k.images(), w, 1, b, 2, true, x, 3, yv, 4);
        double[] bound = forwardBound(k, Arrays.copyOfRange(x, 3, 3 + inN), Arrays.copyOfRange(w, 1, 1 + wN),
                Arrays.copyOfRange(b, 2, 2 + k.outChannels()));
        assertClose(simd.name() + " vs scalar forward " + k, toDouble(Arrays.copyOfRange(ys, 4, 4 + outN)), yv, 4,
                scaled(bound, 2));

        float[] dy = values(outN + 1, random, false);
        float[] dws = new float[wN + 2];
        float[] dbs = new float[k.outChannels() + 1];
        float[] dxs = new float[inN + 1];
        float[] dwv = dws.clone();
        float[] dbv = dbs.clone();
        float[] dxv = dxs.clone();
        ScalarKernels.INSTANCE.convBackward(g, k.outChannels(), k.images(), x, 3, w, 1, ys, 4, dy, 1, dws, 2, dbs, 1, dxs, 1);
        // The same ReLU mask for both: outputs rounding to either side of 0 would otherwise differ by a whole term.
        simd.convBackward(g, k.outChannels(), k.images(), x, 3, w, 1, ys, 4, dy, 1, dwv, 2, dbv, 1, dxv, 1);
        double[] gy = new double[outN];
        for (int i = 0; i < outN; i++) {
            gy[i] = ys[4 + i] > 0 ? dy[1 + i] : 0;
        }
        double[][] bounds = backwardBounds(k, Arrays.copyOfRange(x, 3, 3 + inN), Arrays.copyOfRange(w, 1, 1 + wN), gy,
                new float[wN], new float[k.outChannels()]);
        String who = simd.name() + " vs scalar " + k;
        assertClose(who + " dw", toDouble(Arrays.copyOfRange(dws, 2, 2 + wN)), dwv, 2, scaled(bounds[0], 2));
        assertClose(who + " db", toDouble(Arrays.copyOfRange(dbs, 1, 1 + k.outChannels())), dbv, 1, scaled(bounds[1], 2));
        assertClose(who + " dx", toDouble(Arrays.copyOfRange(dxs, 1, 1 + inN)), dxv, 1, scaled(bounds[2], 2));
        assertEquals(0f, dwv[0] + dwv[1] + dbv[0] + dxv[0], who + ": wrote before an offset");
    }

    // ---------------------------------------------------------------- tolerances

    /** Per output: 2 (terms + 4) u (|b| + sum |w x|), the forward-error bound of any summation order. */
    private static double[] forwardBound(Case k, float[] x, float[] w, float[] b) {
        double[] absW = abs(w);
        double[] absB = abs(b);
        double[] sums = forwardDefinition(k, abs(x), absW, absB, false);
        int terms = k.g().patchSize() + 1;
        return scaled(sums, 2.0 * (terms + 4) * GemmCase.U);
    }

    /** The same bound for dw, db and dx, counting the value they accumulate onto as a term. */
    private static double[][] backwardBounds(Case k, float[] x, float[] w, double[] gy, float[] dw0, float[] db0) {
        double[] absGy = new double[gy.length];
        for (int i = 0; i < gy.length; i++) {
            absGy[i] = Math.abs(gy[i]);
        }
        double[][] s = backwardDefinition(k, abs(x), abs(w), absGy);
        int perWeight = k.images() * k.g().outPixels() + 1;
        int perPixel = k.outChannels() * k.g().kernelH() * k.g().kernelW() + 1;
        double[] dw = plus(s[0], abs(dw0));
        double[] db = plus(s[1], abs(db0));
        return new double[][]{
            scaled(dw, 2.0 * (perWeight + 4) * GemmCase.U),
            scaled(db, 2.0 * (perWeight + 4) * GemmCase.U),
            scaled(s[2], 2.0 * (perPixel + 4) * GemmCase.U)};
    }

    /** got[off + i] against want[i], exactly when bound is null. */
    private static void assertClose(String who, double[] want, float[] got, int off, double[] bound) {
        for (int i = 0; i < want.length; i++) {
            double tolerance = bound == null ? 0 : bound[i] + Float.MIN_NORMAL;
            double g = got[off + i];
            if (!(Math.abs(g - want[i]) <= tolerance)) {
                fail(who + ": element " + i + " is " + g + ", expected " + want[i] + " (tolerance " + tolerance + ")");
            }
        }
    }

    private static void assertUntouched(String who, float[] y, int off, int n) {
        for (int i = 0; i < y.length; i++) {
            if ((i < off || i >= off + n) && !Float.isNaN(y[i])) {
                fail(who + " wrote outside its output at " + i);
            }
        }
    }

    // ---------------------------------------------------------------- data

    /** Dyadic: multiples of 1/8 in [-2, 2], so sums of products are exact; otherwise uniform in [-1, 1). */
    private static float[] values(int n, Random random, boolean dyadic) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = dyadic ? (random.nextInt(33) - 16) / 8f : 2 * random.nextFloat() - 1;
        }
        return v;
    }

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    private static double[] abs(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = Math.abs(x[i]);
        }
        return d;
    }

    private static double[] plus(double[] a, float[] b) {
        double[] s = a.clone();
        for (int i = 0; i < s.length; i++) {
            s[i] += b[i];
        }
        return s;
    }

    private static double[] plus(double[] a, double[] b) {
        double[] s = a.clone();
        for (int i = 0; i < s.length; i++) {
            s[i] += b[i];
        }
        return s;
    }

    private static double[] scaled(double[] a, double factor) {
        double[] s = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            s[i] = a[i] * factor;
        }
        return s;
    }
}
