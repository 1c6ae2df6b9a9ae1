package dev.lenet5.mnist.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The Simard displacement field against an independent double-precision computation from the same noise,
 * and its statistics against the theory: smoothing U(-1, 1) noise (variance 1/3) by a kernel w leaves
 * variance (1/3) sum(w^2) per axis, and neighbours correlated by about exp(-d^2 / (4 sigma^2)).
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

    /** alpha * sum_{r,c} g(y - r) g(x - c) noise(r, c), zero outside the grid: the textbook convolution. */
    private static double reference(ElasticField f, int component, double alpha, double[] g, int y, int x) {
        int radius = g.length / 2;
        double sum = 0;
        for (int r = Math.max(0, y - radius); r <= Math.min(N - 1, y + radius); r++) {
            for (int c = Math.max(0, x - radius); c <= Math.min(N - 1, x + radius); c++) {
                sum += g[y - r + radius] * g[x - c + radius] * f.noise(component, r, c);
            }
        }
        return alpha * sum;
    }

    private static float[] generate(ElasticField f, long seed) {
        float[] d = new float[2 * N * N];
        f.generate(seed, d);
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
    void noiseIsUniformOnMinusOneToOne() {
        ElasticField f = new ElasticField(new GaussianKernel(4), 1, N, N, 1);
        double sum = 0;
        double sumSq = 0;
        int n = 0;
        int[] histogram = new int[4];
        for (long seed = 0; seed < 50; seed++) {
            f.generate(seed, new float[2 * N * N]);
            for (int c = 0; c < 2; c++) {
                for (int y = 0; y < N; y++) {
                    for (int x = 0; x < N; x++) {
                        float u = f.noise(c, y, x);
                        assertTrue(u > -1f && u < 1f, "noise " + u);
                        sum += u;
                        sumSq += u * u;
                        histogram[(int) ((u + 1) * 2)]++;
                        n++;
                    }
                }
            }
        }
        assertEquals(0, sum / n, 0.01);
        assertEquals(1 / 3.0, sumSq / n, 0.01);
        for (int bin : histogram) {
            assertEquals(n / 4.0, bin, n * 0.01, "quarter histogram " + Arrays.toString(histogram));
        }
    }

    @Test
    void fullResolutionFieldIsTheGaussianSmoothedNoiseTimesAlpha() {
        double sigma = 4;
        double alpha = 34;
        ElasticField f = new ElasticField(new GaussianKernel(sigma), alpha, N, N, 1);
        double[] g = gaussian(sigma);
        for (long seed : new long[] {1, 77, -5}) {
            float[] d = generate(f, seed);
            for (int y = 0; y < N; y++) {
                for (int x = 0; x < N; x++) {
                    assertEquals(reference(f, 0, alpha, g, y, x), dx(d, y, x), 1e-4, "dx at " + x + "," + y);
                    assertEquals(reference(f, 1, alpha, g, y, x), dy(d, y, x), 1e-4, "dy at " + x + "," + y);
                }
            }
        }
    }

    @Test
    void coarseFieldIsExactOnTheNodesAndCloseBetweenThem() {
        double sigma = 4;
        double alpha = 34;
        int step = ElasticField.defaultStep(sigma);
        assertEquals(3, step);
        ElasticField f = new ElasticField(new GaussianKernel(sigma), alpha, N, N, step);
        double[] g = gaussian(sigma);
        double errSq = 0;
        double refSq = 0;
        for (long seed = 0; seed < 20; seed++) {
            float[] d = generate(f, seed);
            for (int y = 0; y < N; y++) {
                for (int x = 0; x < N; x++) {
                    double rx = reference(f, 0, alpha, g, y, x);
                    double ry = reference(f, 1, alpha, g, y, x);
                    boolean node = (y % step == 0 || y == N - 1) && (x % step == 0 || x == N - 1);
                    if (node) {
                        assertEquals(rx, dx(d, y, x), 1e-4, "dx on node " + x + "," + y);
                        assertEquals(ry, dy(d, y, x), 1e-4, "dy on node " + x + "," + y);
                    }
                    errSq += (rx - dx(d, y, x)) * (rx - dx(d, y, x)) + (ry - dy(d, y, x)) * (ry - dy(d, y, x));
                    refSq += rx * rx + ry * ry;
                }
            }
        }
        double relative = Math.sqrt(errSq / refSq);
        assertTrue(relative < 0.08, "interpolation error " + relative + " of the field's RMS");
        assertTrue(relative > 0.01, "a step-3 grid cannot be this exact: " + relative + "; are nodes used?");
    }

    @Test
    void oddStepsAndSizesPlaceTheLastNodeOnTheLastPixel() {
        // 28 with step 2: nodes 0, 2, .., 26 and 27; a 13x9 grid with step 5: rows 0, 5, 10, 12.
        GaussianKernel k = new GaussianKernel(3);
        ElasticField f = new ElasticField(k, 10, 13, 9, 5);
        float[] d = new float[2 * 13 * 9];
        f.generate(3, d);
        ElasticField exact = new ElasticField(k, 10, 13, 9, 1);
        float[] e = new float[2 * 13 * 9];
        exact.generate(3, e);
        for (int y : new int[] {0, 5, 10, 12}) {
            for (int x : new int[] {0, 5, 8}) {
                for (int c = 0; c < 2; c++) {
                    int i = y * 18 + c * 9 + x;
                    assertEquals(e[i], d[i], 1e-4, "node (" + x + ", " + y + ") component " + c);
                }
            }
        }
        ElasticField two = new ElasticField(new GaussianKernel(4), 34, N, N, 2);
        ElasticField one = new ElasticField(new GaussianKernel(4), 34, N, N, 1);
        float[] a = generate(two, 9);
        float[] b = generate(one, 9);
        for (int c = 0; c < 2; c++) {
            assertEquals(b[27 * 2 * N + c * N + 27], a[27 * 2 * N + c * N + 27], 1e-4);
            assertEquals(b[26 * 2 * N + c * N + 27], a[26 * 2 * N + c * N + 27], 1e-4);
        }
    }

    @Test
    void smoothingReducesTheVarianceByTheSumOfSquaredWeights() {
        double sigma = 4;
        double alpha = 1;
        ElasticField f = new ElasticField(new GaussianKernel(sigma), alpha, N, N, 1);
        double[] g = gaussian(sigma);
        // At the centre (13, 14) and a corner (0, 0): per axis, the sum of w^2 over the taps inside the grid.
        int[][] points = {{13, 14}, {0, 0}, {27, 13}};
        double[] sumSq = new double[points.length];
        int draws = 4000;
        for (long seed = 0; seed < draws; seed++) {
            float[] d = generate(f, seed * 7919);
            for (int p = 0; p < points.length; p++) {
                double v = dx(d, points[p][0], points[p][1]);
                double w = dy(d, points[p][0], points[p][1]);
                sumSq[p] += v * v + w * w;
            }
        }
        for (int p = 0; p < points.length; p++) {
            int y = points[p][0];
            int x = points[p][1];
            double expected = alpha * alpha / 3.0 * inGrid(g, y) * inGrid(g, x);
            double measured = sumSq[p] / (2.0 * draws);
            assertEquals(1, measured / expected, 0.08, "variance at (" + x + ", " + y + "): " + measured
                    + " expected " + expected);
        }
        // In the interior the factor is close to 1 / (4 pi sigma^2) (the continuous Gaussian).
        assertEquals(1 / (4 * Math.PI * sigma * sigma), inGrid(g, 13) * inGrid(g, 14), 2e-4);
    }

    @Test
    void neighbouringDisplacementsAreStronglyCorrelatedAndDistantOnesLess() {
        double sigma = 4;
        ElasticField f = new ElasticField(new GaussianKernel(sigma), 1, N, N, ElasticField.defaultStep(sigma));
        double[] corr = new double[9];
        double var = 0;
        int draws = 3000;
        for (long seed = 0; seed < draws; seed++) {
            float[] d = generate(f, seed);
            double a = dx(d, 14, 10);
            var += a * a;
            for (int lag = 1; lag <= 8; lag++) {
                corr[lag] += a * dx(d, 14, 10 + lag);
            }
        }
        // Separable smoothing: along a row, cov(x, x + L) / var(x) = sum_c g(x - c) g(x + L - c) / sum_c g(x - c)^2,
        // taps inside the grid; for a Gaussian far from the borders that is exp(-L^2 / (4 sigma^2)).
        double[] g = gaussian(sigma);
        int radius = g.length / 2;
        for (int lag : new int[] {1, 4, 8}) {
            double cross = 0;
            double self = 0;
            for (int c = 0; c < N; c++) {
                double a = Math.abs(10 - c) <= radius ? g[10 - c + radius] : 0;
                double b = Math.abs(10 + lag - c) <= radius ? g[10 + lag - c + radius] : 0;
                cross += a * b;
                self += a * a;
            }
            double measured = corr[lag] / var;
            assertEquals(cross / self, measured, 0.06, "lag " + lag);
            assertEquals(Math.exp(-lag * lag / (4 * sigma * sigma)), cross / self, 0.1, "lag " + lag);
        }
        // Raw noise would be uncorrelated at lag 1.
        assertTrue(corr[1] / var > 0.9);
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
        // Another instance (its own scratch) agrees.
        assertArrayEquals(a, generate(new ElasticField(new GaussianKernel(4), 34, N, N, 3), 42));
    }

    @Test
    void alphaScalesTheFieldLinearly() {
        float[] one = generate(new ElasticField(new GaussianKernel(4), 1, N, N, 3), 11);
        float[] many = generate(new ElasticField(new GaussianKernel(4), 34, N, N, 3), 11);
        for (int i = 0; i < one.length; i++) {
            assertEquals(34 * one[i], many[i], 1e-4 * Math.max(1, Math.abs(many[i])));
        }
        float[] none = generate(new ElasticField(new GaussianKernel(4), 0, N, N, 3), 11);
        for (float v : none) {
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

    /** Sum of squared weights of the taps that land inside 0..N-1 around position p. */
    private static double inGrid(double[] g, int p) {
        int radius = g.length / 2;
        double s = 0;
        for (int t = -radius; t <= radius; t++) {
            if (p + t >= 0 && p + t < N) {
                s += g[t + radius] * g[t + radius];
            }
        }
        return s;
    }
}
