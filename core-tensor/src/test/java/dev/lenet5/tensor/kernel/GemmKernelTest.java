package dev.lenet5.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * sgemm: the scalar reference and the SIMD kernels of this JVM's vector width (see {@link SimdVariants}),
 * with either micro-kernel, against a naive triple loop in double, and SIMD against scalar. Random data is
 * checked within {@code 2 (k + 4) u sum|terms|} (see {@link GemmCase}); dyadic data (multiples of 1/8) makes
 * every float sum exact, so there all kernels must match the double reference exactly and a single lost or
 * doubled term fails even when k is 94080.
 */
class GemmKernelTest {

    private static final int[] SIZES = {1, 2, 3, 7, 15, 16, 17, 31, 33, 64, 127, 257};
    /** (alpha, beta) pairs: plain, accumulate, general, overwrite, negative scaling. */
    private static final float[][] SCALARS = {{1f, 0f}, {1f, 1f}, {1.5f, 0.5f}, {-0.75f, -1f}};
    private static final AtomicBoolean SIMD_RAN = new AtomicBoolean();

    record Shape(String label, boolean transA, boolean transB, int m, int n, int k) {
    }

    /**
     * Every size of the list in every position (m, n and k), combined so each triple mixes a tiny, a
     * middle and a tail-heavy size, with all four transposes.
     */
    static List<Shape> sizeSweep() {
        List<Shape> shapes = new ArrayList<>();
        for (int i = 0; i < SIZES.length; i++) {
            int m = SIZES[i];
            int n = SIZES[(i + 4) % SIZES.length];
            int k = SIZES[(i + 8) % SIZES.length];
            for (int t = 0; t < 4; t++) {
                shapes.add(new Shape("sweep", (t & 1) != 0, (t & 2) != 0, m, n, k));
            }
        }
        return shapes;
    }

