package dev.lenet5.nn.classify;

import java.util.Arrays;

/**
 * A prediction with what the network saw on the way to it: the 28x28 digit it was given and the feature maps
 * of its two convolutions after their ReLU. Every array is copied in and out, so an explanation never changes.
 *
 * @param prediction the digit and the ten probabilities, as {@link DigitClassifier#classify(float[])} gives them
 * @param input28    the 28x28 digit, row-major, in [0,1] with ink 1 (784 values); the network saw it zero-padded
 *                   by 2 pixels to 32x32
 * @param conv1      the 6 feature maps of conv1 (5x5 filters over the 32x32 input), 28x28 each, row-major
 * @param conv2      the 16 feature maps of conv2 (5x5 filters over the 6 pooled 14x14 maps), 10x10 each
 */
public record Explanation(Prediction prediction, float[] input28, float[][] conv1, float[][] conv2) {

    /** conv1's maps: 6 of 28x28. */
    public static final int CONV1_MAPS = 6;
    public static final int CONV1_SIZE = 28;
    /** conv2's maps: 16 of 10x10. */
    public static final int CONV2_MAPS = 16;
    public static final int CONV2_SIZE = 10;

    /** @throws IllegalArgumentException if an array is missing or not of the sizes above */
    public Explanation {
        if (prediction == null) {
            throw new IllegalArgumentException("an explanation needs its prediction");
        }
        input28 = copy(input28, CONV1_SIZE * CONV1_SIZE, "input28");
        conv1 = copy(conv1, CONV1_MAPS, CONV1_SIZE * CONV1_SIZE, "conv1");
        conv2 = copy(conv2, CONV2_MAPS, CONV2_SIZE * CONV2_SIZE, "conv2");
    }

    /** A copy of the 28x28 digit the network was given. */
    @Override
    public float[] input28() {
        return input28.clone();
    }

    /** A copy of conv1's 6 maps of 28x28. */
    @Override
    public float[][] conv1() {
        return deepCopy(conv1);
    }

    /** A copy of conv2's 16 maps of 10x10. */
    @Override
    public float[][] conv2() {
        return deepCopy(conv2);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Explanation e && e.prediction.equals(prediction) && Arrays.equals(e.input28, input28)
                && Arrays.deepEquals(e.conv1, conv1) && Arrays.deepEquals(e.conv2, conv2);
    }

    @Override
    public int hashCode() {
        return ((prediction.hashCode() * 31 + Arrays.hashCode(input28)) * 31 + Arrays.deepHashCode(conv1)) * 31
                + Arrays.deepHashCode(conv2);
    }

    @Override
    public String toString() {
        return "Explanation[" + prediction + ", input 28x28, conv1 6x28x28, conv2 16x10x10]";
    }

    private static float[] copy(float[] a, int length, String what) {
        if (a == null || a.length != length) {
            throw new IllegalArgumentException(what + " must hold " + length + " values, got "
                    + (a == null ? "none" : Integer.toString(a.length)));
        }
        return a.clone();
    }

    private static float[][] copy(float[][] maps, int count, int length, String what) {
        if (maps == null || maps.length != count) {
            throw new IllegalArgumentException(what + " must hold " + count + " maps, got "
                    + (maps == null ? "none" : Integer.toString(maps.length)));
        }
        float[][] out = new float[count][];
        for (int i = 0; i < count; i++) {
            out[i] = copy(maps[i], length, what + " map " + i);
        }
        return out;
    }

    private static float[][] deepCopy(float[][] maps) {
        float[][] out = new float[maps.length][];
        for (int i = 0; i < maps.length; i++) {
            out[i] = maps[i].clone();
        }
        return out;
    }
}
