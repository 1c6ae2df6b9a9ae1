package dev.lenet5.app.serve;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Builds the server's JSON answers in one buffer. Probabilities keep every digit a float has
 * ({@link Float#toString} is the shortest string that reads back to the same float); feature maps are rounded to
 * three decimals, enough for an image and a third of the size.
 */
final class JsonWriter {

    private final StringBuilder out;
    private boolean needComma;

    JsonWriter(int capacity) {
        out = new StringBuilder(capacity);
    }

    JsonWriter beginObject() {
        comma();
        out.append('{');
        needComma = false;
        return this;
    }

    JsonWriter endObject() {
        out.append('}');
        needComma = true;
        return this;
    }

    JsonWriter beginArray() {
        comma();
        out.append('[');
        needComma = false;
        return this;
    }

    JsonWriter endArray() {
        out.append(']');
        needComma = true;
        return this;
    }

    JsonWriter name(String name) {
        comma();
        string(name);
        out.append(':');
        needComma = false;
        return this;
    }

    JsonWriter value(String value) {
        comma();
        string(value);
        needComma = true;
        return this;
    }

    JsonWriter value(long value) {
        comma();
        out.append(value);
        needComma = true;
        return this;
    }

    JsonWriter value(boolean value) {
        comma();
        out.append(value);
        needComma = true;
        return this;
    }

    /** A finite number with all its digits; JSON has no NaN or infinity, so those are written as null. */
    JsonWriter value(double value) {
        comma();
        if (Double.isFinite(value)) {
            out.append(value);
        } else {
            out.append("null");
        }
        needComma = true;
        return this;
    }

    /** A float with the digits that identify it (0.1f is 0.1, not 0.10000000149011612); null unless finite. */
    JsonWriter value(float value) {
        comma();
        if (Float.isFinite(value)) {
            out.append(value);
        } else {
            out.append("null");
        }
        needComma = true;
        return this;
    }

    JsonWriter values(float[] values) {
        beginArray();
        for (float v : values) {
            comma();
            if (Float.isFinite(v)) {
                out.append(v);
            } else {
                out.append("null");
            }
            needComma = true;
        }
        return endArray();
    }

    /** The values rounded to three decimals, without trailing zeros: {@code 0}, {@code 0.5}, {@code 12.375}. */
    JsonWriter rounded(float[] values, int from, int count) {
        beginArray();
        for (int i = from; i < from + count; i++) {
            comma();
            rounded(values[i]);
            needComma = true;
        }
        return endArray();
    }

    JsonWriter object(Map<String, String> entries) {
        beginObject();
        for (var e : entries.entrySet()) {
            name(e.getKey()).value(e.getValue());
        }
        return endObject();
    }

    byte[] toBytes() {
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void rounded(float v) {
        if (!Float.isFinite(v)) {
            out.append("null");
            return;
        }
        long thousandths = Math.round(v * 1000.0);
        if (thousandths < 0) {
            out.append('-');
            thousandths = -thousandths;
        }
        out.append(thousandths / 1000);
        long frac = thousandths % 1000;
        if (frac != 0) {
            out.append('.');
            int digits = 3;
            while (frac % 10 == 0) {
                frac /= 10;
                digits--;
            }
            String f = Long.toString(frac);
            for (int pad = f.length(); pad < digits; pad++) {
                out.append('0');
            }
            out.append(f);
        }
    }

    private void comma() {
        if (needComma) {
            out.append(',');
            needComma = false;
        }
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    // Control characters, and < > & so that no string can close a script or comment in a page.
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
