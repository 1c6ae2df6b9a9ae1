package dev.lenet5.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Image sets and their conversion to network input, against hand-computed values. */
class ImageSetTest {

    // Two 2x3 images: pixels 0, 51, 102, 153, 204, 255 and their reverse.
    private static final byte[] PIXELS = {0, 51, 102, (byte) 153, (byte) 204, (byte) 255,
        (byte) 255, (byte) 204, (byte) 153, 102, 51, 0};
    private static final byte[] LABELS = {3, 7};

    private static ImageSet twoImages() throws IdxFormatException {
        return ImageSet.fromIdx("tiny", IdxArray.ofUnsignedBytes(PIXELS, 2, 2, 3),
                IdxArray.ofUnsignedBytes(LABELS, 2), 10);
    }

    @Test
    void basicAccessors() throws IdxFormatException {
        ImageSet set = twoImages();
        assertEquals("tiny", set.name());
        assertEquals(2, set.size());
        assertEquals(2, set.rows());
        assertEquals(3, set.cols());
        assertEquals(6, set.imageBytes());
        assertEquals(10, set.numClasses());
        assertEquals(3, set.label(0));
        assertEquals(7, set.label(1));
        assertEquals(153, set.pixel(0, 1, 0));
        assertEquals(255, set.pixel(1, 0, 0));
        assertArrayEquals(new int[] {0, 1}, set.allIndices());
        int[] counts = SetStatistics.classCounts(set);
        assertEquals(10, counts.length);
        assertEquals(1, counts[3]);
        assertEquals(1, counts[7]);
        assertEquals(0, counts[0]);
    }

    @Test
    void rawImagesAreCopies() throws IdxFormatException {
        ImageSet set = twoImages();
        byte[] raw = set.rawImage(1);
        assertArrayEquals(new byte[] {(byte) 255, (byte) 204, (byte) 153, 102, 51, 0}, raw);
        raw[0] = 1;
        assertEquals(255, set.pixel(1, 0, 0));
        byte[] dst = new byte[8];
        set.copyRawImage(0, dst, 2);
        assertArrayEquals(new byte[] {0, 0, 0, 51, 102, (byte) 153, (byte) 204, (byte) 255}, dst);
    }

    @Test
    void fromIdxCopiesTheCallersArrays() throws IdxFormatException {
        byte[] pixels = PIXELS.clone();
        byte[] labels = LABELS.clone();
        ImageSet set = ImageSet.fromIdx("copy", IdxArray.ofUnsignedBytes(pixels, 2, 2, 3),
                IdxArray.ofUnsignedBytes(labels, 2), 10);
        pixels[0] = 99;
        labels[0] = 9;
        assertEquals(0, set.pixel(0, 0, 0));
        assertEquals(3, set.label(0));
    }

    @Test
    void pixelStatisticsMatchHandComputation() throws IdxFormatException {
        ImageSet set = twoImages();
        // Both images together hold each of 0, 51, ..., 255 twice: mean 127.5/255 = 0.5.
        assertEquals(0.5, SetStatistics.pixelMean(set), 1e-12);
        // Population variance of {0, 0.2, 0.4, 0.6, 0.8, 1}: mean of squares 2.2/6 minus 0.25.
        assertEquals(Math.sqrt(2.2 / 6 - 0.25), SetStatistics.pixelStd(set), 1e-12);
    }

    @Test
    void writeImageScalesAndPadsWithBackground() throws IdxFormatException {
        ImageSet set = twoImages();
        ImageFormat fmt = ImageFormat.unitRange(1);
        assertEquals(4, fmt.outputHeight(2));
        assertEquals(5, fmt.outputWidth(3));
        float[] dst = new float[2 + 20];
        java.util.Arrays.fill(dst, Float.NaN);  // every output float must be written
        set.writeImage(0, fmt, dst, 2);
        float[] expected = {
            0, 0, 0, 0, 0,
            0, 0 / 255f, 51 / 255f, 102 / 255f, 0,
            0, 153 / 255f, 204 / 255f, 1f, 0,
            0, 0, 0, 0, 0,
        };
        assertEquals(Float.NaN, dst[0]);
        assertEquals(Float.NaN, dst[1]);
        assertArrayEquals(expected, java.util.Arrays.copyOfRange(dst, 2, 22));
        assertEquals(0.2f, dst[2 + 7]);  // 51/255 is exactly representable as the float nearest 0.2
    }

