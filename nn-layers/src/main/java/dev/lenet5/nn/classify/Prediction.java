package dev.lenet5.nn.classify;

import java.util.Arrays;
import java.util.Locale;

/**
 * What the classifier makes of one digit: the most probable digit and the ten class probabilities (softmax of
 * the network's outputs, summing to 1 up to rounding). The array is copied in and out, so a prediction never
 * changes.
 *
 * @param digit         0 to 9, the first most probable class
 * @param probabilities ten values, {@code probabilities[d]} for digit {@code d}
 */
public record Prediction(int digit, float[] probabilities) {

    /** The number of classes: the digits 0 to 9. */
    public static final int CLASSES = 10;

    /**
     * @throws IllegalArgumentException if {@code digit} is not 0 to 9 or there are not ten probabilities
     */
    public Prediction {
        if (digit < 0 || digit >= CLASSES) {
            throw new IllegalArgumentException("a predicted digit must be 0 to 9, got " + digit);
        }
        if (probabilities == null || probabilities.length != CLASSES) {
            throw new IllegalArgumentException("a prediction needs ten probabilities, got "
                    + (probabilities == null ? "none" : Integer.toString(probabilities.length)));
        }
        probabilities = probabilities.clone();
    }

    /** A copy of the ten probabilities. */
    @Override
    public float[] probabilities() {
        return probabilities.clone();
    }

    /** The probability of the predicted digit. */
    public float confidence() {
        return probabilities[digit];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prediction p && p.digit == digit && Arrays.equals(p.probabilities, probabilities);
    }

    @Override
    public int hashCode() {
        return 31 * digit + Arrays.hashCode(probabilities);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "Prediction[digit=%d, confidence=%.4f, p=[",
                digit, confidence()));
        for (int i = 0; i < CLASSES; i++) {
            s.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", probabilities[i]));
        }
        return s.append("]]").toString();
    }
}
