package dev.lenet5.mnist;

/**
 * The contents of one IDX file: element type, dimensions and the elements in row-major order, held in
 * the primitive array that matches the type ({@code byte[]} for both byte types, then {@code short[]},
 * {@code int[]}, {@code float[]}, {@code double[]}).
 *
 * <p>The typed accessors return the backing array itself, not a copy: a freshly read file is tens of
 * megabytes and its only user is the caller. Code that shares an {@code IdxArray} must not modify it.
 */
public final class IdxArray {

    /** Source name of arrays built in memory rather than read. */
    static final String IN_MEMORY = "in-memory IDX array";

    private final String source;
    private final IdxType type;
    private final int[] dims;
    private final Object data;

    IdxArray(String source, IdxType type, int[] dims, Object data) {
        this.source = source;
        this.type = type;
        this.dims = dims;
        this.data = data;
    }

    public static IdxArray ofUnsignedBytes(byte[] data, int... dims) {
        return of(IdxType.UNSIGNED_BYTE, data, data.length, dims);
    }

    public static IdxArray ofSignedBytes(byte[] data, int... dims) {
        return of(IdxType.SIGNED_BYTE, data, data.length, dims);
    }

    public static IdxArray ofShorts(short[] data, int... dims) {
        return of(IdxType.SHORT, data, data.length, dims);
    }

    public static IdxArray ofInts(int[] data, int... dims) {
        return of(IdxType.INT, data, data.length, dims);
    }

    public static IdxArray ofFloats(float[] data, int... dims) {
        return of(IdxType.FLOAT, data, data.length, dims);
    }

    public static IdxArray ofDoubles(double[] data, int... dims) {
        return of(IdxType.DOUBLE, data, data.length, dims);
    }

    private static IdxArray of(IdxType type, Object data, int length, int[] dims) {
        if (dims.length < 1 || dims.length > 255) {
            throw new IllegalArgumentException("an IDX array has 1 to 255 dimensions, got " + dims.length);
        }
        long product = 1;
        for (int d : dims) {
            if (d < 1) {
                throw new IllegalArgumentException("every dimension must be at least 1, got " + shape(dims));
            }
            product *= d;
            if (product > length) {
                break;
            }
        }
        if (product != length) {
            throw new IllegalArgumentException("dimensions " + shape(dims) + " do not match " + length + " elements");
        }
        return new IdxArray(IN_MEMORY, type, dims.clone(), data);
    }

    /** The file path or resource name this array was read from. */
    public String source() {
        return source;
    }

    public IdxType type() {
        return type;
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int axis) {
        return dims[axis];
    }

    /** A copy of the dimensions. */
    public int[] dims() {
        return dims.clone();
    }

    /** Number of elements: the product of the dimensions. */
    public int length() {
        return itemCount() * itemSize();
    }

    /** The first dimension: how many images, labels, ... the file holds. */
    public int itemCount() {
        return dims[0];
    }

    /** Elements per item: the product of all dimensions but the first (1 for a 1-D array). */
    public int itemSize() {
        return itemSize(dims);
    }

    /** Dimensions as {@code 60000x28x28}. */
    public String shape() {
        return shape(dims);
    }

    /** The elements of an unsigned or signed byte array (read unsigned with {@code & 0xFF} for 0x08). */
    public byte[] bytes() {
        if (type != IdxType.UNSIGNED_BYTE && type != IdxType.SIGNED_BYTE) {
            throw wrongType("bytes()");
        }
        return (byte[]) data;
    }

    public short[] shorts() {
        return (short[]) typed(IdxType.SHORT, "shorts()");
    }

    public int[] ints() {
        return (int[]) typed(IdxType.INT, "ints()");
    }

    public float[] floats() {
        return (float[]) typed(IdxType.FLOAT, "floats()");
    }

    public double[] doubles() {
        return (double[]) typed(IdxType.DOUBLE, "doubles()");
    }

    /** Element {@code index} (row-major) of any type as a double; unsigned bytes give 0..255. */
    public double getAsDouble(int index) {
        switch (type) {
            case UNSIGNED_BYTE:
                return ((byte[]) data)[index] & 0xFF;
            case SIGNED_BYTE:
                return ((byte[]) data)[index];
            case SHORT:
                return ((short[]) data)[index];
            case INT:
                return ((int[]) data)[index];
            case FLOAT:
                return ((float[]) data)[index];
            case DOUBLE:
                return ((double[]) data)[index];
            default:
                throw new AssertionError(type);
        }
    }

    @Override
    public String toString() {
        return "IdxArray[" + source + ", " + type.describe() + ", " + shape() + "]";
    }

    private Object typed(IdxType expected, String accessor) {
        if (type != expected) {
            throw wrongType(accessor);
        }
        return data;
    }

    private IllegalStateException wrongType(String accessor) {
        return new IllegalStateException(source + ": " + accessor + " called on an array of "
                + type.describe() + " elements");
    }

    static int itemSize(int[] dims) {
        int size = 1;
        for (int i = 1; i < dims.length; i++) {
            size *= dims[i];
        }
        return size;
    }

    static String shape(int[] dims) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) {
                sb.append('x');
            }
            sb.append(dims[i]);
        }
        return sb.toString();
    }
}
