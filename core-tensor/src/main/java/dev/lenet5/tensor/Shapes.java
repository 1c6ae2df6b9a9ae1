package dev.lenet5.tensor;

/**
 * Bounds checks shared by the facades: every failure names the operation, the operand and the numbers
 * that do not fit. Extents are computed in long so huge shapes cannot overflow into a false pass.
 */
final class Shapes {

    private Shapes() {
    }

    /** A rows x cols row-major matrix at off with leading dimension ld must fit in x. */
    static void checkMatrix(String op, String name, float[] x, int off, int rows, int cols, int ld) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException(op + ": " + name + " has a negative shape " + rows + "x" + cols);
        }
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException(op + ": leading dimension of " + name + " is " + ld
                    + " but its rows hold " + cols + " floats (need ld >= " + Math.max(1, cols) + ")");
        }
        if (off < 0) {
            throw new IllegalArgumentException(op + ": offset of " + name + " is negative (" + off + ")");
        }
        if (rows == 0 || cols == 0) {
            return;   // an empty matrix touches nothing and may even be a null array
        }
        if (x == null) {
            throw new IllegalArgumentException(op + ": " + name + " (" + rows + "x" + cols + ") is null");
        }
        long end = extent(off, rows, cols, ld);
        if (end > x.length) {
            throw new IllegalArgumentException(op + ": " + name + " is " + rows + "x" + cols + " with leading dimension "
                    + ld + " at offset " + off + ", so it needs " + end + " floats, but the array holds " + x.length);
        }
    }

    /** A run of n floats at off must fit in x. */
    static void checkRun(String op, String name, float[] x, int off, long n) {
        if (off < 0) {
            throw new IllegalArgumentException(op + ": offset of " + name + " is negative (" + off + ")");
        }
        if (n == 0) {
            return;
        }
        if (x == null) {
            throw new IllegalArgumentException(op + ": " + name + " is null");
        }
        if (off + n > x.length) {
            throw new IllegalArgumentException(op + ": " + name + " needs " + n + " floats from offset " + off
                    + " (up to " + (off + n) + ") but the array holds " + x.length);
        }
    }

    /** One past the last float of a non-empty matrix. */
    static long extent(int off, int rows, int cols, int ld) {
        return off + (long) (rows - 1) * ld + cols;
    }

    /** The output matrix must not share floats with an input (same array, overlapping spans). */
    static void checkDisjoint(String op, String outName, float[] out, int outOff, int outRows, int outCols, int outLd,
                              String inName, float[] in, int inOff, int inRows, int inCols, int inLd) {
        if (out != in || outRows == 0 || outCols == 0 || inRows == 0 || inCols == 0) {
            return;
        }
        // Spans are a conservative test: interleaved matrices sharing an array are rejected too.
        long outEnd = extent(outOff, outRows, outCols, outLd);
        long inEnd = extent(inOff, inRows, inCols, inLd);
        if (outOff < inEnd && inOff < outEnd) {
            throw new IllegalArgumentException(op + ": " + outName + " [" + outOff + ", " + outEnd + ") overlaps "
                    + inName + " [" + inOff + ", " + inEnd + ") in the same array; the output must not alias an input");
        }
    }
}
