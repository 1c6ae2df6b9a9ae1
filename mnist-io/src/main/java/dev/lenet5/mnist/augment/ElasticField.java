package dev.lenet5.mnist.augment;

/**
 * The displacement field of Simard, Steinkraus and Platt (2003), "Best practices for convolutional neural
 * networks applied to visual document analysis", section 2, drawn on a coarse grid of nodes and
 * interpolated bilinearly in between.
 *
 * <p>Simard's field: each component is a grid U of independent U(-1, 1) values, convolved with a Gaussian
 * of standard deviation sigma (zero outside the grid), times alpha. The convolution is separable,
 * {@code F = alpha K U K^T} with K the matrix of the truncated, normalised kernel. Computed literally that
 * costs 2 x 784 random numbers and about 80,000 multiply-adds per 28x28 image, more than the rest of
 * the augmentation together; this class gets the same field statistics for about a tenth of that:
 * <ul>
 *   <li>The field varies slowly (correlation length about 2 sigma), so it is only needed on nodes every
 *       {@code step} pixels (plus the last row and column); {@link #defaultStep} keeps the bilinear
 *       interpolation between them within a few percent of the exact field.</li>
 *   <li>On the nodes, {@code F_n = alpha K_n U K_n^T} (K_n: the node rows of K) is a linear image of
 *       independent noise of variance 1/3, so its covariance is
 *       {@code alpha^2 / 3 (K_n K_n^T) (x) (K_n K_n^T)} (Kronecker product, rows and columns) and that is
 *       all that distinguishes it. {@code alpha S Z S} with {@code S = (K_n K_n^T)^(1/2)} (symmetric root,
 *       precomputed) and Z a (nodes x nodes) grid of independent noise of variance 1/3 has exactly that
 *       covariance: the same variance at every node (lower near the borders, as Simard's zero padding
 *       makes it), the same correlation between any two.</li>
 *   <li>Each Z is half the sum of four U(-1, 1) values (variance 1/3, like Simard's pixels): a node of
 *       {@code S Z S} mixes fewer values than a node of {@code K U K^T} does, and this keeps its
 *       distribution as close to the Gaussian that Simard's smoothing produces.</li>
 * </ul>
 * The random numbers come from a SplitMix64 stream seeded with one {@code long} drawn from the caller's
 * generator (one 64-bit output gives the four 16-bit uniforms of one Z). Scratch buffers belong to one
 * thread.
 */
final class ElasticField {

    private final float alpha;
    private final int rows;
    private final int cols;
    private final int step;
    private final int[] rowNodes;
    private final int[] colNodes;
    private final int nr;
    private final int nc;
    private final float[] rowRoot;  // (nr, nr): (K_n K_n^T)^(1/2) over rows
    private final float[] colRoot;  // (nc, nc): the same over columns; symmetric

    // Per pixel coordinate: the node at or before it and its interpolation weight towards the next node.
    private final int[] yNode;
    private final float[] yFrac;
    private final int[] xNode;
    private final float[] xFrac;

