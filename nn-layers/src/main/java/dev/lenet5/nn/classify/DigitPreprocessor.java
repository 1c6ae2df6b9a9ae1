package dev.lenet5.nn.classify;

import dev.lenet5.nn.LeNet5;
import java.awt.image.BufferedImage;

/**
 * Prepares a photo or drawing of one handwritten digit the way MNIST's digits were made (LeCun et al.):
 * grey levels, light ink on a dark background, cropped to the ink, fitted into 20x20 keeping the aspect
 * ratio, then placed in a 28x28 field so that the ink's centre of mass is at the centre.
 *
 * <p>Works on any size and either polarity: the background is taken to be the colour of the border.
 */
public final class DigitPreprocessor {

    /** The digits' field: the network's convention, MNIST's 28x28. */
    public static final int SIZE = LeNet5.INPUT.digitSize();
    /** Why an image without ink cannot be prepared. */
    static final String NO_INK = "the image holds no ink: it is blank or has no contrast";
    static final int BOX = 20;
    /** Grey level (after normalising to [0,1] ink) above which a pixel counts as ink for the bounding box. */
    static final float INK = 0.15f;

    private DigitPreprocessor() {
    }

    /** The 28x28 MNIST-style rendering of {@code image}, row-major, values in [0,1], ink light. */
    public static float[] toMnist(BufferedImage image) {
        float[] field = fromInkLevels(inkLevels(image), image.getWidth(), image.getHeight());
        if (field == null) {
            throw new IllegalArgumentException(NO_INK);
        }
        return field;
    }

    /** The 28x28 field for a {@code w x h} image of {@link #inkLevels}, or null when no pixel is ink. */
    static float[] fromInkLevels(float[] grey, int w, int h) {
        int top = h;
        int bottom = -1;
        int left = w;
        int right = -1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (grey[y * w + x] > INK) {
                    top = Math.min(top, y);
                    bottom = Math.max(bottom, y);
                    left = Math.min(left, x);
                    right = Math.max(right, x);
                }
            }
        }
        if (bottom < 0) {
            return null;
        }
        int cropW = right - left + 1;
        int cropH = bottom - top + 1;
        double scale = (double) BOX / Math.max(cropW, cropH);
        int boxW = Math.max(1, (int) Math.round(cropW * scale));
        int boxH = Math.max(1, (int) Math.round(cropH * scale));
        float[] box = Resample.resize(grey, w, left, top, cropW, cropH, boxW, boxH);

        // Centre of mass of the fitted box in pixel indices, then the shift that puts it at index 14: where
        // MNIST's digits have it (their mean centre of mass is (13.99, 14.00) in index coordinates).
        double mass = 0;
        double cy = 0;
        double cx = 0;
        for (int y = 0; y < boxH; y++) {
            for (int x = 0; x < boxW; x++) {
                float v = box[y * boxW + x];
                mass += v;
                cy += v * y;
                cx += v * x;
            }
        }
        int offY = (int) Math.round(SIZE / 2.0 - cy / mass);
        int offX = (int) Math.round(SIZE / 2.0 - cx / mass);
        // Keep the whole box inside the field even when the ink is lopsided.
        offY = Math.max(0, Math.min(SIZE - boxH, offY));
        offX = Math.max(0, Math.min(SIZE - boxW, offX));

        float[] field = new float[SIZE * SIZE];
        for (int y = 0; y < boxH; y++) {
            System.arraycopy(box, y * boxW, field, (y + offY) * SIZE + offX, boxW);
        }
        return field;
    }

    /** Zero-pads a {@code size x size} image by {@code pad} on every side into a new array. */
    public static float[] pad(float[] image, int size, int pad) {
        int outer = size + 2 * pad;
        float[] out = new float[outer * outer];
        for (int y = 0; y < size; y++) {
            System.arraycopy(image, y * size, out, (y + pad) * outer + pad, size);
        }
        return out;
    }

    /**
     * Ink level of every pixel in [0,1]: luminance with transparency composited over white, inverted when
     * the border (taken as background) is lighter than mid-grey, then stretched so the background is 0
     * and the strongest ink is 1.
     */
    static float[] inkLevels(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] lum = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = image.getRGB(x, y);
                float a = ((argb >>> 24) & 0xFF) / 255f;
                float r = (argb >> 16) & 0xFF;
                float g = (argb >> 8) & 0xFF;
                float b = argb & 0xFF;
                float l = (0.299f * r + 0.587f * g + 0.114f * b) / 255f;
                lum[y * w + x] = a * l + (1 - a); // transparent pixels read as white paper
            }
        }
        float background = borderMedian(lum, w, h);
        boolean lightBackground = background > 0.5f;
        float max = 0;
        for (int i = 0; i < lum.length; i++) {
            float v = lightBackground ? background - lum[i] : lum[i] - background;
            lum[i] = Math.max(0, v);
            max = Math.max(max, lum[i]);
        }
        if (max > 0) {
            for (int i = 0; i < lum.length; i++) {
                lum[i] /= max;
            }
        }
        return lum;
    }

    private static float borderMedian(float[] lum, int w, int h) {
        int n = h == 1 || w == 1 ? w * h : 2 * w + 2 * (h - 2);
        float[] border = new float[n];
        int k = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (y == 0 || y == h - 1 || x == 0 || x == w - 1) {
                    border[k++] = lum[y * w + x];
                }
            }
        }
        java.util.Arrays.sort(border, 0, k);
        return border[k / 2];
    }
}
