package dev.lenet5.mnist;

/**
 * The element types an IDX file can declare in the third byte of its magic number, as listed on the
 * MNIST page. Multi-byte types are stored big-endian.
 */
public enum IdxType {
    UNSIGNED_BYTE(0x08, 1, "unsigned byte"),
    SIGNED_BYTE(0x09, 1, "signed byte"),
    SHORT(0x0B, 2, "short"),
    INT(0x0C, 4, "int"),
    FLOAT(0x0D, 4, "float"),
    DOUBLE(0x0E, 8, "double");

    private final int code;
    private final int bytesPerElement;
    private final String description;

    IdxType(int code, int bytesPerElement, String description) {
        this.code = code;
        this.bytesPerElement = bytesPerElement;
        this.description = description;
    }

    /** The type code as it appears in the file, e.g. {@code 0x08}. */
    public int code() {
        return code;
    }

    public int bytesPerElement() {
        return bytesPerElement;
    }

    /** Human-readable name with its code, for messages: {@code float (0x0D)}. */
    public String describe() {
        return description + " (" + hex(code) + ")";
    }

    /** The type with this code, or null when the code is not one of the spec's six. */
    public static IdxType fromCode(int code) {
        for (IdxType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }

    /** All known codes with their names, for the message about an unknown one. */
    static String knownCodes() {
        StringBuilder sb = new StringBuilder();
        for (IdxType t : values()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(hex(t.code)).append(' ').append(t.description);
        }
        return sb.toString();
    }

    static String hex(int b) {
        return String.format("0x%02X", b & 0xFF);
    }
}