    /** Shapes on either side of every block size and path threshold in {@link KernelTuning}. */
    static List<Shape> pathEdges() {
        List<Shape> shapes = new ArrayList<>();
        int kc = KernelTuning.KC;
        int direct = KernelTuning.DIRECT_B_MAX_M;
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0;
            boolean tb = (t & 2) != 0;
            shapes.add(new Shape("k slices", ta, tb, 9, 50, kc + 1));
            shapes.add(new Shape("k slices", ta, tb, 5, 3, 2 * kc + 1));
            shapes.add(new Shape("m blocks", ta, tb, KernelTuning.MC + 1, 20, 5));
            shapes.add(new Shape("direct edge", ta, tb, direct, 97, 11));
            shapes.add(new Shape("direct edge", ta, tb, direct + 1, 97, 11));
        }
        // Last strips of every width: whole vectors (1, 2 or 3 of 4, 8 or 16 lanes) and partial ones,
        // read in place (few rows) and packed (many rows).
        for (int n : new int[]{4, 8, 16, 24, 32, 48, 52, 56, 80, 96, 112}) {
            for (int t = 0; t < 4; t++) {
                shapes.add(new Shape("edge strip", (t & 1) != 0, (t & 2) != 0, 9, n, 7));
            }
            shapes.add(new Shape("edge strip", false, false, direct + 3, n, 7));
        }
        // Panels of B wider than NC (packed path: more rows than the in-place threshold).
        shapes.add(new Shape("n panels", false, false, direct + 1, KernelTuning.NC + 50, 3));
        shapes.add(new Shape("n panels", false, true, 9, KernelTuning.NC + 50, 3));
        // The dot-product path for A * B^T: thresholds on k and m*n, and k chunks.
        int dotK = KernelTuning.DOT_MIN_K;
        shapes.add(new Shape("dot k edge", false, true, 5, 7, dotK - 1));
        shapes.add(new Shape("dot k edge", false, true, 5, 7, dotK));
        shapes.add(new Shape("dot mn edge", false, true, 64, KernelTuning.DOT_MAX_MN / 64, 70));
        shapes.add(new Shape("dot mn edge", false, true, 64, KernelTuning.DOT_MAX_MN / 64 + 1, 70));
        shapes.add(new Shape("dot k chunks", false, true, 4, 5, 2 * KernelTuning.DOT_KC + 3));
        return shapes;
    }

    /**
     * LeNet-5's products (conv1 6x(1x5x5), conv2 16x(6x5x5), fc 400-120-84-10), at batch 120 and 1:
     * forward, weight gradient and input gradient, as the layers call them (convolutions with the batch's
     * pixels side by side as columns).
     */
    static List<Shape> lenetShapes() {
        List<Shape> shapes = new ArrayList<>();
        for (int batch : new int[]{120, 1}) {
            addConv(shapes, "conv1", batch, 6, 25, 784);
            addConv(shapes, "conv2", batch, 16, 150, 100);
            addLinear(shapes, "fc1", batch, 400, 120);
            addLinear(shapes, "fc2", batch, 120, 84);
            addLinear(shapes, "fc3", batch, 84, 10);
        }
        return shapes;
    }

    private static void addConv(List<Shape> shapes, String name, int batch, int out, int patch, int pixels) {
        int cols = batch * pixels;
        shapes.add(new Shape(name + " forward b" + batch, false, false, out, cols, patch));       // W * cols
        shapes.add(new Shape(name + " weight grad b" + batch, false, true, out, patch, cols));   // dY * cols^T
        shapes.add(new Shape(name + " input grad b" + batch, true, false, patch, cols, out));    // W^T * dY
    }

    private static void addLinear(List<Shape> shapes, String name, int batch, int in, int out) {
        shapes.add(new Shape(name + " forward b" + batch, false, true, batch, out, in));         // X * W^T
        shapes.add(new Shape(name + " weight grad b" + batch, true, false, out, in, batch));     // dY^T * X
        shapes.add(new Shape(name + " input grad b" + batch, false, false, batch, in, out));     // dY * W
    }

    private static List<GemmCase> cases(List<Shape> shapes, boolean dyadic, boolean allScalars) {
        List<GemmCase> cases = new ArrayList<>();
        long seed = 1;
        for (Shape s : shapes) {
            if (allScalars) {
                for (float[] ab : SCALARS) {
                    cases.add(new GemmCase(s.label(), s.transA(), s.transB(), s.m(), s.n(), s.k(), ab[0], ab[1], seed++, dyadic));
                }
            } else {
                // One pair per shape, rotating, so big shapes stay affordable but all pairs are seen.
                float[] ab = SCALARS[(int) (seed % SCALARS.length)];
                cases.add(new GemmCase(s.label(), s.transA(), s.transB(), s.m(), s.n(), s.k(), ab[0], ab[1], seed++, dyadic));
            }
        }
        return cases;
    }

    private static void checkScalar(List<GemmCase> cases) {
        for (GemmCase g : cases) {
            g.assertMatchesReference("scalar", g.run(ScalarKernels.INSTANCE));
        }
    }

    private static void checkSimd(List<GemmCase> cases) {
        for (boolean wide : new boolean[]{true, false}) {
            TensorKernels simd = SimdVariants.kernels(wide);
            String who = simd + (wide ? "" : " 16-register kernel");
            for (GemmCase g : cases) {
                float[] c = g.run(simd);
                g.assertMatchesReference(who, c);
                g.assertClose(who, c, g.run(ScalarKernels.INSTANCE));
            }
        }
        SIMD_RAN.set(true);
    }

    @AfterAll
    static void simdRanWhereAvailable() {
        SimdVariants.assertRanWhereAvailable(SIMD_RAN.get());
    }

    // ---------------------------------------------------------------- scalar reference (both test runs)

    @Test
    void scalarMatchesNaiveDoubleLoopOnSizeSweep() {
        checkScalar(cases(sizeSweep(), false, true));
        checkScalar(cases(sizeSweep(), true, true));
    }

    @Test
    void scalarMatchesNaiveDoubleLoopOnLeNetShapes() {
        checkScalar(cases(lenetShapes(), true, false));
    }

    // ---------------------------------------------------------------- SIMD (run with the module only)

    @Test
    void simdMatchesReferenceOnSizeSweep() {
        checkSimd(cases(sizeSweep(), false, true));
        checkSimd(cases(sizeSweep(), true, true));
    }

    @Test
    void simdMatchesReferenceAcrossBlockAndPathEdges() {
        checkSimd(cases(pathEdges(), false, false));
        checkSimd(cases(pathEdges(), true, true));
    }

    @Test
    void simdMatchesReferenceExactlyOnLeNetShapes() {
        checkSimd(cases(lenetShapes(), true, false));
    }

    @Test
    void simdMatchesReferenceOnLeNetShapesWithRandomData() {
        List<Shape> small = new ArrayList<>();
        for (Shape s : lenetShapes()) {
            if ((long) s.m() * s.n() * s.k() <= 3_000_000L) {
                small.add(s);
            }
        }
        checkSimd(cases(small, false, false));
    }

    // ---------------------------------------------------------------- BLAS special cases, every kernel

    private static List<TensorKernels> allKernels() {
        List<TensorKernels> all = new ArrayList<>();
        all.add(ScalarKernels.INSTANCE);
        if (SimdVariants.unavailable() == null) {
            all.add(Kernels.createVector(true));
            all.add(Kernels.createVector(false));
        }
        return all;
    }

    @Test
    void betaZeroOverwritesNaNAndAlphaZeroIgnoresTheProduct() {
        for (TensorKernels kernels : allKernels()) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0;
                boolean tb = (t & 2) != 0;
                // beta == 0: C holds NaN (GemmCase fills it) and must come out as the plain product.
                GemmCase overwrite = new GemmCase("beta0", ta, tb, 19, 53, 70, 1f, 0f, 7, true);
                overwrite.assertMatchesReference(kernels.name(), overwrite.run(kernels));
                // alpha == 0: A and B are not read (NaN there must not leak), C = beta * C.
                GemmCase scaleOnly = new GemmCase("alpha0", ta, tb, 19, 53, 70, 0f, -0.5f, 8, true);
                java.util.Arrays.fill(scaleOnly.a, Float.NaN);
                java.util.Arrays.fill(scaleOnly.b, Float.NaN);
                scaleOnly.assertMatchesReference(kernels.name(), scaleOnly.run(kernels));
                // alpha == 0 and beta == 0: zeros over NaN.
                GemmCase zero = new GemmCase("alpha0 beta0", ta, tb, 19, 53, 70, 0f, 0f, 9, true);
                float[] c = zero.run(kernels);
                for (int i = 0; i < zero.m; i++) {
                    for (int j = 0; j < zero.n; j++) {
                        assertEquals(0f, c[zero.cOff + i * zero.ldc + j], kernels.name());
                    }
                }
            }
        }
    }

    @Test
    void emptyDimensionsLeaveCAloneOrScaleIt() {
        for (TensorKernels kernels : allKernels()) {
            // k == 0: the product is empty, C = beta * C.
            GemmCase emptyK = new GemmCase("k0", false, false, 5, 9, 0, 1f, 2f, 10, true);
            emptyK.assertMatchesReference(kernels.name(), emptyK.run(kernels));
            GemmCase emptyKOverwrite = new GemmCase("k0 beta0", true, true, 5, 9, 0, 1f, 0f, 11, true);
            emptyKOverwrite.assertMatchesReference(kernels.name(), emptyKOverwrite.run(kernels));
            // m == 0 or n == 0: nothing to write (the sentinel check catches any write).
            GemmCase noRows = new GemmCase("m0", false, false, 0, 9, 4, 1f, 0f, 12, true);
            noRows.assertMatchesReference(kernels.name(), noRows.run(kernels));
            GemmCase noCols = new GemmCase("n0", false, true, 5, 0, 4, 1f, 0f, 13, true);
            noCols.assertMatchesReference(kernels.name(), noCols.run(kernels));
        }
    }

    @Test
    void concurrentCallsFromTwoThreadsGiveTheSingleThreadResult() throws Exception {
        for (TensorKernels kernels : allKernels()) {
            GemmCase g = new GemmCase("threads", false, true, 37, 300, 129, 1f, 0f, 14, true);
            GemmCase h = new GemmCase("threads", true, false, 45, 230, 400, 1f, 1f, 15, true);
            float[][] results = new float[2][];
            Thread other = new Thread(() -> {
                for (int r = 0; r < 20; r++) {
                    results[1] = h.run(kernels);
                }
            });
            other.start();
            for (int r = 0; r < 20; r++) {
                results[0] = g.run(kernels);
            }
            other.join();
            g.assertMatchesReference(kernels.name() + " thread 1", results[0]);
            h.assertMatchesReference(kernels.name() + " thread 2", results[1]);
        }
    }

    @Test
    void testShapesCoverTheRequiredSizesInEveryPosition() {
        List<Shape> sweep = sizeSweep();
        for (int size : SIZES) {
            assertTrue(sweep.stream().anyMatch(s -> s.m() == size), "m = " + size);
            assertTrue(sweep.stream().anyMatch(s -> s.n() == size), "n = " + size);
            assertTrue(sweep.stream().anyMatch(s -> s.k() == size), "k = " + size);
        }
        assertEquals(30, lenetShapes().size());
    }
}
