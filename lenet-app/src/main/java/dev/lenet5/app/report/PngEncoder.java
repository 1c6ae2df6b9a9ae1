package dev.lenet5.app.report;

import dev.lenet5.nn.io.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A {@link Raster} as a PNG file: 8-bit RGB, not interlaced, one IDAT chunk. This is the whole of PNG a chart
 * needs, and writing it here (about a hundred lines over {@link Deflater} and {@link CRC32}) spares each run
 * the start-up of ImageIO's writer and of the desktop module behind it.
 */
final class PngEncoder {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final int COLOUR_TYPE_RGB = 2;
    private static final int FILTER_SUB = 1;
    private static final int FILTER_UP = 2;
    /**
     * Levels 1 to 3 run zlib's fast matcher; 3 was the smallest of them at about the same speed. Measured once,
     * roughly, on a run's pictures: the curves 35 KB in 2.5 ms (the default level 6: 25 KB in 8-9 ms), the grid of
     * misclassified digits 120 KB in about 10 ms (level 6: 88 KB in about 20 ms). Level 9 took ten times as long.
     */
    private static final int LEVEL = 3;

    private PngEncoder() {
    }

    /** Writes {@code image} to {@code file} atomically, like every other file of a run. */
    static void write(Path file, Raster image) throws IOException {
        byte[] png = encode(image);
        AtomicFiles.write(file, out -> out.write(png));
    }

    static byte[] encode(Raster image) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(SIGNATURE);
        byte[] header = new byte[13];
        putInt(header, 0, image.width);
        putInt(header, 4, image.height);
        header[8] = 8;                  // bits per sample
        header[9] = COLOUR_TYPE_RGB;
        // bytes 10-12: compression (deflate), filter method (adaptive), interlace (none): all 0
        chunk(png, "IHDR", header, header.length);
        ByteArrayOutputStream idat = compressedScanlines(image);
        chunk(png, "IDAT", idat.toByteArray(), idat.size());
        chunk(png, "IEND", new byte[0], 0);
        return png.toByteArray();
    }

    /**
     * The scanlines as PNG stores them, compressed: each a filter byte, then the row's bytes minus a prediction.
     * A row that repeats the one above is filtered with Up (all zeros: a chart's blank margins and the rows its
     * vertical lines cross), any other with Sub (the pixel to the left: flat areas and horizontal lines become
     * runs of zeros). Choosing by this test rather than by trying each filter keeps the loop short, which matters
     * in a JVM that runs it once, mostly before it is compiled. Each row goes to the compressor as it is filtered,
     * so no buffer of the whole picture is needed.
     */
    private static ByteArrayOutputStream compressedScanlines(Raster image) {
        Deflater deflater = new Deflater(LEVEL);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
            byte[] buffer = new byte[1 << 16];
            byte[] line = new byte[1 + 3 * image.width];
            for (int y = 0; y < image.height; y++) {
                filter(image.row(y), y > 0 ? image.row(y - 1) : null, line);
                deflater.setInput(line);
                while (!deflater.needsInput()) {
                    out.write(buffer, 0, deflater.deflate(buffer));
                }
            }
            deflater.finish();
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out;
        } finally {
            deflater.end();   // frees zlib's native memory now rather than at some later collection
        }
    }

    /** One row as a filtered scanline into {@code line}; {@code above} is null for the first row. */
    static void filter(int[] row, int[] above, byte[] line) {
        if (above != null && Arrays.equals(row, above)) {
            line[0] = FILTER_UP;
            Arrays.fill(line, 1, line.length, (byte) 0);
            return;
        }
        line[0] = FILTER_SUB;
        int left = 0;   // black to the left of the first pixel, as the specification has it
        for (int x = 0, o = 1; x < row.length; x++, o += 3) {
            int p = row[x];
            // Only the low byte of each difference is kept, so the higher channels in p >> 8 do not matter.
            line[o] = (byte) ((p >> 16) - (left >> 16));
            line[o + 1] = (byte) ((p >> 8) - (left >> 8));
            line[o + 2] = (byte) (p - left);
            left = p;
        }
    }

    /** Length, type, data, and the CRC-32 of type and data. */
    private static void chunk(ByteArrayOutputStream png, String type, byte[] data, int length) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        byte[] word = new byte[4];
        putInt(word, 0, length);
        png.writeBytes(word);
        png.writeBytes(typeBytes);
        png.write(data, 0, length);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data, 0, length);
        putInt(word, 0, (int) crc.getValue());
        png.writeBytes(word);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
