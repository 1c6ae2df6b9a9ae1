package dev.lenet5.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every non-GEMM SIMD kernel, at this JVM's vector width (see {@link SimdVariants}), against the scalar
 * reference on lengths that leave every possible tail (1, primes, one more and one less than the vector sizes,
 * long runs) and at unaligned offsets.
 * Kernels doing the same IEEE operations per element must agree bit for bit; reductions, which sum in a
 * different order, within {@code 2 (n + 1) u sum|x|}.
 */
class SimdOpsTest {

    private static final int[] LENGTHS = {1, 2, 3, 7, 13, 15, 16, 17, 31, 33, 63, 64, 65, 127, 257, 1000};
    private static final ScalarKernels REF = ScalarKernels.INSTANCE;
    private static final AtomicBoolean SIMD_RAN = new AtomicBoolean();

    private static float[] random(int n, Random random) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = 2 * random.nextFloat() - 1;
        }
        return x;
    }

    @AfterAll
    static void simdRanWhereAvailable() {
        SimdVariants.assertRanWhereAvailable(SIMD_RAN.get());
    }

    /**
     * sum and dot add in one documented order (4 vector accumulators, their lanes first to last, then the
     * tail), whatever the JIT has done: otherwise a result depends on how far compilation had got, and a
     * resumed training run does not reproduce an uninterrupted one. The values span eight orders of magnitude,
     * so any other order of adds changes the float result.
     */
    @Test
    void sumAndDotAddInTheirDocumentedOrderBeforeAndAfterCompilation() {
        TensorKernels simd = SimdVariants.kernels();
        int bits = simd.vectorBitSize();
        int lanes = bits / 32;
        Random r = new Random(bits + 17);
        for (int n : new int[] {4 * lanes - 1, 9 * lanes + 5, 1007}) {
            float[] x = new float[n];
            float[] y = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (float) ((r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(9) - 3));
                y[i] = (float) ((r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(5) - 2));
            }
            float sum = inOrder(x, null, lanes);
            float dot = inOrder(x, y, lanes);
            // 20,000 calls: the first run interpreted or in C1, the last in C2's code
            for (int k = 0; k < 20_000; k++) {
                float s = simd.sum(n, x, 0);
                float d = simd.dot(n, x, 0, y, 0);
                if (s != sum || d != dot) {
                    assertEquals(sum, s, "sum n=" + n + " call " + k);
                    assertEquals(dot, d, "dot n=" + n + " call " + k);
                }
            }
        }
    }

    /** The kernels' order written out lane by lane: sum of x, or dot of x and y when y is not null. */
    private static float inOrder(float[] x, float[] y, int lanes) {
        int n = x.length;
        float[][] acc = new float[4][lanes];
        int i = 0;
        for (; i + 4 * lanes <= n; i += 4 * lanes) {
            for (int a = 0; a < 4; a++) {
                for (int j = 0; j < lanes; j++) {
                    int at = i + a * lanes + j;
                    acc[a][j] = y == null ? acc[a][j] + x[at] : Math.fma(x[at], y[at], acc[a][j]);
                }
            }
        }
        for (; i + lanes <= n; i += lanes) {
            for (int j = 0; j < lanes; j++) {
                acc[0][j] = y == null ? acc[0][j] + x[i + j] : Math.fma(x[i + j], y[i + j], acc[0][j]);
            }
        }
        float s = 0;
        for (int j = 0; j < lanes; j++) {
            s += (acc[0][j] + acc[1][j]) + (acc[2][j] + acc[3][j]);
        }
        for (; i < n; i++) {
            s += y == null ? x[i] : x[i] * y[i];
        }
        return s;
    }

    @Test
    void elementwiseKernelsEqualScalarBitForBit() {
        TensorKernels simd = SimdVariants.kernels();
        int bits = simd.vectorBitSize();
        Random r = new Random(bits);
        for (int n : LENGTHS) {
            String at = simd.name() + " n=" + n;
            float[] x = random(n + 3, r);
            x[3 + n / 2] = Float.NaN;    // NaN inside the vector body for long rows, in the tail for short
            x[3 + n - 1] = -0f;
            float[] y1 = random(n + 5, r);
            float[] y2 = y1.clone();
            REF.reluForward(n, x, 3, y1, 5);
            simd.reluForward(n, x, 3, y2, 5);
            assertArrayEquals(y1, y2, "reluForward " + at);

            float[] dy = random(n + 1, r);
            float[] d1 = random(n + 2, r);
            float[] d2 = d1.clone();
            REF.reluBackward(n, x, 3, dy, 1, d1, 2);
            simd.reluBackward(n, x, 3, dy, 1, d2, 2);
            assertArrayEquals(d1, d2, "reluBackward " + at);

            float[] a1 = random(n + 4, r);
            float[] a2 = a1.clone();
            REF.axpy(n, -1.7f, y1, 5, a1, 4);
            simd.axpy(n, -1.7f, y1, 5, a2, 4);
            assertArrayEquals(a1, a2, "axpy " + at);

            REF.scale(n, 0.3f, a1, 1);
            simd.scale(n, 0.3f, a2, 1);
            assertArrayEquals(a1, a2, "scale " + at);

            float[] g = random(n + 2, r);
            float[] p1 = random(n + 1, r);
            float[] m1 = random(n + 1, r);
            float[] v1 = random(n + 1, r);
            for (int i = 0; i < v1.length; i++) {
                v1[i] = Math.abs(v1[i]);
            }
            float[] p2 = p1.clone();
            float[] m2 = m1.clone();
            float[] v2 = v1.clone();
            REF.adamUpdate(n, p1, 1, g, 2, m1, v1, 0.9f, 0.999f, 0.01f, 0.03f, 1e-8f);
            simd.adamUpdate(n, p2, 1, g, 2, m2, v2, 0.9f, 0.999f, 0.01f, 0.03f, 1e-8f);
            assertArrayEquals(p1, p2, "adam p " + at);
            assertArrayEquals(m1, m2, "adam m " + at);
            assertArrayEquals(v1, v2, "adam v " + at);
        }
        SIMD_RAN.set(true);
    }

    @Test
    void matrixKernelsEqualScalarBitForBit() {
        TensorKernels simd = SimdVariants.kernels();
        int bits = simd.vectorBitSize();
        Random r = new Random(100 + bits);
        for (int cols : LENGTHS) {
            int rows = 3 + cols % 5;
            int ld = cols + 3;
            String at = simd.name() + " " + rows + "x" + cols;
            float[] bias = random(Math.max(rows, cols) + 2, r);
            float[] c1 = random(2 + rows * ld, r);
            float[] c2 = c1.clone();
            REF.addRowBias(rows, cols, bias, 2, c1, 2, ld);
            simd.addRowBias(rows, cols, bias, 2, c2, 2, ld);
            assertArrayEquals(c1, c2, "addRowBias " + at);
            REF.addColumnBias(rows, cols, bias, 1, c1, 2, ld);
            simd.addColumnBias(rows, cols, bias, 1, c2, 2, ld);
            assertArrayEquals(c1, c2, "addColumnBias " + at);

            float[] s1 = random(cols + 1, r);
            float[] s2 = s1.clone();
            REF.sumColumns(rows, cols, c1, 2, ld, s1, 1);
            simd.sumColumns(rows, cols, c1, 2, ld, s2, 1);
            assertArrayEquals(s1, s2, "sumColumns " + at);

            float[] y1 = new float[rows * ld];
            float[] y2 = new float[rows * ld];
            REF.softmaxRows(rows, cols, c1, 2, y1, 0, ld);
            simd.softmaxRows(rows, cols, c1, 2, y2, 0, ld);
            assertArrayEquals(y1, y2, "softmaxRows " + at);
        }
        SIMD_RAN.set(true);
    }

    /**
     * Pooling: LeNet's 2x2/2 on 28x28 and 10x10 planes, odd planes, rows of exactly one and two vectors and just
     * over, single-window rows, overlapping windows; outputs at an offset and at the arrays' very ends (where the
     * vector loop must fall back to one window at a time) or with room behind them (which must stay untouched).
     * Few distinct values, signed zeros and NaNs, so ties and the NaN rules decide most windows.
     */
    @Test
    void maxPoolEqualsScalarBitForBit() {
        TensorKernels simd = SimdVariants.kernels();
        int lanes = simd.vectorBitSize() / 32;
        Random r = new Random(300 + lanes);
        // Planes of 196, 25, 17 (4 + 13 in the last, shifted-back vector at 16 lanes) and 12 outputs.
        int[][] pools = {{6, 28, 28, 2, 2}, {16, 10, 10, 2, 2}, {2, 2, 35, 2, 2}, {3, 7, 9, 2, 2}, {3, 7, 9, 3, 2},
            {2, 5, 5, 2, 1}, {5, 6, 2 * lanes, 2, 2}, {4, 5, 2 * lanes + 2, 2, 2}, {3, 4, 4 * lanes - 2, 2, 2},
            {2, 3, 4 * lanes + 1, 2, 2}, {7, 2, 2, 2, 2}, {1, 2, 3, 2, 2}};
        for (int[] q : pools) {
            int planes = q[0];
            int h = q[1];
            int w = q[2];
            int k = q[3];
            int s = q[4];
            int outs = planes * ((h - k) / s + 1) * ((w - k) / s + 1);
            for (int room : new int[] {0, 2 * lanes + 1}) {
                String at = simd.name() + " " + planes + "x" + h + "x" + w + " " + k + "/" + s + " room " + room;
                float[] x = new float[1 + planes * h * w + room];
                for (int i = 0; i < x.length; i++) {
                    x[i] = r.nextInt(20) == 0 ? Float.NaN : r.nextInt(8) == 0 ? -0f : r.nextInt(3);
                }
                float[] y1 = random(3 + outs + room, r);
                float[] y2 = y1.clone();
                float[] i1 = random(2 + outs + room, r);
                float[] i2 = i1.clone();
                REF.maxPoolForward(planes, h, w, k, s, x, 1, y1, 3, i1, 2);
                simd.maxPoolForward(planes, h, w, k, s, x, 1, y2, 3, i2, 2);
                assertArrayEquals(y1, y2, "maxPoolForward " + at);
                assertArrayEquals(i1, i2, "maxPool argmax " + at);
                float[] dy = random(outs + 1, r);
                float[] dx1 = random(planes * h * w + 2, r);
                float[] dx2 = dx1.clone();
                int outPlane = outs / planes;
                REF.maxPoolBackward(planes, outPlane, h * w, dy, 1, i1, 2, dx1, 2);
                simd.maxPoolBackward(planes, outPlane, h * w, dy, 1, i2, 2, dx2, 2);
                assertArrayEquals(dx1, dx2, "maxPoolBackward " + at);
            }
        }
        SIMD_RAN.set(true);
    }

    /**
     * Two planes of the largest size allowed, 2^23 elements each, whose winners' indices reach 2^23 - 1 in each
     * plane (counted from the batch's start, the second plane's plus 2^23 would pass 2^24 and round).
     */
    @Test
    void maxPoolIndicesAreExactInTheLargestPlanes() {
        TensorKernels simd = SimdVariants.kernels();
        int lanes = simd.vectorBitSize() / 32;
        Random r = new Random(400 + lanes);
        int h = 2;
        int w = 1 << 22;
        int plane = h * w;
        float[] x = new float[1 + 2 * plane];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(4);
        }
        int outs = 2 * (w / 2);
        float[] y1 = new float[outs];
        float[] y2 = new float[outs];
        float[] i1 = new float[outs];
        float[] i2 = new float[outs];
        REF.maxPoolForward(2, h, w, 2, 2, x, 1, y1, 0, i1, 0);
        simd.maxPoolForward(2, h, w, 2, 2, x, 1, y2, 0, i2, 0);
        assertArrayEquals(y1, y2, "maxPoolForward " + simd.name());
        assertArrayEquals(i1, i2, "maxPool argmax " + simd.name());
        SIMD_RAN.set(true);
    }

    @Test
    void maxPoolRefusesPlanesWhoseIndicesAFloatCannotHold() {
        TensorKernels simd = SimdVariants.kernels();
        float[] none = new float[0];
        for (int k : new int[] {2, 3}) {   // the vector loop's windows and the others
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> simd.maxPoolForward(1, 2049, 4096, k, 2, none, 0, none, 0, none, 0));
            assertTrue(e.getMessage().contains("2049x4096") && e.getMessage().contains("2^23"), e.getMessage());
        }
        SIMD_RAN.set(true);
    }

    @Test
    void reductionsMatchScalarWithinRounding() {
        TensorKernels simd = SimdVariants.kernels();
        int bits = simd.vectorBitSize();
        Random r = new Random(200 + bits);
        for (int n : LENGTHS) {
            String at = simd.name() + " n=" + n;
            float[] x = random(n + 3, r);
            float[] y = random(n + 1, r);
            double absX = 0;
            double absXY = 0;
            for (int i = 0; i < n; i++) {
                absX += Math.abs(x[3 + i]);
                absXY += Math.abs((double) x[3 + i] * y[1 + i]);
            }
            // Both sums err by at most (n + 1) u sum|terms| against the exact value.
            assertEquals(REF.sum(n, x, 3), simd.sum(n, x, 3), 2 * (n + 1) * GemmCase.U * absX, "sum " + at);
            assertEquals(REF.dot(n, x, 3, y, 1), simd.dot(n, x, 3, y, 1), 2 * (n + 1) * GemmCase.U * absXY, "dot " + at);

            int rows = 4;
            float[] m = random(rows * (n + 2), r);
            float[] o1 = random(rows + 1, r);
            float[] o2 = o1.clone();
            REF.sumRows(rows, n, m, 0, n + 2, o1, 1);
            simd.sumRows(rows, n, m, 0, n + 2, o2, 1);
            assertEquals(o1[0], o2[0], "sumRows must not touch out before its offset");
            for (int i = 1; i <= rows; i++) {
                assertEquals(o1[i], o2[i], 2 * (n + 2) * GemmCase.U * (n + Math.abs(o1[i])), "sumRows " + at);
            }
        }
        SIMD_RAN.set(true);
    }
}
