package dev.lenet5.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lenet5.tensor.kernel.TensorKernels;
import dev.lenet5.tensor.kernel.ScalarKernels;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MaxPool2dTest {

    @ParameterizedTest
    @ValueSource(strings = {TestKernels.SCALAR, TestKernels.SIMD})
    void tiesSendTheGradientToTheFirstMaximumInRowMajorOrder(String kernelsName) {
        TensorKernels k = TestKernels.named(kernelsName);
        MaxPool2d pool = new MaxPool2d("pool", k, 1, 4, 4, 2, 2);
        // Windows: top-left all 0 (background), top-right a tie of 5s on its second row,
        // bottom-left a tie between its first and last element, bottom-right a unique max.
        float[] x = {
            0, 0, 1, 2,
            0, 0, 5, 5,
            7, 3, 0, 9,
            6, 7, 0, 0,
        };
        float[] y = Arrays.copyOf(pool.forward(x, 1), 4);
        assertArrayEquals(new float[] {0, 5, 7, 9}, y);
        float[] dx = pool.backward(new float[] {1, 2, 3, 4}, 1);
        float[] expected = {
            1, 0, 0, 0,
            0, 0, 2, 0,
            3, 0, 0, 4,
            0, 0, 0, 0,
        };
        assertArrayEquals(expected, Arrays.copyOf(dx, 16));
    }

    /**
     * The layer keeps its input gradient buffer between calls, and the kernel writes every element of it: a second
     * backward, after a forward with other winners, must leave nothing of the first's gradient (equal to a fresh
     * layer's). Odd planes (a column and a row in no window) and overlapping windows, two images.
     */
    @ParameterizedTest
    @ValueSource(strings = {TestKernels.SCALAR, TestKernels.SIMD})
    void eachBackwardOverwritesWhatTheLastOneLeft(String kernelsName) {
        TensorKernels k = TestKernels.named(kernelsName);
        Random random = new Random(7);
        for (int[] q : new int[][] {{3, 5, 7, 2, 2}, {2, 5, 5, 2, 1}, {6, 28, 28, 2, 2}}) {
            MaxPool2d reused = new MaxPool2d("pool", k, q[0], q[1], q[2], q[3], q[4]);
            MaxPool2d fresh = new MaxPool2d("pool", k, q[0], q[1], q[2], q[3], q[4]);
            int batch = 2;
            float[] first = uniform(batch * reused.inputSize(), random);
            float[] second = uniform(batch * reused.inputSize(), random);
            float[] dy1 = uniform(batch * reused.outputSize(), random);
            float[] dy2 = uniform(batch * reused.outputSize(), random);
            reused.forward(first, batch);
            reused.backward(dy1, batch);
            reused.forward(second, batch);
            float[] got = Arrays.copyOf(reused.backward(dy2, batch), batch * reused.inputSize());
            fresh.forward(second, batch);
            float[] expected = Arrays.copyOf(fresh.backward(dy2, batch), batch * fresh.inputSize());
            assertArrayEquals(expected, got, kernelsName + " " + Arrays.toString(q));
        }
    }

    private static float[] uniform(int n, Random random) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = 2 * random.nextFloat() - 1;
        }
        return x;
    }

    /** The winners' indices are kept as floats, exact up to planes of 2^24 inputs: a larger plane is refused. */
    @Test
    void refusesAPlaneTooLargeForExactIndices() {
        assertDoesNotThrow(() -> new MaxPool2d("pool", ScalarKernels.INSTANCE, 3, 4096, 4096, 2, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MaxPool2d("pool9", ScalarKernels.INSTANCE, 1, 4097, 4096, 2, 2));
        assertTrue(e.getMessage().startsWith("pool9: ") && e.getMessage().contains("4097x4096")
                && e.getMessage().contains("2^24"), e.getMessage());
        // an int product would overflow to 0 and pass
        assertThrows(IllegalArgumentException.class,
                () -> new MaxPool2d("pool", ScalarKernels.INSTANCE, 1, 65536, 65536, 2, 2));
    }
}
