package dev.lenet5.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SplitTest {

    @Test
    void mnistSplitIs54000And6000CoveringEveryIndexOnce() {
        Split split = Split.seeded(60_000, Split.MNIST_VALIDATION_SIZE, 42);
        assertEquals(54_000, split.trainSize());
        assertEquals(6_000, split.validationSize());
        int[] train = split.train();
        int[] validation = split.validation();
        assertEquals(54_000, train.length);
        assertEquals(6_000, validation.length);
        boolean[] seen = new boolean[60_000];
        for (int[] part : new int[][] {train, validation}) {
            for (int i : part) {
                assertFalse(seen[i], "index " + i + " appears twice");
                seen[i] = true;
            }
        }
        for (int i = 0; i < seen.length; i++) {
            assertTrue(seen[i], "index " + i + " missing");
        }
        assertTrue(isAscending(train));
        assertTrue(isAscending(validation));
    }

    @Test
    void validationIsDrawnFromTheWholeRangeNotItsEnd() {
        int[] validation = Split.seeded(60_000, 6_000, 7).validation();
        // A random draw puts about a tenth of the validation set into each tenth of the range.
        int[] perTenth = new int[10];
        for (int i : validation) {
            perTenth[i / 6_000]++;
        }
        for (int count : perTenth) {
            assertTrue(count > 450 && count < 750, Arrays.toString(perTenth));
        }
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        assertArrayEquals(Split.seeded(1000, 100, 5).validation(), Split.seeded(1000, 100, 5).validation());
        assertArrayEquals(Split.seeded(1000, 100, 5).train(), Split.seeded(1000, 100, 5).train());
        assertFalse(Arrays.equals(Split.seeded(1000, 100, 5).validation(), Split.seeded(1000, 100, 6).validation()));
    }

    @Test
    void gettersReturnCopies() {
        Split split = Split.seeded(10, 3, 1);
        int[] validation = split.validation();
        int first = validation[0];
        validation[0] = -5;
        assertEquals(first, split.validation()[0]);
    }

    @Test
    void emptyValidationIsAllowedButNothingLeftToTrainIsNot() {
        Split none = Split.seeded(5, 0, 1);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, none.train());
        assertEquals(0, none.validationSize());
        IllegalArgumentException all = assertThrows(IllegalArgumentException.class, () -> Split.seeded(5, 5, 1));
        assertEquals("validation size must be between 0 and 4 so some images are left to train on, got 5 of 5",
                all.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Split.seeded(5, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> Split.seeded(0, 0, 1));
    }

    private static boolean isAscending(int[] a) {
        for (int i = 1; i < a.length; i++) {
            if (a[i - 1] >= a[i]) {
                return false;
            }
        }
        return true;
    }
}
