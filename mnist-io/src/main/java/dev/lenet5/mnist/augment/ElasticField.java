package dev.lenet5.mnist.augment;

/**
 * The displacement field of Simard, Steinkraus and Platt (2003), "Best practices for convolutional neural
 * networks applied to visual document analysis", section 2: each of the two components is a grid of
 * independent U(-1, 1) values, convolved with a Gaussian of standard deviation sigma (zero outside the
 * grid), times alpha.
 *
 * <p>Smoothing is separable, {@code F = alpha * K U K^T} with K the (rows x rows) or (cols x cols)
 * matrix of the truncated kernel. The smoothed field varies slowly (its correlation length is about
 * 2 sigma), so it is computed exactly only on nodes every {@code step} pixels (plus the last row and
 * column) and interpolated bilinearly in between: that needs only the node rows of K U (step times
 * less work) and the node entries of (K U) K^T (step^2 times less). On the nodes the field is exactly
 * Simard's; {@code step = 1} is the plain full-resolution computation.
 *
 * <p>Both components share every kernel weight, so a noise row holds the row of the x component
 * followed by the row of the y component (2 cols floats), and each pass handles both at once. The passes
 * keep eight (or four) sums in registers per loop: the JIT does not vectorise these short loops, and
 * register-blocked scalar code runs about twice as fast as row-wise axpys.
 *
 * <p>The noise comes from a SplitMix64 stream seeded with one {@code long} drawn from the caller's
 * generator: 2*rows*cols draws from {@link java.util.Random} would cost more than all the rest. Each
 * 64-bit output gives four 16-bit uniforms; the smoothing sums hundreds of them, so the resolution of
 * one is immaterial. Scratch buffers belong to one thread.
 */
final class ElasticField {

    private final float alpha;
    private final int rows;
    private final int cols;
    private final int width;  // 2 * cols: a row of the x component, then a row of the y component
    private final int step;
    private final int radius;
    private final float[] taps;  // g(t) at taps[t + radius]

    private final int[] rowNodes;
    private final int[] colNodes;
    private final float[] colKernel;  // (cols, colNodes): K[node_j][c] at c * colNodes + j
    private final int[] colLo;        // per node column, the first and last column within the kernel
    private final int[] colHi;

    // Per pixel coordinate: the node at or before it and its interpolation weight towards the next node.
    private final int[] yNode;
    private final float[] yFrac;
    private final int[] xNode;
    private final float[] xFrac;

    private final int[] bits;      // (rows * cols): 32 random bits, two noise values each
    private final float[] noise;   // (rows, 2 cols)
    private final float[] part;    // (rowNodes, 2 cols): node rows of K U
    private final float[] nodes;   // (rowNodes, 2 colNodes): alpha K U K^T on the nodes
    private final float[] coarse;  // (rowNodes, 2 cols): nodes interpolated along x

