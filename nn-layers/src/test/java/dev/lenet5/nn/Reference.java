package dev.lenet5.nn;

import dev.lenet5.tensor.kernel.ConvGeometry;
import java.util.Map;

/**
 * Double-precision forward passes written straight from the definitions (PyTorch's documentation of
 * Conv2d, MaxPool2d, Linear, ReLU and CrossEntropyLoss), with plain loops and no kernels: the independent
 * reference the float layers are checked against, and the function finite differences are taken of.
 */
final class Reference {

    private Reference() {
    }

    /** x: (N, C, H, W), weight: (Co, C, KH, KW), bias: (Co) → (N, Co, OH, OW); zero padding. */
    static double[] conv2d(double[] x, int n, ConvGeometry g, double[] weight, double[] bias, int co) {
        int oh = g.outH();
        int ow = g.outW();
        double[] y = new double[n * co * oh * ow];
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < co; o++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double s = bias[o];
                        for (int c = 0; c < g.channels(); c++) {
                            for (int ky = 0; ky < g.kernelH(); ky++) {
                                for (int kx = 0; kx < g.kernelW(); kx++) {
                                    int iy = oy * g.strideH() - g.padH() + ky;
                                    int ix = ox * g.strideW() - g.padW() + kx;
                                    if (iy < 0 || iy >= g.height() || ix < 0 || ix >= g.width()) {
                                        continue;
                                    }
                                    s += weight[((o * g.channels() + c) * g.kernelH() + ky) * g.kernelW() + kx]
                                            * x[((b * g.channels() + c) * g.height() + iy) * g.width() + ix];
                                }
                            }
                        }
                        y[((b * co + o) * oh + oy) * ow + ox] = s;
                    }
                }
            }
        }
        return y;
    }

    /** x: (N, C, H, W) → (N, C, OH, OW), window k, stride s, no padding. */
    static double[] maxPool(double[] x, int n, int c, int h, int w, int k, int s) {
        int oh = (h - k) / s + 1;
        int ow = (w - k) / s + 1;
        double[] y = new double[n * c * oh * ow];
        for (int p = 0; p < n * c; p++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    double m = Double.NEGATIVE_INFINITY;
                    for (int ky = 0; ky < k; ky++) {
                        for (int kx = 0; kx < k; kx++) {
                            m = Math.max(m, x[(p * h + oy * s + ky) * w + ox * s + kx]);
                        }
                    }
                    y[(p * oh + oy) * ow + ox] = m;
                }
            }
        }
        return y;
    }

    /** x: (N, in), weight: (out, in), bias: (out) → (N, out). */
    static double[] linear(double[] x, int n, int in, double[] weight, double[] bias, int out) {
        double[] y = new double[n * out];
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < out; o++) {
                double s = bias[o];
                for (int i = 0; i < in; i++) {
                    s += weight[o * in + i] * x[b * in + i];
                }
                y[b * out + o] = s;
            }
        }
        return y;
    }

    static double[] relu(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.max(x[i], 0);
        }
        return y;
    }

    /** Mean over rows of {@code -log softmax(logits)[label]}, with the row max subtracted. */
    static double crossEntropy(double[] logits, int n, int classes, int[] labels) {
        double total = 0;
        for (int b = 0; b < n; b++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) {
                max = Math.max(max, logits[b * classes + j]);
            }
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                sum += Math.exp(logits[b * classes + j] - max);
            }
            total += Math.log(sum) + max - logits[b * classes + labels[b]];
        }
        return total / n;
    }

    /** LeNet-5's logits for x: (N, 1, 32, 32) with parameters by state_dict name. */
    static double[] lenet5Logits(double[] x, int n, Map<String, double[]> p) {
        double[] a = relu(conv2d(x, n, ConvGeometry.square(1, 32, 32, 5, 1, 0), p.get("conv1.weight"),
                p.get("conv1.bias"), 6));
        a = maxPool(a, n, 6, 28, 28, 2, 2);
        a = relu(conv2d(a, n, ConvGeometry.square(6, 14, 14, 5, 1, 0), p.get("conv2.weight"), p.get("conv2.bias"), 16));
        a = maxPool(a, n, 16, 10, 10, 2, 2);
        a = relu(linear(a, n, 400, p.get("fc1.weight"), p.get("fc1.bias"), 120));
        a = relu(linear(a, n, 120, p.get("fc2.weight"), p.get("fc2.bias"), 84));
        return linear(a, n, 84, p.get("fc3.weight"), p.get("fc3.bias"), 10);
    }

    static double lenet5Loss(double[] x, int n, Map<String, double[]> p, int[] labels) {
        return crossEntropy(lenet5Logits(x, n, p), n, 10, labels);
    }

    static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    static double[] toDouble(float[] x, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = x[i];
        }
        return d;
    }
}
