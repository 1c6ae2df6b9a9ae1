package dev.lenet5.bench;

import java.util.Locale;

/**
 * The GEMM shapes worth measuring: a square reference and LeNet-5's products at batch 120 (convolutions
 * lowered with the whole batch's output pixels as columns: conv1 6x25 by 25x(120*784), conv2 16x150 by
 * 150x(120*100)), each as forward, weight-gradient and input-gradient product, plus the per-image
 * convolution shapes ({@code *_b1}) and one odd shape with every tail. Each knows its FLOP count
 * ({@code 2*m*n*k}) so results convert to GFLOP/s.
 *
 * <p>Operand layouts follow the layers: forward {@code W * cols}, weight gradient
 * {@code dY * cols^T} (accumulated, beta = 1), input gradient {@code W^T * dY}; linear layers
 * {@code X * W^T}, {@code dY^T * X} (accumulated) and {@code dY * W}.
 */
public enum GemmShape {
    SQUARE512(false, false, 512, 512, 512, 0f),

    CONV1_FWD(false, false, 6, 120 * 784, 25, 0f),
    CONV1_WGRAD(false, true, 6, 25, 120 * 784, 1f),
    CONV1_IGRAD(true, false, 25, 120 * 784, 6, 0f),
    CONV2_FWD(false, false, 16, 120 * 100, 150, 0f),
    CONV2_WGRAD(false, true, 16, 150, 120 * 100, 1f),
    CONV2_IGRAD(true, false, 150, 120 * 100, 16, 0f),

    FC1_FWD(false, true, 120, 120, 400, 0f),
    FC1_WGRAD(true, false, 120, 400, 120, 1f),
    FC1_IGRAD(false, false, 120, 400, 120, 0f),
    FC2_FWD(false, true, 120, 84, 120, 0f),
    FC2_WGRAD(true, false, 84, 120, 120, 1f),
    FC2_IGRAD(false, false, 120, 120, 84, 0f),
    FC3_FWD(false, true, 120, 10, 84, 0f),
    FC3_WGRAD(true, false, 10, 84, 120, 1f),
    FC3_IGRAD(false, false, 120, 84, 10, 0f),

    CONV1_FWD_B1(false, false, 6, 784, 25, 0f),
    CONV1_WGRAD_B1(false, true, 6, 25, 784, 1f),
    CONV2_FWD_B1(false, false, 16, 100, 150, 0f),
    CONV2_WGRAD_B1(false, true, 16, 150, 100, 1f),
    CONV2_IGRAD_B1(true, false, 150, 100, 16, 0f),

    ODD(false, false, 127, 257, 131, 0f);

    private final boolean transA;
    private final boolean transB;
    private final int m;
    private final int n;
    private final int k;
    private final float beta;

    GemmShape(boolean transA, boolean transB, int m, int n, int k, float beta) {
        this.transA = transA;
        this.transB = transB;
        this.m = m;
        this.n = n;
        this.k = k;
        this.beta = beta;
    }

    /** The shape for a JMH parameter value such as {@code conv2_fwd} (case-insensitive). */
    public static GemmShape parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown GEMM shape '" + name + "'; known: "
                    + java.util.Arrays.toString(values()).toLowerCase(Locale.ROOT), e);
        }
    }

    public String paramName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean transA() {
        return transA;
    }

    public boolean transB() {
        return transB;
    }

    public int m() {
        return m;
    }

    public int n() {
        return n;
    }

    public int k() {
        return k;
    }

    /** 0 (overwrite) for products, 1 for gradients the layers accumulate. */
    public float beta() {
        return beta;
    }

    /** Multiply-adds count two: {@code 2*m*n*k}. */
    public long flops() {
        return 2L * m * n * k;
    }

    /** Leading dimensions of the operands stored densely. */
    public int lda() {
        return transA ? m : k;
    }

    public int ldb() {
        return transB ? k : n;
    }

    /** {@code m x n x k NN}, e.g. {@code 16x12000x150 NN}. */
    public String describe() {
        return m + "x" + n + "x" + k + " " + (transA ? "T" : "N") + (transB ? "T" : "N");
    }
}