    ElasticField(GaussianKernel kernel, double alpha, int rows, int cols, int step) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("image must be at least 1x1, got " + rows + "x" + cols);
        }
        if (step < 1) {
            throw new IllegalArgumentException("node step must be at least 1, got " + step);
        }
        this.alpha = (float) alpha;
        this.rows = rows;
        this.cols = cols;
        this.width = 2 * cols;
        this.step = step;
        this.radius = kernel.radius();
        this.taps = new float[2 * radius + 1];
        for (int t = -radius; t <= radius; t++) {
            taps[t + radius] = kernel.weight(t);
        }
        this.rowNodes = nodes(rows, step);
        this.colNodes = nodes(cols, step);
        int nc = colNodes.length;
        this.colKernel = new float[cols * nc];
        this.colLo = new int[nc];
        this.colHi = new int[nc];
        for (int j = 0; j < nc; j++) {
            for (int c = 0; c < cols; c++) {
                colKernel[c * nc + j] = kernel.weight(c - colNodes[j]);
            }
            colLo[j] = Math.max(0, colNodes[j] - radius);
            colHi[j] = Math.min(cols - 1, colNodes[j] + radius);
        }
        this.yNode = new int[rows];
        this.yFrac = new float[rows];
        interpolation(rowNodes, rows, yNode, yFrac);
        this.xNode = new int[cols];
        this.xFrac = new float[cols];
        interpolation(colNodes, cols, xNode, xFrac);
        this.bits = new int[rows * cols];
        this.noise = new float[rows * width];
        this.part = new float[rowNodes.length * width];
        this.nodes = new float[rowNodes.length * 2 * colNodes.length];
        this.coarse = new float[rowNodes.length * width];
    }

    /**
     * Node spacing for a Gaussian of this sigma: 3/4 sigma rounded down (3 pixels for sigma 4). Bilinear
     * interpolation between nodes then differs from the exact field by about 5-7% of the field's RMS
     * (about 0.08 pixels of displacement at the defaults), which no one can see in the images, at about a
     * third of the cost of step 1 (the error is checked against step 1 in the tests). Sigma below 2.67
     * pixels gets the exact field.
     */
    static int defaultStep(double sigma) {
        return Math.max(1, (int) Math.floor(0.75 * sigma));
    }

    int step() {
        return step;
    }

    /**
     * Fills {@code d} (rows x 2 cols: per image row, cols x-displacements then cols y-displacements, in
     * pixels) with a new random field drawn from the stream {@code seed}.
     */
    void generate(long seed, float[] d) {
        fillNoise(seed);
        smoothColumns();
        smoothRows();
        upsample(d);
    }

    /** The noise of the last field at a logical pixel; component 0 is x, 1 is y. */
    float noise(int component, int row, int col) {
        return noise[row * width + component * cols + col];
    }

    /** U(-1, 1) noise: the 16-bit halves of 32-bit random words, low halves first, then high halves. */
    void fillNoise(long seed) {
        long state = seed;
        int n = bits.length;
        for (int i = 0; i < n; i += 2) {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z ^= z >>> 31;
            bits[i] = (int) z;
            if (i + 1 < n) {
                bits[i + 1] = (int) (z >>> 32);
            }
        }
        // A signed 16-bit s gives (s + 0.5) / 2^15: 65536 values symmetric about 0 in (-1, 1), all exact.
        for (int i = 0; i < n; i++) {
            noise[i] = ((short) bits[i] + 0.5f) * 0x1p-15f;
        }
        for (int i = 0; i < n; i++) {
            noise[n + i] = ((bits[i] >> 16) + 0.5f) * 0x1p-15f;
        }
    }

    /** part = K U at the node rows. noise: (rows, 2 cols) → part: (rowNodes, 2 cols). */
    void smoothColumns() {
        // Naive: part[i][c] = sum_r K[node_i][r] * noise[r][c], r within the kernel's reach.
        // Here: eight columns at a time, their sums in registers while r runs.
        float[] u = noise;
        float[] g = taps;
        for (int i = 0; i < rowNodes.length; i++) {
            int node = rowNodes[i];
            int lo = Math.max(0, node - radius);
            int hi = Math.min(rows - 1, node + radius);
            int out = i * width;
            int c = 0;
            for (; c + 8 <= width; c += 8) {
                float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
                for (int r = lo; r <= hi; r++) {
                    float w = g[r - node + radius];
                    int k = r * width + c;
                    s0 += w * u[k];
                    s1 += w * u[k + 1];
                    s2 += w * u[k + 2];
                    s3 += w * u[k + 3];
                    s4 += w * u[k + 4];
                    s5 += w * u[k + 5];
                    s6 += w * u[k + 6];
                    s7 += w * u[k + 7];
                }
                part[out + c] = s0;
                part[out + c + 1] = s1;
                part[out + c + 2] = s2;
                part[out + c + 3] = s3;
                part[out + c + 4] = s4;
                part[out + c + 5] = s5;
                part[out + c + 6] = s6;
                part[out + c + 7] = s7;
            }
            for (; c < width; c++) {
                float sum = 0f;
                for (int r = lo; r <= hi; r++) {
                    sum += g[r - node + radius] * u[r * width + c];
                }
                part[out + c] = sum;
            }
        }
    }

    /** nodes = alpha * part K^T at the node columns. part: (rowNodes, 2 cols) → nodes: (rowNodes, 2 colNodes). */
    void smoothRows() {
        // Naive: nodes[i][j] = alpha * sum_c part[i][c] * K[node_j][c] for each component.
        // Here: four node columns at a time, both components, eight sums in registers while c runs.
        int nc = colNodes.length;
        float[] k = colKernel;
        for (int i = 0; i < rowNodes.length; i++) {
            int px = i * width;
            int py = px + cols;
            int o = i * 2 * nc;
            int j = 0;
            for (; j + 4 <= nc; j += 4) {
                float x0 = 0f, x1 = 0f, x2 = 0f, x3 = 0f, y0 = 0f, y1 = 0f, y2 = 0f, y3 = 0f;
                int hi = colHi[j + 3];
                for (int c = colLo[j]; c <= hi; c++) {
                    float ux = part[px + c];
                    float uy = part[py + c];
                    int w = c * nc + j;
                    x0 += ux * k[w];
                    x1 += ux * k[w + 1];
                    x2 += ux * k[w + 2];
                    x3 += ux * k[w + 3];
                    y0 += uy * k[w];
                    y1 += uy * k[w + 1];
                    y2 += uy * k[w + 2];
                    y3 += uy * k[w + 3];
                }
                nodes[o + j] = alpha * x0;
                nodes[o + j + 1] = alpha * x1;
                nodes[o + j + 2] = alpha * x2;
                nodes[o + j + 3] = alpha * x3;
                nodes[o + nc + j] = alpha * y0;
                nodes[o + nc + j + 1] = alpha * y1;
                nodes[o + nc + j + 2] = alpha * y2;
                nodes[o + nc + j + 3] = alpha * y3;
            }
            for (; j < nc; j++) {
                float sx = 0f;
                float sy = 0f;
                for (int c = colLo[j]; c <= colHi[j]; c++) {
                    sx += part[px + c] * k[c * nc + j];
                    sy += part[py + c] * k[c * nc + j];
                }
                nodes[o + j] = alpha * sx;
                nodes[o + nc + j] = alpha * sy;
            }
        }
    }

    /** Bilinear between nodes, x first, then y. nodes: (rowNodes, 2 colNodes) → d: (rows, 2 cols). */
    void upsample(float[] d) {
        int nc = colNodes.length;
        int lastCol = nc - 1;
        for (int i = 0; i < rowNodes.length; i++) {
            int o = i * 2 * nc;
            int q = i * width;
            for (int x = 0; x < cols; x++) {
                int m0 = xNode[x];
                int m1 = Math.min(m0 + 1, lastCol);
                float fx = xFrac[x];
                coarse[q + x] = nodes[o + m0] + fx * (nodes[o + m1] - nodes[o + m0]);
                coarse[q + cols + x] = nodes[o + nc + m0] + fx * (nodes[o + nc + m1] - nodes[o + nc + m0]);
            }
        }
        int lastRow = rowNodes.length - 1;
        for (int y = 0; y < rows; y++) {
            int a = yNode[y] * width;
            int b = Math.min(yNode[y] + 1, lastRow) * width;
            float fy = yFrac[y];
            int o = y * width;
            for (int c = 0; c < width; c++) {
                d[o + c] = coarse[a + c] + fy * (coarse[b + c] - coarse[a + c]);
            }
        }
    }

    /** 0, step, 2 step, ... and always the last index, so every pixel lies between two nodes. */
    private static int[] nodes(int length, int step) {
        int n = (length - 1 + step - 1) / step + 1;
        int[] nodes = new int[n];
        for (int i = 0; i < n; i++) {
            nodes[i] = Math.min(i * step, length - 1);
        }
        return nodes;
    }

    /** On a node the weight is 0, so with step 1 the field is exactly the node values. */
    private static void interpolation(int[] nodes, int length, int[] node, float[] frac) {
        int n = 0;
        for (int p = 0; p < length; p++) {
            while (n + 1 < nodes.length && nodes[n + 1] <= p) {
                n++;
            }
            node[p] = n;
            int span = n + 1 < nodes.length ? nodes[n + 1] - nodes[n] : 0;
            frac[p] = span == 0 ? 0f : (p - nodes[n]) / (float) span;
        }
    }
}
