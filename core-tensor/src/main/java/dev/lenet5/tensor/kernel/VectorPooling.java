package dev.lenet5.tensor.kernel;

import static dev.lenet5.tensor.kernel.VectorConstants.EVEN_HIGH;
import static dev.lenet5.tensor.kernel.VectorConstants.EVEN_LOW;
import static dev.lenet5.tensor.kernel.VectorConstants.L;
import static dev.lenet5.tensor.kernel.VectorConstants.LANE_INDEX;
import static dev.lenet5.tensor.kernel.VectorConstants.ODD_HIGH;
import static dev.lenet5.tensor.kernel.VectorConstants.ODD_LOW;
import static dev.lenet5.tensor.kernel.VectorConstants.PAIR_HIGH;
import static dev.lenet5.tensor.kernel.VectorConstants.PAIR_LOW;
import static dev.lenet5.tensor.kernel.VectorConstants.S;
import static dev.lenet5.tensor.kernel.VectorConstants.UPPER_HALF;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Max pooling: the 2x2 windows at stride 2 of LeNet in vectors, every other window through the reference.
 *
 * <p>The argmax is a float array holding each winner's index relative to its plane, so the kernel blends the
 * indices as a float vector and stores them as it stores the maxima, in one instruction. An IntVector would
 * need no conversion either, but on JDK 17 C2 binds IntVector's methods to the vector class only through
 * their own type profiles, which only this kernel would feed; without them it boxed every vector. Converting
 * float lanes to ints in a scalar loop made the forward pass a quarter to a half slower. Planes of at most
 * 2^24 elements keep every index an exact float, whatever the number of planes.
 *
 * <p>The backward pass writes every input's gradient rather than clearing dx and scattering into it: clearing
 * is a whole extra pass over dx (2.3 MB for LeNet's first pooling at batch 120), and the scatter's stores go
 * to loaded indices. Without either it is the forward's loop run the other way. An output row's L gradients
 * and winners are each copied onto the two lanes of their window's columns by a single-vector shuffle and
 * compared with those lanes' own positions, so an input takes its window's gradient where it is the winner and
 * 0 elsewhere, and both input rows under the L windows are stored whole. That takes four shuffles per L
 * windows; making the four places' gradients first and interleaving them back would take eight and two
 * blends. Stores run forward through dx, planes and rows in order, so what a short row's extra lanes write on
 * the next rows is overwritten later, as in the forward pass; the column and row no window covers (W or H
 * odd) are cleared after the stores that can reach them.
 */
final class VectorPooling {

    private VectorPooling() {
    }

    /**
     * LeNet's 2x2 windows at stride 2 are vectorised along each output row: two vectors of an input row
     * hold L windows' left and right columns interleaved, which lane shuffles separate (single-vector
     * shuffles and a blend: JDK 17 does not compile the two-vector form, nor gathers, to vector code).
     * Then the reference's comparisons in its order, as lane masks, so maxima, argmax, ties and NaN are
     * identical. A row shorter than a vector (LeNet's 14 and 5) is stored whole, its extra lanes landing
     * on the following rows, which are written afterwards; where that or a read would leave the arrays or
     * the output, a window at a time. This replaced unpredictable branches, which cost more than the rest
     * of the pooling. Other windows use the reference.
     */
    static void maxPoolForward(int planes, int height, int width, int kernel, int stride,
                               float[] x, int xOff, float[] y, int yOff, float[] argmax, int argOff) {
        ScalarKernels.requirePoolPlane(height, width);
        if (kernel != 2 || stride != 2) {
            ScalarKernels.INSTANCE.maxPoolForward(planes, height, width, kernel, stride, x, xOff, y, yOff, argmax, argOff);
            return;
        }
        maxPool2x2(planes, height, width, x, xOff, y, yOff, argmax, argOff);
    }

    // x: (planes, H, W) → y, argmax: (planes, H/2, W/2); one loop nest, so the shuffles and masks stay in registers
    static void maxPool2x2(int planes, int height, int width, float[] x, int xOff,
                           float[] y, int yOff, float[] argmax, int argOff) {
        int oh = height / 2;
        int ow = width / 2;
        int outEnd = planes * oh * ow;   // relative to yOff and argOff
        for (int p = 0; p < planes; p++) {
            int plane = p * height * width;   // relative to xOff
            for (int oy = 0; oy < oh; oy++) {
                int top = 2 * oy * width;     // relative to the plane
                int out = (p * oh + oy) * ow;
                for (int ox = 0; ox < ow; ox += L) {
                    int at = ow >= L ? Math.min(ox, ow - L) : 0;
                    int t = top + 2 * at;
                    int i = xOff + plane + t;
                    if (i + width + 2 * L > x.length || out + at + L > outEnd) {
                        for (int o = at; o < Math.min(ow, at + L); o++) {
                            maxPool2x2Window(x, xOff + plane, top + 2 * o, width, y, yOff + out + o, argmax, argOff + out + o);
                        }
                        continue;
                    }
                    // y[j], argmax[j] for the L windows at x[i + 2j]: de-interleave their columns
                    FloatVector lo = FloatVector.fromArray(S, x, i);
                    FloatVector hi = FloatVector.fromArray(S, x, i + L);
                    FloatVector p00 = lo.rearrange(EVEN_LOW).blend(hi.rearrange(EVEN_HIGH), UPPER_HALF);
                    FloatVector p01 = lo.rearrange(ODD_LOW).blend(hi.rearrange(ODD_HIGH), UPPER_HALF);
                    lo = FloatVector.fromArray(S, x, i + width);
                    hi = FloatVector.fromArray(S, x, i + width + L);
                    FloatVector p10 = lo.rearrange(EVEN_LOW).blend(hi.rearrange(EVEN_HIGH), UPPER_HALF);
                    FloatVector p11 = lo.rearrange(ODD_LOW).blend(hi.rearrange(ODD_HIGH), UPPER_HALF);
                    // window order (0,0), (0,1), (1,0), (1,1); take v when v > max, or v is NaN and max is not
                    // (NaN tested as x != x: test(IS_NAN) and andNot are not compiled to vector code on JDK 17)
                    FloatVector max = p00;
                    // the winner's index in the plane: t + 2j for the window of lane j, plus its offset in it
                    // (integers below 2^24, so every add is exact)
                    FloatVector lane = FloatVector.fromArray(S, LANE_INDEX, 0);
                    FloatVector left = lane.add(lane).add(FloatVector.broadcast(S, (float) t));
                    FloatVector index = left;
                    VectorMask<Float> take = p01.compare(VectorOperators.GT, max)
                            .or(p01.compare(VectorOperators.NE, p01).and(max.compare(VectorOperators.EQ, max)));
                    max = max.blend(p01, take);
                    index = index.blend(left.add(FloatVector.broadcast(S, 1f)), take);
                    take = p10.compare(VectorOperators.GT, max)
                            .or(p10.compare(VectorOperators.NE, p10).and(max.compare(VectorOperators.EQ, max)));
                    max = max.blend(p10, take);
                    index = index.blend(left.add(FloatVector.broadcast(S, (float) width)), take);
                    take = p11.compare(VectorOperators.GT, max)
                            .or(p11.compare(VectorOperators.NE, p11).and(max.compare(VectorOperators.EQ, max)));
                    max = max.blend(p11, take);
                    index = index.blend(left.add(FloatVector.broadcast(S, (float) (width + 1))), take);
                    // lanes past the row's end hold the next rows' windows, or a value those rows overwrite
                    max.intoArray(y, yOff + out + at);
                    index.intoArray(argmax, argOff + out + at);
                }
            }
        }
    }

    // one 2x2 window at x[planeStart + i] (i relative to the plane), compared as the reference does
    private static void maxPool2x2Window(float[] x, int planeStart, int i, int width,
                                         float[] y, int yi, float[] argmax, int ai) {
        float max = x[planeStart + i];
        int best = i;
        float v = x[planeStart + i + 1];
        if (v > max || (v != v && max == max)) {
            max = v;
            best = i + 1;
        }
        v = x[planeStart + i + width];
        if (v > max || (v != v && max == max)) {
            max = v;
            best = i + width;
        }
        v = x[planeStart + i + width + 1];
        if (v > max || (v != v && max == max)) {
            max = v;
            best = i + width + 1;
        }
        y[yi] = max;
        argmax[ai] = best;
    }

    /**
     * LeNet's 2x2 windows at stride 2 write their input gradient along each output row, as the forward pass
     * reads it, instead of clearing dx and scattering into it: an input belongs to exactly one window, so it
     * receives that window's gradient or 0, and each of dx's elements is stored once, with no separate pass to
     * clear it. Other windows use the reference.
     */
    static void maxPoolBackward(int planes, int height, int width, int kernel, int stride, float[] dy, int dyOff,
                                float[] argmax, int argOff, float[] dx, int dxOff) {
        ScalarKernels.requirePoolPlane(height, width);
        if (kernel != 2 || stride != 2) {
            ScalarKernels.INSTANCE.maxPoolBackward(planes, height, width, kernel, stride, dy, dyOff, argmax, argOff,
                    dx, dxOff);
            return;
        }
        maxUnpool2x2(planes, height, width, dy, dyOff, argmax, argOff, dx, dxOff);
    }

    /*
     * Naive form, the reference's for these windows:
     *   dx[plane] = 0; for every output o of the plane: dx[plane + argmax[o]] += dy[o]
     */
    // dy, argmax: (planes, H/2, W/2) → dx: (planes, H, W), every element written, in order of position
    static void maxUnpool2x2(int planes, int height, int width, float[] dy, int dyOff,
                             float[] argmax, int argOff, float[] dx, int dxOff) {
        int oh = height / 2;
        int ow = width / 2;
        int outEnd = planes * oh * ow;         // relative to dyOff and argOff
        for (int p = 0; p < planes; p++) {
            int plane = p * height * width;   // relative to dxOff
            for (int oy = 0; oy < oh; oy++) {
                int top = 2 * oy * width;     // relative to the plane
                int out = (p * oh + oy) * ow;
                for (int ox = 0; ox < ow; ox += L) {
                    int at = ow >= L ? Math.min(ox, ow - L) : 0;
                    int t = top + 2 * at;
                    // Only L outputs must be left to read: the last of them has its bottom right input at or
                    // after the last element stored (windows advance by at least 2 inputs), so stores stay
                    // inside the region as well.
                    if (out + at + L > outEnd) {
                        for (int o = at; o < Math.min(ow, at + L); o++) {
                            maxUnpool2x2Window(dy, dyOff + out + o, argmax, argOff + out + o,
                                    dx, dxOff + plane, top + 2 * o, width);
                        }
                        continue;
                    }
                    int i = dxOff + plane + t;
                    // An input row's two vectors under L windows at t: lane k of the first is the input at t + k, in
                    // window k/2, of the second the one at t + L + k, in window L/2 + k/2; the row below, plus W.
                    // (Made here, not once before the loops: on JDK 17 C2 boxes a vector that is live across a
                    // call, such as the window's or Arrays.fill, and that cost 80 bytes per call.)
                    FloatVector zero = FloatVector.zero(S);
                    FloatVector topLow = FloatVector.fromArray(S, LANE_INDEX, 0);
                    FloatVector topHigh = topLow.add(FloatVector.broadcast(S, (float) L));
                    FloatVector bottomLow = topLow.add(FloatVector.broadcast(S, (float) width));
                    FloatVector bottomHigh = topHigh.add(FloatVector.broadcast(S, (float) width));
                    // 0 + dy, as the reference adds it to a cleared input: a gradient of -0 becomes +0
                    FloatVector g = FloatVector.fromArray(S, dy, dyOff + out + at).add(zero);
                    // the winners relative to t (exact: integers below 2^24), each window's on both lanes of its
                    // columns, so that a lane's input takes its window's gradient where it is the winner
                    FloatVector winner = FloatVector.fromArray(S, argmax, argOff + out + at)
                            .sub(FloatVector.broadcast(S, (float) t));
                    FloatVector gLow = g.rearrange(PAIR_LOW);
                    FloatVector gHigh = g.rearrange(PAIR_HIGH);
                    FloatVector wLow = winner.rearrange(PAIR_LOW);
                    FloatVector wHigh = winner.rearrange(PAIR_HIGH);
                    // In a row shorter than a vector, lanes past its end land on its uncovered column and on the
                    // next rows or plane, all written after this.
                    zero.blend(gLow, wLow.compare(VectorOperators.EQ, topLow)).intoArray(dx, i);
                    zero.blend(gHigh, wHigh.compare(VectorOperators.EQ, topHigh)).intoArray(dx, i + L);
                    zero.blend(gLow, wLow.compare(VectorOperators.EQ, bottomLow)).intoArray(dx, i + width);
                    zero.blend(gHigh, wHigh.compare(VectorOperators.EQ, bottomHigh)).intoArray(dx, i + width + L);
                }
                if ((width & 1) != 0) {   // the last column, in no window
                    dx[dxOff + plane + top + width - 1] = 0f;
                    dx[dxOff + plane + top + 2 * width - 1] = 0f;
                }
            }
            if ((height & 1) != 0) {      // the last row, in no window
                int last = dxOff + plane + (height - 1) * width;
                Arrays.fill(dx, last, last + width, 0f);
            }
        }
    }

    // one 2x2 window at dx[planeStart + i] (i relative to the plane): its four inputs
    private static void maxUnpool2x2Window(float[] dy, int dyi, float[] argmax, int ai,
                                           float[] dx, int planeStart, int i, int width) {
        float g = 0f + dy[dyi];
        float winner = argmax[ai];
        dx[planeStart + i] = winner == i ? g : 0f;
        dx[planeStart + i + 1] = winner == i + 1 ? g : 0f;
        dx[planeStart + i + width] = winner == i + width ? g : 0f;
        dx[planeStart + i + width + 1] = winner == i + width + 1 ? g : 0f;
    }
}
