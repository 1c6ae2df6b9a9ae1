package dev.lenet5.app.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The encoder byte by byte on images small enough to check by hand, and against ImageIO's decoder (here, in the
 * tests only) on random images of odd sizes.
 */
class PngEncoderTest {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    @TempDir
    Path dir;

    record Chunk(String type, byte[] data, int crc) {
    }

    @Test
    void aTwoPixelImageHasTheExpectedChunksAndScanline() throws DataFormatException {
        Raster image = new Raster(2, 1, 0);
        image.set(0, 0, 0xFF0000);
        image.set(1, 0, 0x00FF00);
        byte[] png = PngEncoder.encode(image);
        assertArrayEquals(SIGNATURE, Arrays.copyOf(png, 8));
        List<Chunk> chunks = chunks(png);
        assertEquals(List.of("IHDR", "IDAT", "IEND"), chunks.stream().map(Chunk::type).toList());
        // width 2, height 1, 8 bits, colour type 2 (RGB), deflate, adaptive filtering, no interlace
        assertArrayEquals(bytes(0, 0, 0, 2, 0, 0, 0, 1, 8, 2, 0, 0, 0), chunks.get(0).data());
        // CRC-32 of "IHDR" and those 13 bytes, computed independently (Python's zlib.crc32).
        assertEquals(0x7b40e8dd, chunks.get(0).crc());
        // Filter Sub (1): the first pixel as it is (black to its left), the second minus the first, byte by byte.
        assertArrayEquals(bytes(1, 0xFF, 0, 0, 0x01, 0xFF, 0), inflate(chunks.get(1).data()));
        assertEquals(0, chunks.get(2).data().length);
        assertEquals(0xAE426082, chunks.get(2).crc(), "the CRC of every PNG's IEND");
    }

    @Test
    void flatRowsAreFilteredWithSubAndRepeatedRowsWithUp() throws DataFormatException {
        Raster image = new Raster(3, 2, 0x808080);
        byte[] scanlines = inflate(chunks(PngEncoder.encode(image)).get(1).data());
        // Row 0: Sub leaves the first pixel and zeros. Row 1 repeats row 0: Up leaves zeros only.
        assertArrayEquals(bytes(1, 0x80, 0x80, 0x80, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0), scanlines);
    }

    @Test
    void onlyAWholeRepeatedRowIsFilteredWithUp() throws DataFormatException {
        Raster image = new Raster(3, 2, 0x000000);
        image.set(2, 1, 0x000005);   // row 1 starts like row 0 but ends otherwise
        byte[] scanlines = inflate(chunks(PngEncoder.encode(image)).get(1).data());
        assertArrayEquals(bytes(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5), scanlines);
    }

    @Test
    void everyChunkCarriesTheCrcOfItsTypeAndData() {
        Raster image = new Raster(17, 5, 0xFFFFFF);
        image.text("CRC", 1, 0, 1, 0x102030);
        for (Chunk c : chunks(PngEncoder.encode(image))) {
            CRC32 crc = new CRC32();
            crc.update(c.type().getBytes(StandardCharsets.US_ASCII));
            crc.update(c.data());
            assertEquals((int) crc.getValue(), c.crc(), c.type());
        }
    }

    /** Odd sizes, down to one pixel and one-pixel rows and columns, with random colours, decode to themselves. */
    @Test
    void imagesOfOddSizesDecodeToTheirPixels() throws IOException {
        Random random = new Random(11);
        int[][] sizes = {{1, 1}, {1, 7}, {7, 1}, {1, 300}, {300, 1}, {13, 3}, {31, 33}, {257, 2}};
        for (int[] size : sizes) {
            Raster image = new Raster(size[0], size[1], 0);
            int previous = 0x123456;
            for (int i = 0; i < size[0] * size[1]; i++) {
                // Half random, half repeats of the pixel before (and so, in one-pixel-wide images, of the row above).
                previous = random.nextBoolean() ? random.nextInt(1 << 24) : previous;
                image.set(i % size[0], i / size[0], previous);
            }
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(PngEncoder.encode(image)));
            assertNotNull(decoded, size[0] + "x" + size[1]);
            assertEquals(size[0], decoded.getWidth());
            assertEquals(size[1], decoded.getHeight());
            for (int y = 0; y < size[1]; y++) {
                for (int x = 0; x < size[0]; x++) {
                    assertEquals(image.get(x, y), decoded.getRGB(x, y) & 0xFFFFFF,
                            size[0] + "x" + size[1] + " at " + x + "," + y);
                }
            }
        }
    }

    @Test
    void writeLeavesTheEncodedBytesInTheFile() throws IOException {
        Raster image = new Raster(4, 3, 0xABCDEF);
        Path file = dir.resolve("sub/x.png");
        PngEncoder.write(file, image);
        assertArrayEquals(PngEncoder.encode(image), Files.readAllBytes(file));
    }

    static List<Chunk> chunks(byte[] png) {
        ByteBuffer b = ByteBuffer.wrap(png, 8, png.length - 8);
        List<Chunk> chunks = new ArrayList<>();
        while (b.hasRemaining()) {
            byte[] type = new byte[4];
            byte[] data = new byte[b.getInt()];
            b.get(type).get(data);
            chunks.add(new Chunk(new String(type, StandardCharsets.US_ASCII), data, b.getInt()));
        }
        return chunks;
    }

    static byte[] inflate(byte[] zlib) throws DataFormatException {
        Inflater inflater = new Inflater();
        inflater.setInput(zlib);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (!inflater.finished()) {
            int n = inflater.inflate(buffer);
            if (n == 0 && inflater.needsInput()) {
                throw new DataFormatException("truncated zlib stream");
            }
            out.write(buffer, 0, n);
        }
        inflater.end();
        return out.toByteArray();
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
