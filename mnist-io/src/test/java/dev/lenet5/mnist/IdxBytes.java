package dev.lenet5.mnist;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/**
 * Builds IDX files byte by byte for tests, independently of the reader: DataOutputStream for the
 * big-endian encoding, java.util.zip for gzip (the reader uses commons-compress).
 */
final class IdxBytes {

    private IdxBytes() {
    }

    /** A header: 00 00 type rank, then the dimensions as big-endian ints. */
    static byte[] header(int typeCode, int... dims) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataOutputStream data = new DataOutputStream(out)) {
            data.writeByte(0);
            data.writeByte(0);
            data.writeByte(typeCode);
            data.writeByte(dims.length);
            for (int d : dims) {
                data.writeInt(d);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] unsignedBytes(byte[] data, int... dims) {
        return concat(header(0x08, dims), data);
    }

    static byte[] signedBytes(byte[] data, int... dims) {
        return concat(header(0x09, dims), data);
    }

    static byte[] shorts(short[] values, int... dims) {
        return encode(0x0B, dims, out -> {
            for (short v : values) {
                out.writeShort(v);
            }
        });
    }

    static byte[] ints(int[] values, int... dims) {
        return encode(0x0C, dims, out -> {
            for (int v : values) {
                out.writeInt(v);
            }
        });
    }

    static byte[] floats(float[] values, int... dims) {
        // Raw bits, so NaN payloads survive the trip as written.
        return encode(0x0D, dims, out -> {
            for (float v : values) {
                out.writeInt(Float.floatToRawIntBits(v));
            }
        });
    }

    static byte[] doubles(double[] values, int... dims) {
        return encode(0x0E, dims, out -> {
            for (double v : values) {
                out.writeLong(Double.doubleToRawLongBits(v));
            }
        });
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Several gzip members, one per piece, back to back (what {@code cat a.gz b.gz} makes). */
    static byte[] gzipMembers(byte[] raw, int... cuts) {
        byte[] result = new byte[0];
        int from = 0;
        int[] ends = Arrays.copyOf(cuts, cuts.length + 1);
        ends[cuts.length] = raw.length;
        for (int end : ends) {
            result = concat(result, gzip(Arrays.copyOfRange(raw, from, end)));
            from = end;
        }
        return result;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }

    static Path write(Path dir, String name, byte[] content) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, content);
        return file;
    }

    /** Unsigned bytes with a simple, checkable pattern. */
    static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + seed * 7 + (i >>> 8));
        }
        return b;
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] encode(int typeCode, int[] dims, Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataOutputStream data = new DataOutputStream(out)) {
            data.write(header(typeCode, dims));
            body.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
