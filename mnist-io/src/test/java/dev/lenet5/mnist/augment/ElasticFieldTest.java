package dev.lenet5.mnist.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The elastic field against Simard et al. (2003) run literally in this test (U(-1, 1) noise on every
 * pixel, convolved with the truncated Gaussian, times alpha, all in double) and against the theory of
 * that construction: variance (1/3) sum(w^2) per axis at each pixel, correlation
 * sum_c w(x - c) w(x + L - c) / sum_c w(x - c)^2 between pixels L apart along a row.
 */
class ElasticFieldTest {

    private static final int N = 28;

    /** Gaussian truncated at ceil(3 sigma), normalised to sum 1: written out again, in double. */
    private static double[] gaussian(double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        double[] w = new double[2 * radius + 1];
        double sum = 0;
        for (int t = -radius; t <= radius; t++) {
            w[t + radius] = Math.exp(-t * t / (2 * sigma * sigma));
            sum += w[t + radius];
        }
        for (int i = 0; i < w.length; i++) {
            w[i] /= sum;
        }
        return w;
    }

    /** Weight of pixel c in the smoothed value at p; 0 beyond the kernel. */
    private static double w(double[] g, int p, int c) {
        int radius = g.length / 2;
        return Math.abs(p - c) <= radius ? g[p - c + radius] : 0;
    }

    /** Simard's field, literally: one component, (N, N), from fresh U(-1, 1) noise. */
    private static double[] literalSimard(double[] g, double alpha, Random rng) {
        double[] u = new double[N * N];
        for (int i = 0; i < u.length; i++) {
            u[i] = 2 * rng.nextDouble() - 1;
        }
        double[] rowsSmoothed = new double[N * N];
        for (int y = 0; y < N; y++) {
            for (int x = 0; x < N; x++) {
                double s = 0;
                for (int c = 0; c < N; c++) {
                    s += w(g, x, c) * u[y * N + c];
                }
                rowsSmoothed[y * N + x] = s;
            }
        }
        double[] f = new double[N * N];
        for (int y = 0; y < N; y++) {
            for (int x = 0; x < N; x++) {
                double s = 0;
                for (int r = 0; r < N; r++) {
                    s += w(g, y, r) * rowsSmoothed[r * N + x];
                }
                f[y * N + x] = alpha * s;
            }
        }
        return f;
    }

    /** Sum of squared weights at position p: the variance factor of one axis. */
    private static double sumSq(double[] g, int p) {
        double s = 0;
        for (int c = 0; c < N; c++) {
            s += w(g, p, c) * w(g, p, c);
        }
        return s;
    }

    private static float[] generate(ElasticField f, long seed) {
        float[] d = new float[2 * N * N];
        f.generate(seed);
        f.displacements(d);
        return d;
    }

    private static float dx(float[] d, int y, int x) {
        return d[y * 2 * N + x];
    }

    private static float dy(float[] d, int y, int x) {
        return d[y * 2 * N + N + x];
    }

    @Test
    void kernelIsANormalisedTruncatedGaussian() {
        GaussianKernel k = new GaussianKernel(4);
        assertEquals(12, k.radius());
        double sum = 0;
        for (int t = -12; t <= 12; t++) {
            sum += k.weight(t);
            assertEquals(k.weight(t), k.weight(-t));
        }
        assertEquals(1.0, sum, 1e-6);
        assertEquals(Math.exp(-1 / 32.0), k.weight(1) / k.weight(0), 1e-6);
        assertEquals(Math.exp(-100 / 32.0), k.weight(10) / k.weight(0), 1e-6);
        assertEquals(0f, k.weight(13));
        assertEquals(3, new GaussianKernel(0.9).radius());
        assertThrows(IllegalArgumentException.class, () -> new GaussianKernel(0));
        assertThrows(IllegalArgumentException.class, () -> new GaussianKernel(Double.NaN));
    }

    @Test
    void nodesSitEveryStepPixelsAndOnTheLastPixel() {
        assertArrayEquals(new int[] {0, 3, 6, 9, 12, 15, 18, 21, 24, 27},
                new ElasticField(new GaussianKernel(4), 1, N, N, 3).rowNodes());
        assertArrayEquals(new int[] {0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 27},
                new ElasticField(new GaussianKernel(4), 1, N, N, 2).colNodes());
        ElasticField odd = new ElasticField(new GaussianKernel(3), 1, 13, 9, 5);
        assertArrayEquals(new int[] {0, 5, 10, 12}, odd.rowNodes());
        assertArrayEquals(new int[] {0, 5, 8}, odd.colNodes());
        assertArrayEquals(new int[] {0}, new ElasticField(new GaussianKernel(3), 1, 1, 1, 3).rowNodes());
    }

