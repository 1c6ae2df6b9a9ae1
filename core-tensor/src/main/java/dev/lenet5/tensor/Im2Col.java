package dev.lenet5.tensor;

import dev.lenet5.tensor.kernel.ConvGeometry;
import dev.lenet5.tensor.kernel.TensorKernels;

/**
 * Checked convolution lowering: validates the image and column-matrix extents, then calls
 * {@link TensorKernels#im2col} or {@link TensorKernels#col2im}.
 *
 * <p>One image x: (C, H, W) becomes cols: (C*KH*KW, OH*OW); with {@code ldCols = batch * OH*OW} and
 * {@code colsOff = n * OH*OW}, the images of a batch sit side by side in one matrix, so a single GEMM
 * convolves the whole batch.
 */
public final class Im2Col {

    private final TensorKernels kernels;

    public Im2Col(TensorKernels kernels) {
        if (kernels == null) {
            throw new IllegalArgumentException("kernels must not be null");
        }
        this.kernels = kernels;
    }

    /** x: (C, H, W) at xOff → cols: (C*KH*KW, OH*OW) at colsOff, leading dimension ldCols. */
    public void im2col(ConvGeometry g, float[] x, int xOff, float[] cols, int colsOff, int ldCols) {
        check("im2col", g, x, xOff, cols, colsOff, ldCols);
        kernels.im2col(g, x, xOff, cols, colsOff, ldCols);
    }

    /** x: (C, H, W) at xOff += col2im(cols: (C*KH*KW, OH*OW) at colsOff, leading dimension ldCols). */
    public void col2im(ConvGeometry g, float[] cols, int colsOff, int ldCols, float[] x, int xOff) {
        check("col2im", g, x, xOff, cols, colsOff, ldCols);
        kernels.col2im(g, cols, colsOff, ldCols, x, xOff);
    }

    /**
     * Validates a lowering call without running it.
     *
     * @throws IllegalArgumentException naming the operand that does not fit
     */
    public static void check(String op, ConvGeometry g, float[] x, int xOff, float[] cols, int colsOff, int ldCols) {
        if (g == null) {
            throw new IllegalArgumentException(op + ": geometry must not be null");
        }
        Shapes.checkRun(op, "image (" + g.channels() + "x" + g.height() + "x" + g.width() + ")", x, xOff, g.inputSize());
        String colsName = "columns (" + g.patchSize() + "x" + g.outPixels() + ")";
        Shapes.checkMatrix(op, colsName, cols, colsOff, g.patchSize(), g.outPixels(), ldCols);
        Shapes.checkDisjoint(op, colsName, cols, colsOff, g.patchSize(), g.outPixels(), ldCols,
                "image", x, xOff, 1, g.inputSize(), g.inputSize());
    }
}
