package dev.lenet5.tensor.kernel;

import static dev.lenet5.tensor.kernel.VectorConstants.L;
import static dev.lenet5.tensor.kernel.VectorConstants.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The kernels that walk one run of floats (or each row of a matrix) element by element: copies, bias, ReLU,
 * sums, dot, axpy, scaling and Adam, plus the run primitives the other vector classes build on. Each is a
 * {@code loopBound} vector body and a scalar tail. Where the reference does the same IEEE operations per
 * element (no FMA), the results equal {@link ScalarKernels}' bit for bit; sum and dot reorder the additions
 * and are documented to one fixed order.
 *
 * <p>Every loop is chosen per case before it starts (ReLU or not, beta 0 or 1), never by a branch inside it:
 * see {@link VectorKernels} on why a vector must not meet another value at a join.
 */
final class VectorElementwise {

    private VectorElementwise() {
    }

    // ---------------------------------------------------------------- runs

    // dst[d : d+n] = src[s : s+n]
    static void copyRun(int n, float[] src, int s, float[] dst, int d) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, src, s + i).intoArray(dst, d + i);
        }
        for (; i < n; i++) {
            dst[d + i] = src[s + i];
        }
    }

    // y[yi : yi+n] += x[xi : xi+n]
    static void addRun(int n, float[] x, int xi, float[] y, int yi) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, y, yi + i).add(FloatVector.fromArray(S, x, xi + i)).intoArray(y, yi + i);
        }
        for (; i < n; i++) {
            y[yi + i] += x[xi + i];
        }
    }

    // x[xi : xi+n] = 0
    static void zeroRun(int n, float[] x, int xi) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.zero(S).intoArray(x, xi + i);
        }
        for (; i < n; i++) {
            x[xi + i] = 0f;
        }
    }

    // x[xi : xi+n] *= alpha
    static void scaleRun(int n, float alpha, float[] x, int xi) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xi + i).mul(alpha).intoArray(x, xi + i);
        }
        for (; i < n; i++) {
            x[xi + i] *= alpha;
        }
    }

    // ---------------------------------------------------------------- bias, activation

    static void addRowBias(int rows, int cols, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        // c: (rows, cols) += bias (rows) broadcast along each row
        for (int i = 0; i < rows; i++) {
            float b = bias[biasOff + i];
            int row = cOff + i * ldc;
            int j = 0;
            for (int bound = S.loopBound(cols); j < bound; j += L) {
                FloatVector.fromArray(S, c, row + j).add(b).intoArray(c, row + j);
            }
            for (; j < cols; j++) {
                c[row + j] += b;
            }
        }
    }

    static void addColumnBias(int rows, int cols, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        // c: (rows, cols) += bias (cols) on every row
        for (int i = 0; i < rows; i++) {
            addRun(cols, bias, biasOff, c, cOff + i * ldc);
        }
    }

    static void reluForward(int n, float[] x, int xOff, float[] y, int yOff) {
        // y (n) = max(x, 0); "x <= 0" is false for NaN, so NaN passes through as in the reference
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            v.blend(FloatVector.zero(S), v.compare(VectorOperators.LE, 0f)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            float v = x[xOff + i];
            y[yOff + i] = v > 0f || v != v ? v : 0f;
        }
    }

    static void reluBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        // dx (n) = y > 0 ? dy : 0
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMask<Float> positive = FloatVector.fromArray(S, y, yOff + i).compare(VectorOperators.GT, 0f);
            FloatVector.zero(S).blend(FloatVector.fromArray(S, dy, dyOff + i), positive).intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) {
            dx[dxOff + i] = y[yOff + i] > 0f ? dy[dyOff + i] : 0f;
        }
    }

    // ---------------------------------------------------------------- softmax, reductions

    /**
     * Scalar on purpose: LeNet's rows are 10 wide (one partial vector), and the reference's
     * {@code Math.exp} keeps both implementations' probabilities identical.
     */
    static void softmaxRows(int rows, int cols, float[] x, int xOff, float[] y, int yOff, int ld) {
        ScalarKernels.INSTANCE.softmaxRows(rows, cols, x, xOff, y, yOff, ld);
    }

    static void sumRows(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff, float[] lanes) {
        // out (rows) += sum over j of x (rows, cols)
        for (int i = 0; i < rows; i++) {
            out[outOff + i] += sum(cols, x, xOff + i * ldx, lanes);
        }
    }

    static void sumColumns(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff) {
        // out (cols) += sum over i of x (rows, cols), row by row: the reference's order, so identical sums
        for (int i = 0; i < rows; i++) {
            addRun(cols, x, xOff + i * ldx, out, outOff);
        }
    }

    static float sum(int n, float[] x, int xOff, float[] lanes) {
        // sum of x (n): 4 accumulators, then a scalar tail; n == 0 creates no vector (see VectorWarmUp)
        if (n <= 0) {
            return 0f;
        }
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S), s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
        int i = 0;
        // The loaded vector is the receiver, not the accumulator: C2 knows a loaded vector's exact class, and an
        // accumulator's only from the profile, which a cold loop may lack (then the add is a call, and boxes).
        for (int bound = n - 4 * L; i <= bound; i += 4 * L) {
            s0 = FloatVector.fromArray(S, x, xOff + i).add(s0);
            s1 = FloatVector.fromArray(S, x, xOff + i + L).add(s1);
            s2 = FloatVector.fromArray(S, x, xOff + i + 2 * L).add(s2);
            s3 = FloatVector.fromArray(S, x, xOff + i + 3 * L).add(s3);
        }
        for (int bound = S.loopBound(n); i < bound; i += L) {
            s0 = FloatVector.fromArray(S, x, xOff + i).add(s0);
        }
        // The four accumulators lane by lane as (s0 + s1) + (s2 + s3), then the lanes first to last, through lanes
        // (at least 4 L floats, scratch). Not reduceLanes(ADD): its order is unspecified, and the compiled intrinsic
        // and the interpreted fallback add in different orders, so a result would depend on how far the JIT had got,
        // and a resumed run would not reproduce an uninterrupted one bit for bit. Not lane(j) either: where C2 does
        // not unroll the loop, a lane at a variable index boxes the vector. No add on the accumulators: their exact
        // class comes only from the profile (stores are hot in every kernel; adds on accumulators are not).
        s0.intoArray(lanes, 0);
        s1.intoArray(lanes, L);
        s2.intoArray(lanes, 2 * L);
        s3.intoArray(lanes, 3 * L);
        float s = addLanes(lanes);
        for (; i < n; i++) {
            s += x[xOff + i];
        }
        return s;
    }

    /** Four vectors' lanes stored one after another, added lane by lane as (s0 + s1) + (s2 + s3), first lane first. */
    private static float addLanes(float[] lanes) {
        float s = 0f;
        for (int j = 0; j < L; j++) {
            s += (lanes[j] + lanes[L + j]) + (lanes[2 * L + j] + lanes[3 * L + j]);
        }
        return s;
    }

    static float dot(int n, float[] x, int xOff, float[] y, int yOff, float[] lanes) {
        // x (n) . y (n): 4 FMA accumulators, then a scalar tail; n == 0 creates no vector (see VectorWarmUp)
        if (n <= 0) {
            return 0f;
        }
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S), s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
        int i = 0;
        for (int bound = n - 4 * L; i <= bound; i += 4 * L) {
            s0 = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), s0);
            s1 = FloatVector.fromArray(S, x, xOff + i + L).fma(FloatVector.fromArray(S, y, yOff + i + L), s1);
            s2 = FloatVector.fromArray(S, x, xOff + i + 2 * L).fma(FloatVector.fromArray(S, y, yOff + i + 2 * L), s2);
            s3 = FloatVector.fromArray(S, x, xOff + i + 3 * L).fma(FloatVector.fromArray(S, y, yOff + i + 3 * L), s3);
        }
        for (int bound = S.loopBound(n); i < bound; i += L) {
            s0 = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), s0);
        }
        // The lanes in the same fixed order as sum's (see there for why).
        s0.intoArray(lanes, 0);
        s1.intoArray(lanes, L);
        s2.intoArray(lanes, 2 * L);
        s3.intoArray(lanes, 3 * L);
        float s = addLanes(lanes);
        for (; i < n; i++) {
            s += x[xOff + i] * y[yOff + i];
        }
        return s;
    }

    // ---------------------------------------------------------------- vector updates

    static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        // y (n) += alpha * x, as a multiply then an add (no FMA) so results equal the reference bit for bit
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).mul(alpha).add(FloatVector.fromArray(S, y, yOff + i))
                    .intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    static void scale(int n, float alpha, float[] x, int xOff) {
        // x (n) *= alpha
        scaleRun(n, alpha, x, xOff);
    }

    static void adamUpdate(int n, float[] p, int pOff, float[] g, int gOff, float[] m, float[] v,
                           float beta1, float beta2, float stepSize, float bc2Sqrt, float eps) {
        // p, m, v (n) updated in the reference's order of IEEE operations (no FMA), so bit for bit equal
        float oneMinusBeta1 = 1f - beta1;
        float oneMinusBeta2 = 1f - beta2;
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            int j = pOff + i;
            FloatVector gi = FloatVector.fromArray(S, g, gOff + i);
            FloatVector mi = FloatVector.fromArray(S, m, j).mul(beta1).add(gi.mul(oneMinusBeta1));
            FloatVector vi = FloatVector.fromArray(S, v, j).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
            mi.intoArray(m, j);
            vi.intoArray(v, j);
            FloatVector denominator = vi.sqrt().div(bc2Sqrt).add(eps);
            FloatVector.fromArray(S, p, j).sub(mi.mul(stepSize).div(denominator)).intoArray(p, j);
        }
        for (; i < n; i++) {
            float gi = g[gOff + i];
            int j = pOff + i;
            m[j] = beta1 * m[j] + oneMinusBeta1 * gi;
            v[j] = beta2 * v[j] + oneMinusBeta2 * gi * gi;
            p[j] -= stepSize * m[j] / ((float) Math.sqrt(v[j]) / bc2Sqrt + eps);
        }
    }
}
