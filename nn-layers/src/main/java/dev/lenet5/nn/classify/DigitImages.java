package dev.lenet5.nn.classify;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Reads a PNG or JPEG image of one digit from a stranger and prepares it as MNIST's digits were made
 * ({@link DigitPreprocessor}), within limits that keep a hostile file from costing more than a real photo:
 * at most {@link #MAX_FILE_BYTES} bytes, and at most {@link #MAX_PIXELS} pixels as the image's header
 * announces them, checked before a single pixel is decoded. A PNG of a few hundred kilobytes can announce
 * 30,000 x 30,000 pixels (gigabytes once decoded); it is refused from its header. A progressive JPEG may
 * have at most {@link #MAX_JPEG_SCANS} scans, each of which costs a pass over the whole image.
 *
 * <p>Every problem with the bytes is a {@link DigitImageException} naming the file.
 */
public final class DigitImages {

    /** 16 MiB: a 12-megapixel phone photo is 3 to 6 MB as JPEG. */
    public static final long MAX_FILE_BYTES = 16L << 20;
    /** 16 megapixels (4096 x 4096): a 12-megapixel phone photo fits; decoded it needs at most 128 MiB. */
    public static final long MAX_PIXELS = 4096L * 4096;
    /**
     * A progressive JPEG is decoded in passes over the whole image, one per scan: encoders write about 10,
     * while a few bytes per scan could make a 16 MiB file of hundreds of thousands.
     */
    public static final int MAX_JPEG_SCANS = 100;

    private DigitImages() {
    }

    /** The 28x28 MNIST-style rendering of the image in {@code file} (see {@link DigitPreprocessor#toMnist}). */
    public static float[] prepare(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new DigitImageException(file.toString(), "is a directory, not an image file");
        }
        if (!Files.exists(file)) {
            throw new FileNotFoundException("the image " + file + " does not exist");
        }
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw tooLarge(file.toString(), size);
        }
        byte[] bytes;
        // At most one byte past the limit, whatever the size said: a device or a pipe has no size but may not end.
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
        }
        return prepare(bytes, file.toString());
    }

    /** As {@link #prepare(Path)} for the bytes of a file; {@code source} names it in messages. */
    public static float[] prepare(byte[] bytes, String source) throws DigitImageException {
        BufferedImage image = decode(bytes, source);
        float[] field = DigitPreprocessor.fromInkLevels(DigitPreprocessor.inkLevels(image), image.getWidth(),
                image.getHeight());
        if (field == null) {
            throw new DigitImageException(source, DigitPreprocessor.NO_INK);
        }
        return field;
    }

    /** Decodes a PNG or JPEG image after checking its size and the pixels its header announces. */
    public static BufferedImage decode(byte[] bytes, String source) throws DigitImageException {
        if (bytes.length == 0) {
            throw new DigitImageException(source, "the file is empty, not a PNG or JPEG image");
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new DigitImageException(source, String.format(Locale.ROOT, "the file is more than the limit of %,d"
                    + " bytes (16 MiB) for an image", MAX_FILE_BYTES));
        }
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = pngOrJpegReader(in, source);
            try {
                // Seeking forward only and skipping metadata: nothing of the file is kept but the pixels.
                reader.setInput(in, true, true);
                checkPixels(source, reader.getWidth(0), reader.getHeight(0));
                if (reader.getFormatName().equalsIgnoreCase("jpeg")) {
                    checkScans(source, bytes);
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (DigitImageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // The JDK's decoders report some corrupt files with unchecked exceptions rather than IIOException.
            throw new DigitImageException(source, "cannot decode the image (" + describe(e) + ")", e);
        }
    }

    private static ImageReader pngOrJpegReader(ImageInputStream in, String source) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            String format = reader.getFormatName().toLowerCase(Locale.ROOT);
            if (format.equals("png") || format.equals("jpeg")) {
                return reader;
            }
        }
        throw new DigitImageException(source, "not a PNG or JPEG image");
    }

    private static void checkPixels(String source, int width, int height) throws DigitImageException {
        long pixels = (long) width * height;
        if (width < 1 || height < 1) {
            throw new DigitImageException(source, "the image header announces " + width + " x " + height
                    + " pixels, which is no image");
        }
        if (pixels > MAX_PIXELS) {
            throw new DigitImageException(source, String.format(Locale.ROOT, "the image is %d x %d = %,d pixels,"
                    + " more than the limit of %,d (16 megapixels, e.g. 4096 x 4096); scale it down",
                    width, height, pixels, MAX_PIXELS));
        }
    }

    private static void checkScans(String source, byte[] jpeg) throws DigitImageException {
        int scans = jpegScans(jpeg);
        if (scans > MAX_JPEG_SCANS) {
            throw new DigitImageException(source, "the JPEG image has " + scans + " scans, more than the limit of "
                    + MAX_JPEG_SCANS + " (encoders write about 10)");
        }
    }

    /**
     * The start-of-scan markers in a JPEG file, counted without decoding: marker segments are skipped by their
     * length; in the entropy-coded data after a scan header a 0xFF byte is followed by 0x00 (a stuffed byte),
     * a restart marker or the next marker, so scanning it byte by byte finds the next marker.
     */
    static int jpegScans(byte[] b) {
        int scans = 0;
        int i = 2;   // after the start-of-image marker
        while (i + 3 < b.length) {
            int marker = b[i + 1] & 0xFF;
            if ((b[i] & 0xFF) != 0xFF || marker == 0xFF) {
                i++;   // entropy-coded data, or a fill byte before a marker
            } else if (marker == 0x00 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                i += 2;   // a stuffed 0xFF, TEM or a restart marker: no length follows
            } else if (marker == 0xD9) {
                break;   // end of image
            } else {
                scans += marker == 0xDA ? 1 : 0;
                i += 2 + (((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF));
            }
        }
        return scans;
    }

    private static DigitImageException tooLarge(String source, long bytes) {
        return new DigitImageException(source, String.format(Locale.ROOT, "the file is %,d bytes, more than the"
                + " limit of %,d (16 MiB) for an image", bytes, MAX_FILE_BYTES));
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
