package dev.lenet5.nn.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** The limits on predict's images: file size, and pixels as announced by the header, before decoding. */
class DigitImagesTest {

    @TempDir
    Path tmp;

    /** Bytes the current thread has allocated so far (HotSpot's per-thread counter). */
    static long allocatedBytes() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean b && b.isThreadAllocatedMemorySupported()
                && b.isThreadAllocatedMemoryEnabled(), "this JVM does not count allocated bytes per thread");
        return ((com.sun.management.ThreadMXBean) bean).getCurrentThreadAllocatedBytes();
    }

    private DigitImageException refused(Path file) {
        return assertThrows(DigitImageException.class, () -> DigitImages.prepare(file));
    }

    private static void assertMessage(Exception e, String... fragments) {
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "expected '" + f + "' in: " + e.getMessage());
        }
    }

    @Test
    void theBombHelperWritesRealDeflateData() throws DataFormatException {
        long size = 30_001L * 30_000;
        Inflater inflater = new Inflater();
        inflater.setInput(TestPngs.zlibZeros(size));
        byte[] buf = new byte[1 << 20];
        long total = 0;
        boolean allZero = true;
        while (!inflater.finished()) {
            int n = inflater.inflate(buf);
            assertTrue(n > 0 || inflater.finished(), "the stream ends early, after " + total + " bytes");
            for (int i = 0; i < n && allZero; i++) {
                allZero = buf[i] == 0;
            }
            total += n;
        }
        inflater.end();   // the Adler-32 checksum was verified on the way
        assertEquals(size, total);
        assertTrue(allZero);
    }

    @Test
    void aDecompressionBombIsRefusedFromItsHeaderWithoutAllocatingThePixels() throws IOException {
        Path bomb = Files.write(tmp.resolve("bomb.png"), TestPngs.blackGrey(30_000, 30_000));
        assertTrue(Files.size(bomb) < 1 << 20, "under a megabyte on disk: " + Files.size(bomb));
        long before = allocatedBytes();
        DigitImageException e = refused(bomb);
        long allocated = allocatedBytes() - before;
        assertMessage(e, bomb.toString(), "30000 x 30000 = 900,000,000 pixels", "limit of 16,777,216",
                "16 megapixels");
        // Reading the file costs a few copies of its bytes; decoding would have cost 900 MB.
        assertTrue(allocated < 32 << 20, "allocated " + allocated + " bytes");
    }

    @Test
    void imagesUpToTheLimitAreDecoded() throws IOException {
        // Decoded in full: all black, so the preparation finds no ink.
        Path atLimit = Files.write(tmp.resolve("limit.png"), TestPngs.blackGrey(4096, 4096));
        assertMessage(refused(atLimit), "no ink");
        Path over = Files.write(tmp.resolve("over.png"), TestPngs.blackGrey(4097, 4096));
        assertMessage(refused(over), "4097 x 4096 = 16,781,312 pixels, more than the limit");
        Path tall = Files.write(tmp.resolve("tall.png"), TestPngs.blackGrey(1, 16_777_217));
        assertMessage(refused(tall), "1 x 16777217");
    }

    @Test
    void filesOverTheByteLimitAreRefusedBeforeReading() throws IOException {
        Path big = tmp.resolve("big.jpg");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(DigitImages.MAX_FILE_BYTES + 1);   // sparse: no disk used
        }
        refused(big);   // the first refusal loads the classes that format its message, a megabyte or more
        long before = allocatedBytes();
        DigitImageException e = refused(big);
        assertTrue(allocatedBytes() - before < 1 << 20, "the file was not read");
        assertMessage(e, big.toString(), "16,777,217 bytes, more than the limit of 16,777,216 (16 MiB)");
        byte[] bytes = new byte[(int) DigitImages.MAX_FILE_BYTES + 1];
        assertMessage(assertThrows(DigitImageException.class, () -> DigitImages.prepare(bytes, "upload")),
                "upload: the file is more than the limit");
    }

    @Test
    void onlyPngAndJpegAreRead() throws IOException {
        BufferedImage img = new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB);
        img.setRGB(10, 10, 0xFFFFFF);
        for (String format : new String[] {"gif", "bmp"}) {
            Path file = tmp.resolve("digit." + format);
            assertTrue(ImageIO.write(img, format, file.toFile()), format);
            assertMessage(refused(file), file + ": not a PNG or JPEG image");
        }
        Path png = tmp.resolve("digit.png");
        ImageIO.write(img, "png", png.toFile());
        assertEquals(28 * 28, DigitImages.prepare(png).length);
    }

    @Test
    void progressiveJpegsWithTooManyScansAreRefused() throws IOException {
        BufferedImage img = new BufferedImage(40, 40, BufferedImage.TYPE_3BYTE_BGR);
        img.getGraphics().fillRect(15, 5, 8, 30);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(img, null, null), param);
        }
        writer.dispose();
        byte[] jpeg = out.toByteArray();
        int scans = scansInMetadata(jpeg);
        assertTrue(scans > 1, "a progressive JPEG has several scans: " + scans);
        assertEquals(scans, DigitImages.jpegScans(jpeg));
        assertEquals(28 * 28, DigitImages.prepare(jpeg, "progressive.jpg").length);

        // The last scan (its header and data, up to the end-of-image marker) repeated until past the limit.
        int last = lastIndexOf(jpeg, (byte) 0xFF, (byte) 0xDA);
        byte[] scan = Arrays.copyOfRange(jpeg, last, jpeg.length - 2);
        ByteArrayOutputStream many = new ByteArrayOutputStream();
        many.write(jpeg, 0, jpeg.length - 2);
        int copies = DigitImages.MAX_JPEG_SCANS + 1 - scans;
        for (int i = 0; i < copies; i++) {
            many.write(scan);
        }
        many.write(jpeg, jpeg.length - 2, 2);
        byte[] bomb = many.toByteArray();
        assertEquals(DigitImages.MAX_JPEG_SCANS + 1, scansInMetadata(bomb));
        assertEquals(DigitImages.MAX_JPEG_SCANS + 1, DigitImages.jpegScans(bomb));
        assertMessage(assertThrows(DigitImageException.class, () -> DigitImages.prepare(bomb, "scans.jpg")),
                "scans.jpg: the JPEG image has 101 scans, more than the limit of 100");
    }

    /** The scans as ImageIO's JPEG reader lists them in the image's native metadata. */
    private static int scansInMetadata(byte[] jpeg) throws IOException {
        ImageReader reader = ImageIO.getImageReadersByFormatName("jpeg").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
            reader.setInput(in);
            Node tree = reader.getImageMetadata(0).getAsTree("javax_imageio_jpeg_image_1.0");
            return ((Element) tree).getElementsByTagName("sos").getLength();
        } finally {
            reader.dispose();
        }
    }

    private static int lastIndexOf(byte[] bytes, byte first, byte second) {
        for (int i = bytes.length - 2; i >= 0; i--) {
            if (bytes[i] == first && bytes[i + 1] == second) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    @Test
    void emptyTruncatedAndMissingFiles() throws IOException {
        Path empty = Files.write(tmp.resolve("empty.png"), new byte[0]);
        assertMessage(refused(empty), "empty.png: the file is empty");
        byte[] png = TestPngs.blackGrey(64, 64);
        Path cut = Files.write(tmp.resolve("cut.png"), Arrays.copyOf(png, png.length - 30));
        assertMessage(refused(cut), "cut.png: cannot decode the image");
        assertMessage(refused(tmp), tmp + ": is a directory, not an image file");
        assertMessage(assertThrows(IOException.class, () -> DigitImages.prepare(tmp.resolve("absent.png"))),
                "the image " + tmp.resolve("absent.png") + " does not exist");
    }
}
