package dev.lenet5.mnist.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lenet5.mnist.BatchIterator;
import dev.lenet5.mnist.IdxFormatException;
import dev.lenet5.mnist.ImageFormat;
import dev.lenet5.mnist.ImageSet;
import dev.lenet5.mnist.ImageTransform;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Augmentation as an image transform, on real MNIST digits. */
class AugmentationTest {

    /** 28x28 digits padded to 32x32, in [0,1]. */
    private static final ImageFormat PADDED = ImageFormat.unitRange(2);
    private static final List<ImageFormat> FORMATS = List.of(PADDED, ImageFormat.unitRange(0));

    private static final Augmentation AFFINE = Augmentation.affine(AffineParams.DEFAULT);
    private static final Augmentation ELASTIC = Augmentation.elastic(ElasticParams.DEFAULT);
    private static final Augmentation BOTH = Augmentation.of(AffineParams.DEFAULT, ElasticParams.DEFAULT);

    private static float[] apply(ImageTransform t, ImageSet set, int index, ImageFormat format, Random rng) {
        float[] dst = new float[format.outputHeight(set.rows()) * format.outputWidth(set.cols())];
        t.apply(set, index, format, dst, 0, rng);
        return dst;
    }

    @Test
    void zeroStrengthIsBitForBitTheUnaugmentedImage() {
        ImageSet set = TestImages.mnistTrain();
        List<Augmentation> zeros = List.of(
                Augmentation.affine(AffineParams.IDENTITY),
                Augmentation.elastic(new ElasticParams(0, 4)),
                Augmentation.of(AffineParams.IDENTITY, new ElasticParams(0, 2)),
                Augmentations.parse("affine:rot=0,scale=0,shear=0,shift=0+elastic:alpha=0"),
                BOTH.scaled(0));
        for (Augmentation zero : zeros) {
            assertFalse(zero.isNone(), zero + " must take the resampling path to be tested");
            for (ImageFormat format : FORMATS) {
                Random rng = new Random(3);
                for (int i = 0; i < 300; i++) {
                    float[] expected = apply(ImageTransform.NONE, set, i, format, null);
                    assertArrayEquals(expected, apply(zero, set, i, format, rng), zero + " " + format + " image " + i);
                }
            }
        }
        for (ImageFormat format : FORMATS) {
            assertArrayEquals(apply(ImageTransform.NONE, set, 5, format, null),
                    apply(Augmentation.NONE, set, 5, format, new Random(1)));
        }
    }

    @Test
    void defaultAugmentationsChangeAlmostEveryImage() {
        ImageSet set = TestImages.mnistTrain();
        for (Augmentation aug : List.of(AFFINE, ELASTIC, BOTH)) {
            Random rng = new Random(11);
            int changed = 0;
            for (int i = 0; i < 200; i++) {
                if (!Arrays.equals(apply(ImageTransform.NONE, set, i, PADDED, null),
                        apply(aug, set, i, PADDED, rng))) {
                    changed++;
                }
            }
            assertTrue(changed >= 195, aug + " changed only " + changed + " of 200 images");
        }
    }

