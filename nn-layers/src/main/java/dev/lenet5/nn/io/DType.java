package dev.lenet5.nn.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The floating-point element types the safetensors reader accepts, each widened or narrowed to float32 exactly
 * as PyTorch's {@code Tensor.float()} does, so a model saved in half precision or in double loads with the
 * values PyTorch itself would compute with after converting it.
 */
enum DType {
    F32(4),
    F64(8),
    F16(2),
    BF16(2);

    /** The names as the format spells them, for error messages. */
    static final String SUPPORTED = "F32, F64, F16 and BF16";

    final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** The type with this safetensors name, or null if the reader does not accept it. */
    static DType of(String name) {
        for (DType d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    /** Converts {@code n} little-endian elements from {@code src}'s position into {@code dst[off..off+n)}. */
    void toFloats(ByteBuffer src, float[] dst, int off, int n) {
        ByteBuffer in = src.order(ByteOrder.LITTLE_ENDIAN);
        switch (this) {
            case F32 -> in.asFloatBuffer().get(dst, off, n);
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    // Java's narrowing is IEEE round-to-nearest-even with overflow to infinity, as is C++'s
                    // static_cast<float> that PyTorch's CPU conversion compiles to.
                    dst[off + i] = (float) in.getDouble();
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    dst[off + i] = halfToFloat(in.getShort());
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    // bfloat16 is the upper half of a float32: widening appends sixteen zero bits.
                    dst[off + i] = Float.intBitsToFloat((in.getShort() & 0xFFFF) << 16);
                }
            }
        }
    }

    /**
     * IEEE binary16 to float32, exact for every value (float32 has more exponent and mantissa bits); NaN payloads
     * are kept, as PyTorch keeps them. Java 17 has no {@code Float.float16ToFloat} (it came in Java 20).
     */
    static float halfToFloat(short half) {
        int h = half & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F80_0000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // Zero or subnormal: mantissa * 2^-24, which float32 holds as a normal number.
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        // Rebias the exponent from 15 to 127.
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