    @Test
    void unitRangePaddedBy2Makes28x28Digits32x32() {
        ImageFormat lenet = ImageFormat.unitRange(2);
        assertEquals(2, lenet.padding());
        assertEquals(32, lenet.outputHeight(28));
        assertEquals(32, lenet.outputWidth(28));
        assertEquals(0f, lenet.background());
        assertEquals(1f, lenet.value(255));
        assertEquals(128 / 255f, lenet.value(128));
    }

    @Test
    void badFormatsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ImageFormat.unitRange(-1));
        assertThrows(IllegalArgumentException.class, () -> ImageFormat.unitRange(1025));
    }

    @Test
    void outOfRangeIndicesAreRefused() throws IdxFormatException {
        ImageSet set = twoImages();
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> set.label(2));
        assertEquals("image index 2 outside 0..1 of tiny", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> set.pixel(0, 2, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> set.rawImage(-1));
    }

    @Test
    void labelsOutsideTheExpectedClassesAreRefused() {
        IdxArray images = IdxArray.ofUnsignedBytes(new byte[3 * 4], 3, 2, 2);
        IdxArray labels = IdxArray.ofUnsignedBytes(new byte[] {1, 9, 10}, 3);
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> ImageSet.fromIdx("x", images, labels, 10));
        assertEquals("in-memory IDX array: label 10 at index 2 is outside 0..9 (10 classes expected)", e.getMessage());
    }

    @Test
    void inferredClassCountIsTheLargestLabelPlusOne() throws IdxFormatException {
        IdxArray images = IdxArray.ofUnsignedBytes(new byte[4 * 4], 4, 2, 2);
        IdxArray labels = IdxArray.ofUnsignedBytes(new byte[] {1, (byte) 200, 0, 5}, 4);
        ImageSet set = ImageSet.fromIdx("x", images, labels, ImageSet.INFER_CLASSES);
        assertEquals(201, set.numClasses());
        assertEquals(200, set.label(1));
        assertEquals(1, SetStatistics.classCounts(set)[200]);
    }

    @Test
    void shapesAndTypesAreChecked() {
        IdxArray labels = IdxArray.ofUnsignedBytes(new byte[2], 2);
        IdxFormatException flat = assertThrows(IdxFormatException.class,
                () -> ImageSet.fromIdx("x", IdxArray.ofUnsignedBytes(new byte[8], 2, 4), labels, 10));
        assertEquals("in-memory IDX array: images must have 3 dimensions (count, rows, columns), found 2: 2x4",
                flat.getMessage());
        IdxFormatException floats = assertThrows(IdxFormatException.class,
                () -> ImageSet.fromIdx("x", IdxArray.ofFloats(new float[8], 2, 2, 2), labels, 10));
        assertEquals("in-memory IDX array: images must be of type unsigned byte (0x08), found float (0x0D)",
                floats.getMessage());
        IdxFormatException labels2d = assertThrows(IdxFormatException.class, () -> ImageSet.fromIdx("x",
                IdxArray.ofUnsignedBytes(new byte[8], 2, 2, 2), IdxArray.ofUnsignedBytes(new byte[2], 2, 1), 10));
        assertEquals("in-memory IDX array: labels must have 1 dimension (count), found 2: 2x1", labels2d.getMessage());
        IdxFormatException signed = assertThrows(IdxFormatException.class, () -> ImageSet.fromIdx("x",
                IdxArray.ofUnsignedBytes(new byte[8], 2, 2, 2), IdxArray.ofSignedBytes(new byte[2], 2), 10));
        assertEquals("in-memory IDX array: labels must be of type unsigned byte (0x08), found signed byte (0x09)",
                signed.getMessage());
        IdxFormatException count = assertThrows(IdxFormatException.class, () -> ImageSet.fromIdx("x",
                IdxArray.ofUnsignedBytes(new byte[12], 3, 2, 2), labels, 10));
        assertEquals("in-memory IDX array: holds 2 labels but in-memory IDX array holds 3 images", count.getMessage());
    }
}
