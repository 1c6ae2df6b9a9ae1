package dev.lenet5.mnist;

import java.util.Arrays;
import java.util.Random;

/**
 * A seeded split of N images into training and validation indices. The same (N, validation size, seed)
 * gives the same split on every JVM; both parts are sorted ascending, so a part's order carries no
 * information (training shuffles per epoch anyway, validation is evaluated in this order).
 */
public final class Split {

    /** MNIST's 60,000 training images split as 54,000 for training and 6,000 for validation. */
    public static final int MNIST_VALIDATION_SIZE = 6000;

    private final int[] train;
    private final int[] validation;

    private Split(int[] train, int[] validation) {
        this.train = train;
        this.validation = validation;
    }

    /**
     * Draws {@code validationSize} of the indices 0..total-1 at random for validation (a seeded
     * permutation's first {@code validationSize} entries); the rest are for training.
     */
    public static Split seeded(int total, int validationSize, long seed) {
        if (total < 1) {
            throw new IllegalArgumentException("cannot split " + total + " images");
        }
        if (validationSize < 0 || validationSize >= total) {
            throw new IllegalArgumentException("validation size must be between 0 and " + (total - 1)
                    + " so some images are left to train on, got " + validationSize + " of " + total);
        }
        int[] order = new int[total];
        for (int i = 0; i < total; i++) {
            order[i] = i;
        }
        Seeds.shuffle(order, new Random(Seeds.derive(seed, Seeds.SPLIT, 0)));
        int[] validation = Arrays.copyOfRange(order, 0, validationSize);
        int[] train = Arrays.copyOfRange(order, validationSize, total);
        Arrays.sort(validation);
        Arrays.sort(train);
        return new Split(train, validation);
    }

    /** Training indices, ascending (a copy). */
    public int[] train() {
        return train.clone();
    }

    /** Validation indices, ascending (a copy). */
    public int[] validation() {
        return validation.clone();
    }

    public int trainSize() {
        return train.length;
    }

    public int validationSize() {
        return validation.length;
    }

    @Override
    public String toString() {
        return "Split[train=" + train.length + ", validation=" + validation.length + "]";
    }
}