    // Scratch; each row holds the x component's nc (or cols) values, then the y component's.
    private final float[] z;       // (nr, 2 nc): node noise
    private final float[] mixed;   // (nr, 2 nc): S_rows Z
    private final float[] nodes;   // (nr, 2 nc): alpha S_rows Z S_cols, the field on the nodes
    private final float[] coarse;  // (nr, 2 cols): nodes interpolated along x; along y when used

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
        this.step = step;
        this.rowNodes = nodes(rows, step);
        this.colNodes = nodes(cols, step);
        this.nr = rowNodes.length;
        this.nc = colNodes.length;
        this.rowRoot = flatten(SymmetricRoot.sqrt(nodeGram(kernel, rowNodes, rows)));
        this.colRoot = flatten(SymmetricRoot.sqrt(nodeGram(kernel, colNodes, cols)));
        this.yNode = new int[rows];
        this.yFrac = new float[rows];
        interpolation(rowNodes, rows, yNode, yFrac);
        this.xNode = new int[cols];
        this.xFrac = new float[cols];
        interpolation(colNodes, cols, xNode, xFrac);
        this.z = new float[nr * 2 * nc];
        this.mixed = new float[nr * 2 * nc];
        this.nodes = new float[nr * 2 * nc];
        this.coarse = new float[nr * 2 * cols];
    }

    /**
     * Node spacing for a Gaussian of this sigma: 3/4 sigma rounded down (3 pixels for sigma 4). Bilinear
     * interpolation between nodes then loses about 5-7% of the field's RMS against drawing every pixel
     * (about 0.08 pixels of displacement at the defaults; the tests check it), which no one can see in the
     * images. Sigma below 2.67 pixels gets a node on every pixel.
     */
    static int defaultStep(double sigma) {
        return Math.max(1, (int) Math.floor(0.75 * sigma));
    }

    int step() {
        return step;
    }

    int[] rowNodes() {
        return rowNodes.clone();
    }

    int[] colNodes() {
        return colNodes.clone();
    }

    /** Entry (i, k) of the row root S, for tests. */
    float rowRoot(int i, int k) {
        return rowRoot[i * nr + k];
    }

    /** The node noise Z of the last field, component 0 (x) or 1 (y), for tests. */
    float nodeNoise(int component, int i, int j) {
        return z[i * 2 * nc + component * nc + j];
    }

    /** Draws a new random field from the stream {@code seed}, for {@link #resample} or {@link #displacements}. */
    void generate(long seed) {
        fillNoise(seed);
        mixRows();
        mixColumns();
        interpolateColumns();
    }

    /**
     * Writes the last field into {@code d} (rows x 2 cols: per image row, cols x-displacements then cols
     * y-displacements, in pixels), exactly as {@link #resample} uses it.
     */
    void displacements(float[] d) {
        int width = 2 * cols;
        for (int y = 0; y < rows; y++) {
            int a = yNode[y] * width;
            int b = upperRow(y) * width;
            float fy = yFrac[y];
            int o = y * width;
            for (int c = 0; c < width; c++) {
                d[o + c] = coarse[a + c] + fy * (coarse[b + c] - coarse[a + c]);
            }
        }
    }

    /**
     * out(p) = source(A^-1 (p + d(p))) for every pixel p, rounded to 8 bits, with d the last field.
     * Interpolating d between node rows here, rather than into a (rows, 2 cols) buffer first, saves a
     * pass over that buffer. source: (rows, cols) → out: (rows, cols) bytes.
     */
    void resample(SourceImage source, float[] inv, byte[] out) {
        float a00 = inv[0];
        float a01 = inv[1];
        float a02 = inv[2];
        float a10 = inv[3];
        float a11 = inv[4];
        float a12 = inv[5];
        float[] c = coarse;
        int width = 2 * cols;
        for (int y = 0; y < rows; y++) {
            int a = yNode[y] * width;
            int b = upperRow(y) * width;
            float fy = yFrac[y];
            int o = y * cols;
            for (int x = 0; x < cols; x++) {
                float qx = x + (c[a + x] + fy * (c[b + x] - c[a + x]));
                float qy = y + (c[a + cols + x] + fy * (c[b + cols + x] - c[a + cols + x]));
                out[o + x] = SourceImage.toPixel(source.sample(a00 * qx + a01 * qy + a02, a10 * qx + a11 * qy + a12));
            }
        }
    }

    /** Z = (u1 + u2 + u3 + u4) / 2, u uniform on (-1, 1): four 16-bit uniforms from each SplitMix64 output. */
    private void fillNoise(long seed) {
        long state = seed;
        for (int i = 0; i < z.length; i++) {
            state += 0x9E3779B97F4A7C15L;
            long x = state;
            x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
            x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
            x ^= x >>> 31;
            // u = (h + 0.5) 2^-15 - 1 for a 16-bit h, so (sum of u) / 2 = (sum of h + 2) 2^-16 - 2, exactly.
            long h = (x & 0xFFFF) + ((x >>> 16) & 0xFFFF) + ((x >>> 32) & 0xFFFF) + (x >>> 48);
            z[i] = (h + 2) * 0x1p-16f - 2f;
        }
    }

    /** mixed = S_rows Z. z: (nr, 2 nc) → mixed: (nr, 2 nc). */
    private void mixRows() {
        // Naive: mixed[i][c] = sum_k S[i][k] z[k][c]. Here eight columns' sums stay in registers over k.
        int w = 2 * nc;
        float[] s = rowRoot;
        for (int i = 0; i < nr; i++) {
            int row = i * nr;
            int c = 0;
            for (; c + 8 <= w; c += 8) {
                float m0 = 0f, m1 = 0f, m2 = 0f, m3 = 0f, m4 = 0f, m5 = 0f, m6 = 0f, m7 = 0f;
                for (int k = 0; k < nr; k++) {
                    float sk = s[row + k];
                    int o = k * w + c;
                    m0 += sk * z[o];
                    m1 += sk * z[o + 1];
                    m2 += sk * z[o + 2];
                    m3 += sk * z[o + 3];
                    m4 += sk * z[o + 4];
                    m5 += sk * z[o + 5];
                    m6 += sk * z[o + 6];
                    m7 += sk * z[o + 7];
                }
                int o = i * w + c;
                mixed[o] = m0;
                mixed[o + 1] = m1;
                mixed[o + 2] = m2;
                mixed[o + 3] = m3;
                mixed[o + 4] = m4;
                mixed[o + 5] = m5;
                mixed[o + 6] = m6;
                mixed[o + 7] = m7;
            }
            for (; c < w; c++) {
                float m = 0f;
                for (int k = 0; k < nr; k++) {
                    m += s[row + k] * z[k * w + c];
                }
                mixed[i * w + c] = m;
            }
        }
    }

    /** nodes = alpha mixed S_cols, per component. mixed: (nr, 2 nc) → nodes: (nr, 2 nc). */
    private void mixColumns() {
        // Naive: nodes[i][j] = alpha sum_k mixed[i][k] S[k][j] (S symmetric). Here four columns of both
        // components, eight sums in registers over k.
        int w = 2 * nc;
        float[] s = colRoot;
        for (int i = 0; i < nr; i++) {
            int px = i * w;
            int py = px + nc;
            int j = 0;
            for (; j + 4 <= nc; j += 4) {
                float x0 = 0f, x1 = 0f, x2 = 0f, x3 = 0f, y0 = 0f, y1 = 0f, y2 = 0f, y3 = 0f;
                for (int k = 0; k < nc; k++) {
                    float mx = mixed[px + k];
                    float my = mixed[py + k];
                    int o = k * nc + j;
                    x0 += mx * s[o];
                    x1 += mx * s[o + 1];
                    x2 += mx * s[o + 2];
                    x3 += mx * s[o + 3];
                    y0 += my * s[o];
                    y1 += my * s[o + 1];
                    y2 += my * s[o + 2];
                    y3 += my * s[o + 3];
                }
                nodes[px + j] = alpha * x0;
                nodes[px + j + 1] = alpha * x1;
                nodes[px + j + 2] = alpha * x2;
                nodes[px + j + 3] = alpha * x3;
                nodes[py + j] = alpha * y0;
                nodes[py + j + 1] = alpha * y1;
                nodes[py + j + 2] = alpha * y2;
                nodes[py + j + 3] = alpha * y3;
            }
            for (; j < nc; j++) {
                float sx = 0f;
                float sy = 0f;
                for (int k = 0; k < nc; k++) {
                    sx += mixed[px + k] * s[k * nc + j];
                    sy += mixed[py + k] * s[k * nc + j];
                }
                nodes[px + j] = alpha * sx;
                nodes[py + j] = alpha * sy;
            }
        }
    }

    /** The nodes interpolated along x. nodes: (nr, 2 nc) → coarse: (nr, 2 cols). */
    private void interpolateColumns() {
        int width = 2 * cols;
        int lastCol = nc - 1;
        for (int i = 0; i < nr; i++) {
            int ox = i * 2 * nc;
            int oy = ox + nc;
            int q = i * width;
            for (int x = 0; x < cols; x++) {
                int m0 = xNode[x];
                int m1 = Math.min(m0 + 1, lastCol);
                float fx = xFrac[x];
                coarse[q + x] = nodes[ox + m0] + fx * (nodes[ox + m1] - nodes[ox + m0]);
                coarse[q + cols + x] = nodes[oy + m0] + fx * (nodes[oy + m1] - nodes[oy + m0]);
            }
        }
    }

    /** The node row after pixel row y's (itself on the last row). */
    private int upperRow(int y) {
        return Math.min(yNode[y] + 1, nr - 1);
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

    /** K_n K_n^T: (K_n K_n^T)[i][k] = sum_p g(p - node_i) g(p - node_k) over the pixels p of the axis. */
    private static double[][] nodeGram(GaussianKernel kernel, int[] nodes, int length) {
        double[][] gram = new double[nodes.length][nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            for (int k = 0; k < nodes.length; k++) {
                double sum = 0;
                for (int p = 0; p < length; p++) {
                    sum += (double) kernel.weight(p - nodes[i]) * kernel.weight(p - nodes[k]);
                }
                gram[i][k] = sum;
            }
        }
        return gram;
    }

    private static float[] flatten(double[][] m) {
        int n = m.length;
        float[] f = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                f[i * n + k] = (float) m[i][k];
            }
        }
        return f;
    }

    /** On a node the weight is 0, so the field there is exactly the node value. */
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
