package dev.lenet5.nn.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer harness for the image path of {@code predict} and {@link DigitClassifier}: bytes, decoded by ImageIO within
 * {@link DigitImages}' limits, prepared as an MNIST digit. The only exception allowed to escape is
 * {@link DigitImageException}; anything else (a RuntimeException from a decoder, an OutOfMemoryError in the
 * harness's heap, which is sized for the largest image the limits admit) is a finding. A prepared digit is
 * 28x28 values in [0,1].
 *
 * <p>Seeds and past findings: {@code src/test/resources/dev/lenet5/nn/classify/DigitImageFuzzTestInputs/imageBytes/}.
 */
class DigitImageFuzzTest {

    @FuzzTest
    void imageBytes(byte[] input) {
        float[] digit;
        try {
            digit = DigitImages.prepare(input, "fuzz input");
        } catch (DigitImageException refused) {
            return;
        }
        assertEquals(DigitPreprocessor.SIZE * DigitPreprocessor.SIZE, digit.length);
        for (float v : digit) {
            assertTrue(v >= 0 && v <= 1, () -> "pixel value " + v + " outside [0,1]");
        }
    }
}