    @Test
    void batchesKeepTheirLabelsAndEachImageStaysItsOwnDigit() {
        ImageSet set = TestImages.mnistTrain();
        int[] subset = new int[600];
        for (int i = 0; i < subset.length; i++) {
            subset[i] = 3 * i;
        }
        // Each image gets its own recorded seed, so the test can redo exactly what the iterator did.
        Map<Integer, Long> seeds = new HashMap<>();
        ImageTransform recorded = (images, index, format, dst, dstOff, rng) -> {
            long seed = rng.nextLong();
            seeds.put(index, seed);
            BOTH.apply(images, index, format, dst, dstOff, new Random(seed));
        };
        BatchIterator it = new BatchIterator(set, subset, 64, PADDED, false);
        it.setTransform(recorded);
        it.shuffle(7, 0);
        int seen = 0;
        int closerToOwn = 0;
        double ownCorrelation = 0;
        int floats = it.floatsPerImage();
        while (it.next()) {
            for (int b = 0; b < it.count(); b++) {
                int index = it.batchIndices()[b];
                assertEquals(set.label(index), it.labels()[b], "label of image " + index);
                float[] augmented = Arrays.copyOfRange(it.images(), b * floats, (b + 1) * floats);
                assertArrayEquals(apply(BOTH, set, index, PADDED, new Random(seeds.get(index))), augmented,
                        "slot " + b + " holds the augmented image " + index);
                // Still that digit: it matches its original better than a digit of another class (allowing
                // for the shift, which plain pixel correlation punishes).
                double own = shiftedCorrelation(augmented, apply(ImageTransform.NONE, set, index, PADDED, null));
                int other = otherLabel(set, index);
                double foreign = shiftedCorrelation(augmented,
                        apply(ImageTransform.NONE, set, other, PADDED, null));
                closerToOwn += own > foreign ? 1 : 0;
                ownCorrelation += own;
                seen++;
            }
        }
        assertEquals(600, seen);
        assertEquals(600, seeds.size());
        assertTrue(closerToOwn >= 0.95 * seen, "only " + closerToOwn + " of " + seen + " closer to their own digit");
        assertTrue(ownCorrelation / seen > 0.6, "mean correlation with the original " + ownCorrelation / seen);
    }

