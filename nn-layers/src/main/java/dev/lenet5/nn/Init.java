package dev.lenet5.nn;

import java.util.Random;

/**
 * PyTorch's default initialisation for Conv2d and Linear ({@code reset_parameters}): weights
 * Kaiming-uniform with {@code a = sqrt(5)}, biases {@code U(-1/sqrt(fan_in), 1/sqrt(fan_in))}.
 *
 * <p>Kaiming-uniform draws from {@code U(-b, b)} with {@code b = gain * sqrt(3 / fan_in)} and
 * {@code gain = sqrt(2 / (1 + a^2))}; with {@code a^2 = 5} that is {@code b = 1/sqrt(fan_in)}, the same bound
 * as the bias. The distribution matches PyTorch; the numbers do not (different generator).
 */
final class Init {

    private Init() {
    }

    static double bound(int fanIn) {
        double a = Math.sqrt(5.0);
        double gain = Math.sqrt(2.0 / (1.0 + a * a));
        return gain * Math.sqrt(3.0 / fanIn);
    }

    /** Fills the weight, then the bias (PyTorch's order), from {@code rng}. */
    static void pytorchDefault(Random rng, Parameter weight, Parameter bias, int fanIn) {
        uniform(rng, weight.data(), bound(fanIn));
        uniform(rng, bias.data(), 1.0 / Math.sqrt(fanIn));
    }

    private static void uniform(Random rng, float[] values, double bound) {
        for (int i = 0; i < values.length; i++) {
            // (float) of a value in (-b, b) can round to b itself, never beyond it.
            values[i] = (float) ((2.0 * rng.nextDouble() - 1.0) * bound);
        }
    }
}
