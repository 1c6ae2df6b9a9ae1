package dev.lenet5.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lenet5.tensor.kernel.ConvGeometry;
import dev.lenet5.tensor.kernel.Kernels;
import dev.lenet5.tensor.kernel.ScalarKernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The facades reject every operand that does not fit, with a message naming it, and otherwise delegate. */
class FacadesTest {

    private final Gemm gemm = new Gemm(Kernels.get());

    private static void assertRejected(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' should mention '" + f + "'");
        }
    }

    @Test
    void delegatesAValidProductToTheKernels() {
        // [1 2; 3 4] * [5; 6] = [17; 39], then C = 2 * AB + 1 * C
        float[] c = {1, 1};
        gemm.multiply(false, false, 2, 1, 2, 2f, new float[]{1, 2, 3, 4}, 0, 2, new float[]{5, 6}, 0, 1, 1f, c, 0, 1);
        assertArrayEquals(new float[]{35, 79}, c);
        // The same with A stored transposed and B as a row (transB).
        float[] d = new float[2];
        gemm.multiply(true, true, 2, 1, 2, 1f, new float[]{1, 3, 2, 4}, 0, 2, new float[]{5, 6}, 0, 2, 0f, d, 0, 1);
        assertArrayEquals(new float[]{17, 39}, d);
    }

    @Test
    void rejectsNegativeDimensions() {
        assertRejected(() -> gemm.multiply(false, false, -1, 2, 2, 1f, new float[4], 0, 2, new float[4], 0, 2, 0f,
                new float[4], 0, 2), "m=-1");
    }

    @Test
    void rejectsLeadingDimensionsShorterThanARow() {
        float[] x = new float[100];
        float[] c = new float[100];
        assertRejected(() -> gemm.multiply(false, false, 3, 4, 5, 1f, x, 0, 4, x, 0, 4, 0f, c, 0, 4),
                "leading dimension of A", "need ld >= 5");
        // transA: A is stored k x m, so its rows hold m = 3 floats and lda = 3 is enough ...
        assertDoesNotThrow(() -> Gemm.check(true, false, 3, 4, 5, x, 0, 3, x, 0, 4, c, 0, 4));
        // ... but B untransposed is k x n and needs ldb >= 4.
        assertRejected(() -> Gemm.check(true, false, 3, 4, 5, x, 0, 3, x, 0, 3, c, 0, 4), "leading dimension of B");
        assertRejected(() -> Gemm.check(false, true, 3, 4, 5, x, 0, 5, x, 0, 4, c, 0, 4), "B (stored n x k, transB)");
        assertRejected(() -> Gemm.check(false, false, 3, 4, 5, x, 0, 5, x, 0, 4, c, 0, 3), "leading dimension of C");
    }

    @Test
    void rejectsOperandsRunningPastTheirArrays() {
        // A is 3x5 with lda 6 at offset 2: it needs 2 + 2*6 + 5 = 19 floats.
        assertRejected(() -> Gemm.check(false, false, 3, 4, 5, new float[18], 2, 6, new float[20], 0, 4,
                new float[12], 0, 4), "A is 3x5", "needs 19 floats", "holds 18");
        assertDoesNotThrow(() -> Gemm.check(false, false, 3, 4, 5, new float[19], 2, 6, new float[20], 0, 4,
                new float[12], 0, 4));
        assertRejected(() -> Gemm.check(false, false, 3, 4, 5, new float[15], 0, 5, new float[19], 0, 4,
                new float[12], 0, 4), "B is 5x4");
        assertRejected(() -> Gemm.check(false, false, 3, 4, 5, new float[15], 0, 5, new float[20], 0, 4,
                new float[12], 1, 4), "C is 3x4", "offset 1");
        assertRejected(() -> Gemm.check(false, false, 3, 4, 5, new float[15], -1, 5, new float[20], 0, 4,
                new float[12], 0, 4), "offset of A is negative");
        assertRejected(() -> Gemm.check(false, false, 3, 4, 5, null, 0, 5, new float[20], 0, 4,
                new float[12], 0, 4), "A (3x5) is null");
    }

    @Test
    void rejectsAnOutputThatAliasesAnInput() {
        float[] shared = new float[64];
        assertRejected(() -> Gemm.check(false, false, 2, 2, 2, shared, 0, 2, new float[4], 0, 2, shared, 2, 2),
                "C [2, 6) overlaps A [0, 4)");
        // Disjoint regions of one array are fine.
        assertDoesNotThrow(() -> Gemm.check(false, false, 2, 2, 2, shared, 0, 2, shared, 4, 2, shared, 8, 2));
    }

    @Test
    void emptyProductsNeedNoOperands() {
        float[] c = {7, 7};
        // k == 0: C = beta * C and A, B may be absent.
        gemm.multiply(false, false, 1, 2, 0, 1f, null, 0, 1, null, 0, 2, 0.5f, c, 0, 2);
        assertArrayEquals(new float[]{3.5f, 3.5f}, c);
        assertDoesNotThrow(() -> gemm.multiply(false, false, 0, 0, 3, 1f, null, 0, 3, null, 0, 1, 0f, null, 0, 1));
    }

    @Test
    void im2colFacadeChecksImageAndColumns() {
        Im2Col lowering = new Im2Col(ScalarKernels.INSTANCE);
        ConvGeometry g = ConvGeometry.square(2, 4, 4, 3, 1, 0);   // 2x4x4 → (18, 4)
        float[] x = new float[32];
        float[] cols = new float[18 * 4];
        assertDoesNotThrow(() -> lowering.im2col(g, x, 0, cols, 0, 4));
        assertDoesNotThrow(() -> lowering.col2im(g, cols, 0, 4, x, 0));
        assertRejected(() -> lowering.im2col(g, new float[31], 0, cols, 0, 4), "im2col", "image (2x4x4)", "needs 32 floats");
        assertRejected(() -> lowering.im2col(g, x, 1, cols, 0, 4), "from offset 1");
        assertRejected(() -> lowering.im2col(g, x, 0, cols, 0, 3), "leading dimension of columns (18x4)");
        assertRejected(() -> lowering.col2im(g, cols, 1, 4, x, 0), "col2im", "columns (18x4)", "needs 73 floats");
        assertRejected(() -> lowering.im2col(null, x, 0, cols, 0, 4), "geometry");
        float[] both = new float[200];
        assertRejected(() -> lowering.im2col(g, both, 0, both, 16, 4), "overlaps image");
        assertDoesNotThrow(() -> lowering.im2col(g, both, 0, both, 32, 4));
    }

    @Test
    void im2colFacadeDelegates() {
        float[] x = {1, 2, 3, 4};
        float[] cols = new float[4];
        new Im2Col(ScalarKernels.INSTANCE).im2col(ConvGeometry.square(1, 2, 2, 2, 1, 0), x, 0, cols, 0, 1);
        assertArrayEquals(new float[]{1, 2, 3, 4}, cols);   // one 2x2 window: one column of 4 rows
        float[] back = new float[4];
        new Im2Col(ScalarKernels.INSTANCE).col2im(ConvGeometry.square(1, 2, 2, 2, 1, 0), cols, 0, 1, back, 0);
        assertArrayEquals(x, back);
    }

    @Test
    void facadesRefuseNullKernels() {
        assertRejected(() -> new Gemm(null), "kernels");
        assertRejected(() -> new Im2Col(null), "kernels");
    }
}
