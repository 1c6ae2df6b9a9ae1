package dev.lenet5.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lenet5.tensor.kernel.TensorKernels;
import dev.lenet5.tensor.kernel.ScalarKernels;
import java.util.Arrays;
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

    /** The winners' indices are kept as 2^23 + index in floats, exact up to planes of 2^23 inputs: a larger plane is refused. */
    @Test
    void refusesAPlaneTooLargeForExactIndices() {
        assertDoesNotThrow(() -> new MaxPool2d("pool", ScalarKernels.INSTANCE, 3, 2048, 4096, 2, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MaxPool2d("pool9", ScalarKernels.INSTANCE, 1, 2049, 4096, 2, 2));
        assertTrue(e.getMessage().startsWith("pool9: ") && e.getMessage().contains("2049x4096")
                && e.getMessage().contains("2^23"), e.getMessage());
        // an int product would overflow to 0 and pass
        assertThrows(IllegalArgumentException.class,
                () -> new MaxPool2d("pool", ScalarKernels.INSTANCE, 1, 65536, 65536, 2, 2));
    }
}