    @Test
    void pixelsStayInTheFormatsRangeWithItsExactValueMapping() {
        ImageSet set = TestImages.mnistTrain();
        Augmentation strong = Augmentations.parse("affine:rot=45,scale=0.5,shear=30,shift=6+elastic:alpha=80,sigma=3");
        for (ImageFormat format : FORMATS) {
            Set<Float> allowed = new HashSet<>();
            for (int p = 0; p < 256; p++) {
                allowed.add(format.value(p));
            }
            int h = format.outputHeight(set.rows());
            int w = format.outputWidth(set.cols());
            int pad = format.padding();
            Random rng = new Random(5);
            for (Augmentation aug : List.of(strong, BOTH, AFFINE, ELASTIC)) {
                for (int i = 0; i < 100; i++) {
                    float[] out = apply(aug, set, i, format, rng);
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < w; x++) {
                            float v = out[y * w + x];
                            assertTrue(allowed.contains(v), v + " is no pixel value of " + format);
                            if (y < pad || y >= h - pad || x < pad || x >= w - pad) {
                                assertEquals(format.background(), v, "padding at " + x + "," + y);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void sameGeneratorStateGivesTheSameImageAndOtherSeedsOtherImages() {
        ImageSet set = TestImages.mnistTrain();
        for (Augmentation aug : List.of(AFFINE, ELASTIC, BOTH)) {
            int differ = 0;
            for (int i = 0; i < 50; i++) {
                float[] a = apply(aug, set, i, PADDED, new Random(100 + i));
                float[] b = apply(aug, set, i, PADDED, new Random(100 + i));
                assertArrayEquals(a, b, aug + " image " + i);
                float[] c = apply(aug, set, i, PADDED, new Random(200 + i));
                differ += Arrays.equals(a, c) ? 0 : 1;
            }
            assertTrue(differ >= 48, aug + ": only " + differ + " of 50 images differ across seeds");
        }
    }

    @Test
    void resultDependsOnlyOnTheGeneratorStateNotOnEarlierImages() throws IdxFormatException {
        ImageSet set = TestImages.mnistTrain();
        ImageSet small = TestImages.single(3, 5, 0, 9, 200, 9, 0, 0, 80, 255, 80, 0, 0, 9, 200, 9, 0);
        for (Augmentation aug : List.of(AFFINE, ELASTIC, BOTH)) {
            Augmentation fresh = Augmentation.of(aug.affineParams().orElse(null), aug.elasticParams().orElse(null));
            float[] expected = apply(fresh, set, 123, PADDED, new Random(9));
            // The same instance, after other images of this and of another size.
            Random noise = new Random(1);
            for (int i = 0; i < 20; i++) {
                apply(aug, set, 1000 + i, PADDED, noise);
            }
            apply(aug, small, 0, ImageFormat.unitRange(1), noise);
            assertArrayEquals(expected, apply(aug, set, 123, PADDED, new Random(9)), aug.describe());
        }
    }

    @Test
    void eachImageDrawsAFixedAmountFromTheGenerator() {
        ImageSet set = TestImages.mnistTrain();
        Random used = new Random(77);
        apply(AFFINE, set, 0, PADDED, used);
        Random expected = new Random(77);
        for (int k = 0; k < 5; k++) {
            expected.nextFloat();
        }
        assertEquals(expected.nextLong(), used.nextLong(), "affine: five floats");

        used = new Random(78);
        apply(ELASTIC, set, 0, PADDED, used);
        expected = new Random(78);
        expected.nextLong();
        assertEquals(expected.nextLong(), used.nextLong(), "elastic: one long");

        used = new Random(79);
        apply(BOTH, set, 0, PADDED, used);
        expected = new Random(79);
        for (int k = 0; k < 5; k++) {
            expected.nextFloat();
        }
        expected.nextLong();
        assertEquals(expected.nextLong(), used.nextLong(), "both: five floats, then one long");
    }

    @Test
    void mildTransformsRoughlyPreserveInk() {
        ImageSet set = TestImages.mnistTrain();
        // Rotation, shear and shift preserve area; bilinear resampling preserves the mean up to rounding.
        Augmentation mildAffine = Augmentation.affine(new AffineParams(10, 0, 5, 2));
        Augmentation mildElastic = Augmentation.elastic(new ElasticParams(10, 4));
        for (Augmentation aug : List.of(mildAffine, mildElastic)) {
            Random rng = new Random(21);
            double ratioSum = 0;
            int n = 500;
            for (int i = 0; i < n; i++) {
                float[] out = apply(aug, set, i, ImageFormat.unitRange(0), rng);
                double ink = 0;
                for (float v : out) {
                    ink += v * 255;
                }
                double ratio = ink / TestImages.ink(set, i);
                // Elastic fields stretch and squeeze locally, so single images vary more than under rotation.
                assertEquals(1, ratio, aug == mildAffine ? 0.1 : 0.25, aug + " image " + i);
                ratioSum += ratio;
            }
            assertEquals(1, ratioSum / n, 0.02, aug + " mean ink ratio");
        }
    }

    @Test
    void scaledMultipliesEveryStrengthButSigma() {
        Augmentation half = BOTH.scaled(0.5);
        assertEquals(new AffineParams(5, 0.05, 5, 1), half.affineParams().orElseThrow());
        assertEquals(new ElasticParams(17, 4), half.elasticParams().orElseThrow());
        assertEquals(BOTH, BOTH.scaled(1));
        assertSame(Augmentation.NONE, Augmentation.NONE.scaled(3));
        assertTrue(AFFINE.scaled(0).affineParams().orElseThrow().isIdentity());
        assertTrue(ELASTIC.scaled(0).elasticParams().orElseThrow().isIdentity());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BOTH.scaled(-1));
        assertTrue(e.getMessage().contains("strength factor"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BOTH.scaled(Double.NaN));
        // Beyond a strength's range the parameters say so.
        e = assertThrows(IllegalArgumentException.class, () -> BOTH.scaled(20));
        assertTrue(e.getMessage().contains("affine"), e.getMessage());
    }

    @Test
    void factoriesAndAccessors() {
        assertSame(Augmentation.NONE, Augmentation.of(null, null));
        assertTrue(Augmentation.NONE.isNone());
        assertFalse(AFFINE.isNone());
        assertEquals(AffineParams.DEFAULT, AFFINE.affineParams().orElseThrow());
        assertTrue(AFFINE.elasticParams().isEmpty());
        assertEquals(ElasticParams.DEFAULT, ELASTIC.elasticParams().orElseThrow());
        assertTrue(ELASTIC.affineParams().isEmpty());
        assertEquals(Augmentation.of(AffineParams.DEFAULT, ElasticParams.DEFAULT), BOTH);
        assertEquals(BOTH.hashCode(), Augmentation.of(AffineParams.DEFAULT, ElasticParams.DEFAULT).hashCode());
        assertNotEquals(AFFINE, BOTH);
        assertThrows(NullPointerException.class, () -> Augmentation.affine(null));
        assertThrows(NullPointerException.class, () -> Augmentation.elastic(null));
    }

    @Test
    void aBadIndexIsReportedByTheImageSet() {
        ImageSet set = TestImages.mnistTrain();
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> apply(BOTH, set, set.size(), PADDED, new Random(1)));
        assertTrue(e.getMessage().contains("image index"), e.getMessage());
    }

    @Test
    void applyingAllocatesNothingPerImage() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        ImageSet set = TestImages.mnistTrain();
        float[] dst = new float[32 * 32];
        Random rng = new Random(1);
        long id = Thread.currentThread().getId();
        for (Augmentation aug : List.of(AFFINE, ELASTIC, BOTH)) {
            for (int i = 0; i < 200; i++) {
                aug.apply(set, i, PADDED, dst, 0, rng);  // warm up: scratch, class loading
            }
            long before = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < 2000; i++) {
                aug.apply(set, i, PADDED, dst, 0, rng);
            }
            long allocated = threads.getThreadAllocatedBytes(id) - before;
            // Even one 16-byte object per image would be 32,000 bytes.
            assertTrue(allocated < 8_192, aug + " allocated " + allocated + " bytes over 2000 images");
        }
    }

    @Test
    void threadsCanShareOneAugmentation() throws Exception {
        ImageSet set = TestImages.mnistTrain();
        int n = 300;
        float[][] sequential = new float[2 * n][];
        for (int t = 0; t < 2; t++) {
            Random rng = new Random(t);
            for (int i = 0; i < n; i++) {
                sequential[t * n + i] = apply(BOTH, set, i, PADDED, rng);
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            float[][] parallel = new float[2 * n][];
            Future<?>[] jobs = new Future<?>[2];
            for (int t = 0; t < 2; t++) {
                int thread = t;
                jobs[t] = pool.submit(() -> {
                    Random rng = new Random(thread);
                    for (int i = 0; i < n; i++) {
                        parallel[thread * n + i] = apply(BOTH, set, i, PADDED, rng);
                    }
                });
            }
            for (Future<?> job : jobs) {
                job.get();
            }
            for (int i = 0; i < 2 * n; i++) {
                assertArrayEquals(sequential[i], parallel[i], "image " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static int otherLabel(ImageSet set, int index) {
        int j = (index + 1) % set.size();
        while (set.label(j) == set.label(index)) {
            j = (j + 1) % set.size();
        }
        return j;
    }

    /** Best Pearson correlation of 32x32 images a and b shifted by up to 3 pixels each way (zeros shifted in). */
    private static double shiftedCorrelation(float[] a, float[] b) {
        int w = 32;
        double best = -1;
        for (int sy = -3; sy <= 3; sy++) {
            for (int sx = -3; sx <= 3; sx++) {
                double sa = 0;
                double sb = 0;
                double ab = 0;
                double aa = 0;
                double bb = 0;
                for (int y = 0; y < w; y++) {
                    for (int x = 0; x < w; x++) {
                        int yy = y + sy;
                        int xx = x + sx;
                        double bv = yy < 0 || xx < 0 || yy >= w || xx >= w ? 0 : b[yy * w + xx];
                        double av = a[y * w + x];
                        sa += av;
                        sb += bv;
                        ab += av * bv;
                        aa += av * av;
                        bb += bv * bv;
                    }
                }
                int n = w * w;
                double c = (ab - sa * sb / n) / Math.sqrt((aa - sa * sa / n) * (bb - sb * sb / n));
                best = Math.max(best, c);
            }
        }
        return best;
    }
}
