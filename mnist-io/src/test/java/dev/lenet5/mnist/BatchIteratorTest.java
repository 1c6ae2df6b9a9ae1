package dev.lenet5.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchIteratorTest {

    /** Two pixels of background around each image, values in [0,1]. */
    private static final ImageFormat PADDED = ImageFormat.unitRange(2);

    private static final int N = 23;

    /** 23 images of 3x4 whose pixels encode the image number, labels i % 10. */
    private static ImageSet numbered() throws IdxFormatException {
        byte[] pixels = new byte[N * 12];
        byte[] labels = new byte[N];
        for (int i = 0; i < N; i++) {
            for (int p = 0; p < 12; p++) {
                pixels[i * 12 + p] = (byte) (i * 11 + p);
            }
            labels[i] = (byte) (i % 10);
        }
        return ImageSet.fromIdx("numbered", IdxArray.ofUnsignedBytes(pixels, N, 3, 4),
                IdxArray.ofUnsignedBytes(labels, N), 10);
    }

    @Test
    void inOrderBatchesHoldTheFormattedImagesAndLabels() throws IdxFormatException {
        ImageSet set = numbered();
        int[] subset = {5, 0, 22, 7, 9};
        ImageFormat fmt = ImageFormat.unitRange(1);
        BatchIterator it = new BatchIterator(set, subset, 2, fmt, false);
        assertEquals(5, it.imageHeight());
        assertEquals(6, it.imageWidth());
        assertEquals(30, it.floatsPerImage());
        assertEquals(60, it.images().length);
        assertEquals(3, it.batchesPerEpoch());
        assertEquals(5, it.imagesPerEpoch());

        List<Integer> seen = new ArrayList<>();
        float[] expected = new float[30];
        while (it.next()) {
            for (int b = 0; b < it.count(); b++) {
                int index = it.batchIndices()[b];
                seen.add(index);
                assertEquals(index % 10, it.labels()[b]);
                set.writeImage(index, fmt, expected, 0);
                assertArrayEquals(expected, Arrays.copyOfRange(it.images(), b * 30, b * 30 + 30));
                // Spot check against the pixel formula, independently of writeImage.
                assertEquals((index * 11 + 5) / 255f, it.images()[b * 30 + 2 * 6 + 2]);
            }
        }
        assertEquals(List.of(5, 0, 22, 7, 9), seen);
        assertFalse(it.next());
        assertEquals(0, it.count());
    }

    @Test
    void keptLastBatchIsShortAndItsTailIsPoisoned() throws IdxFormatException {
        BatchIterator it = new BatchIterator(numbered(), numbered().allIndices(), 10, ImageFormat.unitRange(0), false);
        assertEquals(3, it.batchesPerEpoch());
        int[] counts = new int[3];
        int batches = 0;
        while (it.next()) {
            assertEquals(batches, it.batchNumber());
            counts[batches++] = it.count();
        }
        assertArrayEquals(new int[] {10, 10, 3}, counts);
        // After the short batch: stale entries from the previous batch are gone.
        assertEquals(-1, it.labels()[3]);
        assertEquals(-1, it.labels()[9]);
        assertEquals(-1, it.batchIndices()[3]);
        assertEquals(0f, it.images()[3 * 12]);
        assertEquals(0f, it.images()[10 * 12 - 1]);
        assertEquals(22, it.batchIndices()[2]);
    }

    @Test
    void droppedLastBatchIsNeverServed() throws IdxFormatException {
        BatchIterator it = new BatchIterator(numbered(), numbered().allIndices(), 10, PADDED, true);
        assertEquals(2, it.batchesPerEpoch());
        assertEquals(20, it.imagesPerEpoch());
        it.shuffle(1, 0);
        int images = 0;
        int batches = 0;
        while (it.next()) {
            assertEquals(10, it.count());
            images += it.count();
            batches++;
        }
        assertEquals(20, images);
        assertEquals(2, batches);
    }

    @Test
    void shuffledEpochVisitsEverySubsetIndexOnce() throws IdxFormatException {
        int[] subset = {1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21};
        BatchIterator it = new BatchIterator(numbered(), subset, 4, PADDED, false);
        it.shuffle(99, 3);
        int[] order = drain(it);
        assertFalse(Arrays.equals(subset, order), "shuffled order equals the given order");
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        assertArrayEquals(subset, sorted);
    }

    @Test
    void orderDependsOnlyOnSeedAndEpochSoResumedRunsMatch() throws IdxFormatException {
        ImageSet set = numbered();
        BatchIterator uninterrupted = new BatchIterator(set, set.allIndices(), 5, PADDED, false);
        int[][] orders = new int[4][];
        for (int epoch = 0; epoch < 4; epoch++) {
            uninterrupted.shuffle(1234, epoch);
            orders[epoch] = drain(uninterrupted);
        }
        BatchIterator resumed = new BatchIterator(set, set.allIndices(), 7, PADDED, false);
        resumed.shuffle(1234, 3);
        assertArrayEquals(orders[3], drain(resumed), "a resumed run must see epoch 3 in the same order");
        assertFalse(Arrays.equals(orders[0], orders[1]), "epochs must differ");
        resumed.shuffle(1235, 3);
        assertFalse(Arrays.equals(orders[3], drain(resumed)), "seeds must differ");
        // Restarting in order undoes the shuffle.
        resumed.inOrder();
        assertArrayEquals(set.allIndices(), drain(resumed));
    }

    @Test
    void buffersAreReusedAcrossBatchesAndEpochs() throws IdxFormatException {
        BatchIterator it = new BatchIterator(numbered(), numbered().allIndices(), 4, PADDED, false);
        float[] images = it.images();
        int[] labels = it.labels();
        int[] indices = it.batchIndices();
        for (int epoch = 0; epoch < 2; epoch++) {
            it.shuffle(5, epoch);
            while (it.next()) {
                assertSame(images, it.images());
                assertSame(labels, it.labels());
                assertSame(indices, it.batchIndices());
            }
        }
    }

    @Test
    void batchesDoNotAllocate() throws IdxFormatException {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        ImageSet set = numbered();
        BatchIterator it = new BatchIterator(set, set.allIndices(), 3, PADDED, false);
        long id = Thread.currentThread().getId();
        int served = 0;
        it.shuffle(1, 0);
        while (it.next()) {
            served += it.count();  // warm up: first calls may load classes
        }
        long before = threads.getThreadAllocatedBytes(id);
        for (int epoch = 1; epoch <= 200; epoch++) {
            it.shuffle(1, epoch);
            while (it.next()) {
                served += it.count();
            }
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertEquals(201 * N, served);
        // 1,600 batches: even one small array per batch would exceed this.
        assertTrue(allocated < 16_384, "allocated " + allocated + " bytes over 1600 batches");
    }

    @Test
    void transformHookSeesEveryImageWithARepeatablePerEpochRandom() throws IdxFormatException {
        ImageSet set = numbered();
        List<String> calls = new ArrayList<>();
        ImageTransform recordingShift = (images, index, format, dst, dstOff, rng) -> {
            int r = rng.nextInt(1000);
            calls.add(index + "@" + dstOff + ":" + r);
            images.writeImage(index, format, dst, dstOff);
            dst[dstOff] = r;  // a visible mark of the transform
        };
        BatchIterator it = new BatchIterator(set, set.allIndices(), 4, ImageFormat.unitRange(0), false);
        it.setTransform(recordingShift);
        it.shuffle(8, 2);
        assertTrue(it.next());
        assertEquals(4, calls.size());
        for (int b = 0; b < 4; b++) {
            String call = calls.get(b);
            assertTrue(call.startsWith(it.batchIndices()[b] + "@" + b * 12 + ":"), call);
            assertEquals(Integer.parseInt(call.substring(call.indexOf(':') + 1)), (int) it.images()[b * 12]);
        }
        List<String> first = drainCalls(it, calls, 8, 2);
        List<String> again = drainCalls(it, calls, 8, 2);
        List<String> other = drainCalls(it, calls, 8, 3);
        assertEquals(N, first.size());
        assertEquals(first, again);
        assertNotEquals(first, other);
        it.setTransform(null);
        it.inOrder();
        assertTrue(it.next());
        assertEquals(0f, it.images()[0]);  // image 0, pixel 0 is 0 again without the transform
    }

    @Test
    void aBatchWrittenInPartsOnSeveralThreadsEqualsOneWrittenWhole() throws Exception {
        ImageSet set = numbered();
        // Each image's draws come from its own position in the epoch: the order and the threads that write the
        // images cannot change them.
        ImageTransform marking = (images, index, format, dst, dstOff, rng) -> {
            images.writeImage(index, format, dst, dstOff);
            dst[dstOff] = rng.nextInt(1000);
        };
        BatchIterator whole = new BatchIterator(set, set.allIndices(), 5, PADDED, false);
        BatchIterator parts = new BatchIterator(set, set.allIndices(), 5, PADDED, false);
        whole.setTransform(marking);
        parts.setTransform(marking);
        whole.shuffle(3, 1);
        parts.shuffle(3, 1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            int batches = 0;
            while (whole.next()) {
                assertTrue(parts.prepare());
                int n = parts.count();
                assertEquals(whole.count(), n);
                assertArrayEquals(whole.labels(), parts.labels());
                // the second half first, on another thread, then the first half here
                pool.submit(() -> parts.writeImages(n / 2, n)).get();
                parts.writeImages(0, n / 2);
                assertArrayEquals(whole.images(), parts.images(), "batch " + batches);
                batches++;
            }
            assertFalse(parts.prepare());
            assertEquals(5, batches);
        } finally {
            pool.shutdown();
        }
        assertThrows(IndexOutOfBoundsException.class, () -> parts.writeImages(0, 1));
    }

    @Test
    void badArgumentsAreRefused() throws IdxFormatException {
        ImageSet set = numbered();
        ImageFormat f = PADDED;
        assertEquals("index 23 at position 1 is outside 0..22 of numbered",
                assertThrows(IllegalArgumentException.class,
                        () -> new BatchIterator(set, new int[] {0, 23}, 2, f, false)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BatchIterator(set, new int[] {-1}, 2, f, false));
        assertThrows(IllegalArgumentException.class, () -> new BatchIterator(set, new int[] {0}, 0, f, false));
        assertThrows(IllegalArgumentException.class, () -> new BatchIterator(set, new int[0], 2, f, false));
        assertEquals("dropping the last partial batch leaves no batch: 3 images, batch size 4",
                assertThrows(IllegalArgumentException.class,
                        () -> new BatchIterator(set, new int[] {0, 1, 2}, 4, f, true)).getMessage());
        BatchIterator it = new BatchIterator(set, new int[] {0, 1}, 2, f, false);
        assertThrows(IllegalArgumentException.class, () -> it.shuffle(1, -1));
    }

    @Test
    void theIndexArrayIsCopied() throws IdxFormatException {
        int[] subset = {4, 5, 6};
        BatchIterator it = new BatchIterator(numbered(), subset, 3, PADDED, false);
        subset[0] = 0;
        assertTrue(it.next());
        assertEquals(4, it.batchIndices()[0]);
    }

    private static List<String> drainCalls(BatchIterator it, List<String> calls, long seed, int epoch) {
        calls.clear();
        it.shuffle(seed, epoch);
        while (it.next()) {
            // just fill
        }
        return new ArrayList<>(calls);
    }

    private static int[] drain(BatchIterator it) {
        int[] order = new int[it.imagesPerEpoch()];
        int n = 0;
        while (it.next()) {
            for (int b = 0; b < it.count(); b++) {
                order[n++] = it.batchIndices()[b];
            }
        }
        assertEquals(order.length, n);
        return order;
    }
}
