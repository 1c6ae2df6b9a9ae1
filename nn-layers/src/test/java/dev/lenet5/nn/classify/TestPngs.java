package dev.lenet5.nn.classify;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes PNG files chunk by chunk, independently of ImageIO, for images too large to draw: a grey image of
 * any announced size whose pixels are all black, compressed as far as deflate goes (about 1000:1). A
 * 30,000 x 30,000 one is under a megabyte on disk and 900 MB decoded: a decompression bomb.
 */
public final class TestPngs {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private TestPngs() {
    }

    /** An 8-bit grey PNG of {@code width x height} black pixels, its image data complete and valid. */
    public static byte[] blackGrey(int width, int height) {
        long rowBytes = 1 + (long) width;   // a filter-type byte, then one byte per pixel: all zero
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(SIGNATURE);
        DataBuffer ihdr = new DataBuffer();
        ihdr.writeInt(width);
        ihdr.writeInt(height);
        ihdr.write(new byte[] {8, 0, 0, 0, 0});   // 8 bits, grey, deflate, adaptive filtering, no interlace
        chunk(png, "IHDR", ihdr.bytes());
        chunk(png, "IDAT", zlibZeros(rowBytes * height));
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    /**
     * A zlib stream of {@code count} zero bytes. Deflating hundreds of megabytes takes seconds, so one chunk of
     * zeros is deflated once and its compressed form repeated: after a sync flush the deflate data of a run of
     * zeros refers only to the zeros before it, so the copies decode to further zeros.
     */
    static byte[] zlibZeros(long count) {
        int chunk = 1 << 22;
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x78);
        out.write(0xDA);
        long left = count;
        byte[] zeros = new byte[chunk];
        byte[] repeated = null;
        while (left > 0) {
            int n = (int) Math.min(chunk, left);
            left -= n;
            if (n == chunk && repeated != null) {
                out.writeBytes(repeated);
                continue;
            }
            deflater.setInput(zeros, 0, n);
            byte[] compressed = drain(deflater, Deflater.SYNC_FLUSH);
            out.writeBytes(compressed);
            // The first chunk starts with a literal zero; from the second on, the compressed form repeats.
            if (n == chunk && count - left > chunk) {
                repeated = compressed;
            }
        }
        deflater.finish();
        out.writeBytes(drain(deflater, Deflater.NO_FLUSH));
        deflater.end();
        // Adler-32 of zeros: the byte sum stays 1, and the running sum grows by 1 per byte.
        long adler = ((count % 65521) << 16) | 1;
        DataBuffer trailer = new DataBuffer();
        trailer.writeInt((int) adler);
        out.writeBytes(trailer.bytes());
        return out.toByteArray();
    }

    /** All the output of a sync flush, or with {@code NO_FLUSH} after finish(), the rest of the stream. */
    private static byte[] drain(Deflater deflater, int flush) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        int n;
        do {
            n = deflater.deflate(buf, 0, buf.length, flush);
            out.write(buf, 0, n);
        } while (flush == Deflater.NO_FLUSH ? !deflater.finished() : n == buf.length);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        DataBuffer c = new DataBuffer();
        c.writeInt(data.length);
        c.write(name);
        c.write(data);
        c.writeInt((int) crc.getValue());
        png.writeBytes(c.bytes());
    }

    /** Big-endian ints and bytes, without checked exceptions. */
    private static final class DataBuffer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final DataOutputStream data = new DataOutputStream(bytes);

        void writeInt(int v) {
            try {
                data.writeInt(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void write(byte[] b) {
            bytes.writeBytes(b);
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }
}
