package dev.lenet5.app.serve;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads the JSON form of a digit: one array of exactly 784 numbers in [0,1], the 28x28 image row by row with ink
 * 1, as MNIST's digits are after scaling. It reads the bytes in one pass and allocates only the result and each
 * number's digits, so a body of any shape costs no more than its length; the first problem ends the reading with a
 * sentence that says where it is.
 */
final class PixelArray {

    static final int SIDE = 28;
    static final int VALUES = SIDE * SIDE;
    /** A number's text longer than this is not a pixel value a client means (0.123456789012345678 is 20). */
    private static final int MAX_NUMBER_CHARS = 32;

    private final byte[] json;
    private int pos;

    private PixelArray(byte[] json) {
        this.json = json;
    }

    /** Whether the body looks like JSON (its first non-blank byte opens an array) rather than an image. */
    static boolean looksLikeJson(byte[] body) {
        for (byte b : body) {
            if (!blank(b)) {
                return b == '[';
            }
        }
        return false;
    }

    /**
     * The 784 values of {@code json}.
     *
     * @throws HttpProblem 400 when it is not one array of 784 numbers in [0,1]
     */
    static float[] parse(byte[] json) throws HttpProblem {
        return new PixelArray(json).array();
    }

    private float[] array() throws HttpProblem {
        skipBlanks();
        if (pos >= json.length || json[pos] != '[') {
            throw bad("the JSON body must be an array of " + VALUES + " numbers (28x28 pixels, row by row)");
        }
        pos++;
        float[] pixels = new float[VALUES];
        int count = 0;
        skipBlanks();
        if (pos < json.length && json[pos] == ']') {
            pos++;
        } else {
            while (true) {
                skipBlanks();
                if (count == VALUES) {
                    throw bad("the JSON array has more than " + VALUES + " values; it must have exactly " + VALUES
                            + " (28x28 pixels)");
                }
                pixels[count] = pixel(count);
                count++;
                skipBlanks();
                if (pos >= json.length) {
                    throw bad("the JSON array is not closed");
                }
                byte b = json[pos++];
                if (b == ']') {
                    break;
                }
                if (b != ',') {
                    throw bad(String.format(Locale.ROOT, "unexpected '%c' after value %d of the JSON array",
                            (char) (b & 0xFF), count));
                }
            }
        }
        skipBlanks();
        if (pos != json.length) {
            throw bad("unexpected text after the JSON array");
        }
        if (count != VALUES) {
            throw bad("the JSON array has " + count + " values; it must have exactly " + VALUES + " (28x28 pixels)");
        }
        return pixels;
    }

    private float pixel(int index) throws HttpProblem {
        int start = pos;
        while (pos < json.length && numberChar(json[pos])) {
            pos++;
            if (pos - start > MAX_NUMBER_CHARS) {
                throw bad("value " + index + " of the JSON array is not a pixel value in [0,1]");
            }
        }
        if (pos == start) {
            throw bad("value " + index + " of the JSON array is not a number");
        }
        String text = new String(json, start, pos - start, StandardCharsets.US_ASCII);
        if (!jsonNumber(start, pos)) {
            throw bad("value " + index + " of the JSON array, " + text + ", is not a JSON number");
        }
        double v = Double.parseDouble(text);
        if (!(v >= 0 && v <= 1)) {
            throw bad("value " + index + " of the JSON array, " + text + ", is outside [0,1]");
        }
        return (float) v;
    }

    /** Whether {@code json[from, to)} is a number by JSON's grammar: {@code -?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?}. */
    private boolean jsonNumber(int from, int to) {
        int i = from;
        if (i < to && json[i] == '-') {
            i++;
        }
        if (i < to && json[i] == '0') {
            i++;
        } else {
            int digits = digits(i, to);
            if (digits == 0) {
                return false;
            }
            i += digits;
        }
        if (i < to && json[i] == '.') {
            int digits = digits(i + 1, to);
            if (digits == 0) {
                return false;
            }
            i += 1 + digits;
        }
        if (i < to && (json[i] == 'e' || json[i] == 'E')) {
            i++;
            if (i < to && (json[i] == '+' || json[i] == '-')) {
                i++;
            }
            int digits = digits(i, to);
            if (digits == 0) {
                return false;
            }
            i += digits;
        }
        return i == to;
    }

    private int digits(int from, int to) {
        int i = from;
        while (i < to && json[i] >= '0' && json[i] <= '9') {
            i++;
        }
        return i - from;
    }

    private void skipBlanks() {
        while (pos < json.length && blank(json[pos])) {
            pos++;
        }
    }

    private static boolean blank(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    private static boolean numberChar(byte b) {
        return (b >= '0' && b <= '9') || b == '-' || b == '+' || b == '.' || b == 'e' || b == 'E';
    }

    private static HttpProblem bad(String message) {
        return new HttpProblem(400, message);
    }
}
