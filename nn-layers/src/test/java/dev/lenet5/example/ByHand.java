package dev.lenet5.example;

import dev.lenet5.nn.Tensor;
import java.util.Map;

/**
 * LeNet-5's forward pass for one 32x32 image in double precision, written from the definitions with plain loops
 * over a state dict read from the model file: what the classifier's float kernels are checked against, sharing
 * none of their code.
 */
final class ByHand {

    final double[] conv1;    // 6 x 28 x 28, after ReLU
    final double[] conv2;    // 16 x 10 x 10, after ReLU
    final double[] probabilities;
    final int digit;

    ByHand(Map<String, Tensor> w, float[] image32) {
        double[] x = new double[32 * 32];
        for (int i = 0; i < x.length; i++) {
            x[i] = image32[i];
        }
        conv1 = relu(conv(x, 1, 32, w.get("conv1.weight").data(), w.get("conv1.bias").data(), 6));
        double[] pool1 = pool(conv1, 6, 28);
        conv2 = relu(conv(pool1, 6, 14, w.get("conv2.weight").data(), w.get("conv2.bias").data(), 16));
        double[] pool2 = pool(conv2, 16, 10);
        double[] fc1 = relu(linear(pool2, w.get("fc1.weight").data(), w.get("fc1.bias").data()));
        double[] fc2 = relu(linear(fc1, w.get("fc2.weight").data(), w.get("fc2.bias").data()));
        double[] logits = linear(fc2, w.get("fc3.weight").data(), w.get("fc3.bias").data());
        double max = Double.NEGATIVE_INFINITY;
        int best = 0;
        for (int k = 0; k < logits.length; k++) {
            if (logits[k] > max) {
                max = logits[k];
                best = k;
            }
        }
        double sum = 0;
        probabilities = new double[logits.length];
        for (int k = 0; k < logits.length; k++) {
            probabilities[k] = Math.exp(logits[k] - max);
            sum += probabilities[k];
        }
        for (int k = 0; k < logits.length; k++) {
            probabilities[k] /= sum;
        }
        digit = best;
    }

    /** Valid 5x5 convolution of {@code channels} planes of {@code size x size} into {@code out} planes. */
    private static double[] conv(double[] x, int channels, int size, float[] weight, float[] bias, int out) {
        int os = size - 4;
        double[] y = new double[out * os * os];
        for (int o = 0; o < out; o++) {
            for (int oy = 0; oy < os; oy++) {
                for (int ox = 0; ox < os; ox++) {
                    double s = bias[o];
                    for (int c = 0; c < channels; c++) {
                        for (int ky = 0; ky < 5; ky++) {
                            for (int kx = 0; kx < 5; kx++) {
                                s += weight[((o * channels + c) * 5 + ky) * 5 + kx] * x[(c * size + oy + ky) * size + ox + kx];
                            }
                        }
                    }
                    y[(o * os + oy) * os + ox] = s;
                }
            }
        }
        return y;
    }

    /** 2x2 max-pooling with stride 2. */
    private static double[] pool(double[] x, int channels, int size) {
        int os = size / 2;
        double[] y = new double[channels * os * os];
        for (int c = 0; c < channels; c++) {
            for (int oy = 0; oy < os; oy++) {
                for (int ox = 0; ox < os; ox++) {
                    int i = (c * size + 2 * oy) * size + 2 * ox;
                    y[(c * os + oy) * os + ox] = Math.max(Math.max(x[i], x[i + 1]), Math.max(x[i + size], x[i + size + 1]));
                }
            }
        }
        return y;
    }

    /** y = W x + b with W of shape (out, in), PyTorch's layout. */
    private static double[] linear(double[] x, float[] weight, float[] bias) {
        double[] y = new double[bias.length];
        for (int o = 0; o < y.length; o++) {
            double s = bias[o];
            for (int i = 0; i < x.length; i++) {
                s += weight[o * x.length + i] * x[i];
            }
            y[o] = s;
        }
        return y;
    }

    private static double[] relu(double[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.max(0, x[i]);
        }
        return x;
    }
}
