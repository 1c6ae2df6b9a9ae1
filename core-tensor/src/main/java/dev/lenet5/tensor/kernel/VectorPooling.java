package dev.lenet5.tensor.kernel;

import static dev.lenet5.tensor.kernel.VectorConstants.EVEN_HIGH;
import static dev.lenet5.tensor.kernel.VectorConstants.EVEN_LOW;
import static dev.lenet5.tensor.kernel.VectorConstants.L;
import static dev.lenet5.tensor.kernel.VectorConstants.LANE_INDEX;
import static dev.lenet5.tensor.kernel.VectorConstants.ODD_HIGH;
import static dev.lenet5.tensor.kernel.VectorConstants.ODD_LOW;
import static dev.lenet5.tensor.kernel.VectorConstants.S;
import static dev.lenet5.tensor.kernel.VectorConstants.UPPER_HALF;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Max pooling: the 2x2 windows at stride 2 of LeNet in vectors, every other window through the reference.
 *
 * <p>The argmax is a float array holding 2^23 plus each winner's index relative to its plane, so the kernel
 * blends the indices as a float vector and stores them as it stores the maxima, in one instruction. An IntVector would
 * need no conversion either, but on JDK 17 C2 binds IntVector's methods to the vector class only through
 * their own type profiles, which only this kernel would feed; without them it boxed every vector. Converting
 * float lanes to ints in a scalar loop made the forward pass a quarter to a half slower. Planes of at most
 * 2^23 elements keep every 2^23 + index an exact float, whatever the number of planes, whose bits are the
 * index plus a constant; the backward pass is a scatter through those bits, the reference's.
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
                    // the winner's index in the plane, t + 2j for the window of lane j plus its offset in it,
                    // recorded as 2^23 + index (integers below 2^24, so every add is exact)
                    FloatVector lane = FloatVector.fromArray(S, LANE_INDEX, 0);
                    FloatVector left = lane.add(lane).add(FloatVector.broadcast(S, TensorKernels.argmaxOf(t)));
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
        argmax[ai] = TensorKernels.argmaxOf(best);
    }

    /** A scatter through argmax: nothing for vectors to gain. */
    static void maxPoolBackward(int planes, int outPlaneSize, int inPlaneSize, float[] dy, int dyOff,
                                float[] argmax, int argOff, float[] dx, int dxOff) {
        ScalarKernels.INSTANCE.maxPoolBackward(planes, outPlaneSize, inPlaneSize, dy, dyOff, argmax, argOff, dx, dxOff);
    }
}