    @Test
    void rootSquaresToTheGramMatrixOfSimardsSmoothingAtTheNodes() {
        for (int step : new int[] {1, 3}) {
            double sigma = 4;
            ElasticField f = new ElasticField(new GaussianKernel(sigma), 1, N, N, step);
            double[] g = gaussian(sigma);
            int[] nodes = f.rowNodes();
            int n = nodes.length;
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < n; k++) {
                    double gram = 0;
                    for (int p = 0; p < N; p++) {
                        gram += w(g, nodes[i], p) * w(g, nodes[k], p);
                    }
                    double squared = 0;
                    for (int m = 0; m < n; m++) {
                        squared += (double) f.rowRoot(i, m) * f.rowRoot(m, k);
                    }
                    assertEquals(gram, squared, 1e-6, "step " + step + " (" + i + ", " + k + ")");
                    assertEquals(f.rowRoot(i, k), f.rowRoot(k, i), 1e-7);
                }
            }
        }
    }

    @Test
    void nodeNoiseHasSimardsVarianceAndANearlyGaussianShape() {
        ElasticField f = new ElasticField(new GaussianKernel(4), 1, N, N, 3);
        double sum = 0;
        double sumSq = 0;
        double sum4 = 0;
        int n = 0;
        for (long seed = 0; seed < 2000; seed++) {
            f.generate(seed);
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < 10; i++) {
                    for (int j = 0; j < 10; j++) {
                        double z = f.nodeNoise(c, i, j);
                        assertTrue(z > -2 && z < 2, "node noise " + z);
                        sum += z;
                        sumSq += z * z;
                        sum4 += z * z * z * z;
                        n++;
                    }
                }
            }
        }
        double var = sumSq / n;
        assertEquals(0, sum / n, 0.005);
        assertEquals(1 / 3.0, var, 0.005);
        // Half the sum of four U(-1, 1): kurtosis 3 - 1.2 / 4 = 2.7 (a Gaussian has 3, one uniform 1.8).
        assertEquals(2.7, sum4 / n / (var * var), 0.05);
    }

    @Test
    void fieldIsAlphaSZSOnTheNodesAndBilinearBetweenThem() {
        double alpha = 34;
        ElasticField f = new ElasticField(new GaussianKernel(4), alpha, N, N, 3);
        int[] nodes = f.rowNodes();
        int n = nodes.length;
        float[] d = generate(f, 99);
        double[][][] expected = new double[2][n][n];
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int a = 0; a < n; a++) {
                        for (int b = 0; b < n; b++) {
                            s += (double) f.rowRoot(i, a) * f.nodeNoise(c, a, b) * f.rowRoot(b, j);
                        }
                    }
                    expected[c][i][j] = alpha * s;
                }
            }
        }
        for (int y = 0; y < N; y++) {
            for (int x = 0; x < N; x++) {
                int i = Math.min(y / 3, n - 2);
                int j = Math.min(x / 3, n - 2);
                double fy = (y - nodes[i]) / 3.0;
                double fx = (x - nodes[j]) / 3.0;
                for (int c = 0; c < 2; c++) {
                    double[][] e = expected[c];
                    double v = (1 - fy) * ((1 - fx) * e[i][j] + fx * e[i][j + 1])
                            + fy * ((1 - fx) * e[i + 1][j] + fx * e[i + 1][j + 1]);
                    float actual = c == 0 ? dx(d, y, x) : dy(d, y, x);
                    assertEquals(v, actual, 1e-4, "component " + c + " at (" + x + ", " + y + ")");
                }
            }
        }
    }

    @Test
    void fieldHasTheVarianceAndCorrelationsOfSimardsConstruction() {
        double sigma = 4;
        double alpha = 34;
        double[] g = gaussian(sigma);
        ElasticField f = new ElasticField(new GaussianKernel(sigma), alpha, N, N, ElasticField.defaultStep(sigma));
        Random rng = new Random(17);
        // (y, x): centre node, corner node, edge node, and a pixel between nodes.
        int[][] points = {{12, 15}, {0, 0}, {27, 12}, {13, 14}};
        int draws = 3000;
        double[] oursSq = new double[points.length];
        double[] simardSq = new double[points.length];
        double[] oursLag = new double[9];
        double[] simardLag = new double[9];
        double ours4 = 0;
        double simard4 = 0;
        for (int t = 0; t < draws; t++) {
            float[] d = generate(f, t * 7919L);
            double[] s = literalSimard(g, alpha, rng);
            for (int p = 0; p < points.length; p++) {
                int y = points[p][0];
                int x = points[p][1];
                oursSq[p] += (dx(d, y, x) * dx(d, y, x) + dy(d, y, x) * dy(d, y, x)) / 2.0;
                simardSq[p] += s[y * N + x] * s[y * N + x];
            }
            double a = dx(d, 12, 9);
            double b = s[12 * N + 9];
            for (int lag = 1; lag <= 8; lag++) {
                oursLag[lag] += a * dx(d, 12, 9 + lag);
                simardLag[lag] += b * s[12 * N + 9 + lag];
            }
            ours4 += Math.pow(dx(d, 12, 15), 4);
            simard4 += Math.pow(s[12 * N + 15], 4);
        }
        for (int p = 0; p < points.length; p++) {
            int y = points[p][0];
            int x = points[p][1];
            double theory = alpha * alpha / 3 * sumSq(g, y) * sumSq(g, x);
            assertEquals(1, simardSq[p] / draws / theory, 0.08, "literal Simard at " + x + "," + y);
            // Between nodes, bilinear interpolation averages correlated nodes: up to ~12% less variance.
            boolean node = y % 3 == 0 && x % 3 == 0;
            double ratio = oursSq[p] / draws / theory;
            assertTrue(node ? Math.abs(ratio - 1) < 0.06 : ratio > 0.8 && ratio < 1.03,
                    "variance ratio " + ratio + " at " + x + "," + y);
        }
        for (int lag : new int[] {1, 3, 4, 8}) {
            double cross = 0;
            for (int c = 0; c < N; c++) {
                cross += w(g, 9, c) * w(g, 9 + lag, c);
            }
            double theory = cross / sumSq(g, 9);
            assertEquals(theory, simardLag[lag] / draws / (simardSq[0] / draws), 0.08, "literal lag " + lag);
            double ours = oursLag[lag] / draws / (alpha * alpha / 3 * sumSq(g, 12) * sumSq(g, 9));
            assertEquals(theory, ours, 0.06, "lag " + lag);
        }
        // Nearly Gaussian like Simard's: kurtosis near 3 (a single uniform would give 1.8).
        double kurtOurs = ours4 / draws / Math.pow(oursSq[0] / draws, 2);
        double kurtSimard = simard4 / draws / Math.pow(simardSq[0] / draws, 2);
        assertEquals(3, kurtSimard, 0.3);
        assertEquals(3, kurtOurs, 0.3);
    }

    @Test
    void sameSeedSameFieldOtherSeedOtherField() {
        ElasticField f = new ElasticField(new GaussianKernel(4), 34, N, N, 3);
        float[] a = generate(f, 42);
        generate(f, 43);
        float[] b = generate(f, 42);
        assertArrayEquals(a, b);
        float[] c = generate(f, 43);
        assertFalse(Arrays.equals(a, c));
        assertArrayEquals(a, generate(new ElasticField(new GaussianKernel(4), 34, N, N, 3), 42));
    }

    @Test
    void alphaScalesTheFieldLinearly() {
        float[] one = generate(new ElasticField(new GaussianKernel(4), 1, N, N, 3), 11);
        float[] many = generate(new ElasticField(new GaussianKernel(4), 34, N, N, 3), 11);
        for (int i = 0; i < one.length; i++) {
            assertEquals(34 * one[i], many[i], 1e-4 * Math.max(1, Math.abs(many[i])));
        }
        for (float v : generate(new ElasticField(new GaussianKernel(4), 0, N, N, 3), 11)) {
            assertEquals(0f, Math.abs(v));
        }
    }

    @Test
    void defaultStepGrowsWithSigma() {
        assertEquals(1, ElasticField.defaultStep(1));
        assertEquals(1, ElasticField.defaultStep(2.6));
        assertEquals(2, ElasticField.defaultStep(3));
        assertEquals(3, ElasticField.defaultStep(4));
        assertEquals(4, ElasticField.defaultStep(6));
        assertThrows(IllegalArgumentException.class, () -> new ElasticField(new GaussianKernel(4), 1, N, N, 0));
        assertThrows(IllegalArgumentException.class, () -> new ElasticField(new GaussianKernel(4), 1, 0, N, 1));
    }
}
