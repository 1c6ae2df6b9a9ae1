package dev.lenet5.nn.classify;

/**
 * Resizes a rectangle of a grey image. Shrinking averages the source area under each target pixel (so
 * thin strokes of a large photo do not vanish); enlarging interpolates bilinearly.
 */
final class Resample {

    private Resample() {
    }

    /** src: grey image of width srcStride; crop (x0, y0, cw, ch) → new (outW x outH) image. */
    static float[] resize(float[] src, int srcStride, int x0, int y0, int cw, int ch, int outW, int outH) {
        float[] out = new float[outW * outH];
        double sx = (double) cw / outW;
        double sy = (double) ch / outH;
        for (int oy = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++) {
                out[oy * outW + ox] = sx >= 1 && sy >= 1
                        ? areaAverage(src, srcStride, x0, y0, cw, ch, ox * sx, oy * sy, sx, sy)
                        : bilinear(src, srcStride, x0, y0, cw, ch, (ox + 0.5) * sx - 0.5, (oy + 0.5) * sy - 0.5);
            }
        }
        return out;
    }

    /** Mean of the source over [fx, fx+sx) x [fy, fy+sy), weighting partly covered pixels by their overlap. */
    private static float areaAverage(float[] src, int stride, int x0, int y0, int cw, int ch,
                                     double fx, double fy, double sx, double sy) {
        double total = 0;
        double weight = 0;
        int yEnd = (int) Math.min(ch, Math.ceil(fy + sy));
        int xEnd = (int) Math.min(cw, Math.ceil(fx + sx));
        for (int y = (int) fy; y < yEnd; y++) {
            double wy = Math.min(y + 1, fy + sy) - Math.max(y, fy);
            for (int x = (int) fx; x < xEnd; x++) {
                double wx = Math.min(x + 1, fx + sx) - Math.max(x, fx);
                total += wx * wy * src[(y0 + y) * stride + x0 + x];
                weight += wx * wy;
            }
        }
        return weight == 0 ? 0f : (float) (total / weight);
    }

    private static float bilinear(float[] src, int stride, int x0, int y0, int cw, int ch, double x, double y) {
        x = Math.max(0, Math.min(cw - 1, x));
        y = Math.max(0, Math.min(ch - 1, y));
        int xa = (int) x;
        int ya = (int) y;
        int xb = Math.min(cw - 1, xa + 1);
        int yb = Math.min(ch - 1, ya + 1);
        double tx = x - xa;
        double ty = y - ya;
        double top = (1 - tx) * src[(y0 + ya) * stride + x0 + xa] + tx * src[(y0 + ya) * stride + x0 + xb];
        double bottom = (1 - tx) * src[(y0 + yb) * stride + x0 + xa] + tx * src[(y0 + yb) * stride + x0 + xb];
        return (float) ((1 - ty) * top + ty * bottom);
    }
}
