package dev.lenet5.mnist.augment;

import dev.lenet5.mnist.ImageFormat;
import dev.lenet5.mnist.ImageSet;
import java.util.Random;

/**
 * The per-thread working set of an {@link Augmentation} for images of one size: the source image, the
 * elastic field, the output bytes. Everything is allocated when the size is first seen, so the
 * per-image path allocates nothing.
 *
 * <p>One resampling pass does all the work: for each output pixel p, the source point is
 * {@code A^-1 (p + d(p))} (affine then elastic, or just one of them), read by bilinear interpolation.
 * The result is rounded back to 8-bit pixels and formatted by the {@link ImageFormat} like any raw image,
 * so augmented and plain images share layout, value mapping and range exactly.
 */
final class Warper {

    private final AffineParams affine;   // null: none
    private final ElasticParams elastic; // null: none
    private final GaussianKernel kernel; // null: no elastic part

    private int rows = -1;
    private int cols = -1;
    private byte[] raw;
    private SourceImage source;
    private ElasticField field;
    private byte[] out;
    private final float[] inverse = new float[6];

    Warper(AffineParams affine, ElasticParams elastic, GaussianKernel kernel) {
        this.affine = affine;
        this.elastic = elastic;
        this.kernel = kernel;
    }

    void apply(ImageSet images, int index, ImageFormat format, float[] dst, int dstOff, Random rng) {
        resize(images.rows(), images.cols());
        images.copyRawImage(index, raw, 0);
        warp(raw, rng);
        format.write(out, 0, rows, cols, dst, dstOff);
    }

    /** Warps one raw (rows, cols) image with parameters drawn from {@code rng}; the result in {@link #out()}. */
    void warp(byte[] image, Random rng) {
        source.load(image, 0);
        if (affine != null) {
            // Always five draws, whatever the strengths, so the stream advances the same way for any setting.
            double rotation = affine.rotation() * symmetric(rng);
            double scale = 1 + affine.scale() * symmetric(rng);
            double shear = affine.shear() * symmetric(rng);
            double tx = affine.shift() * symmetric(rng);
            double ty = affine.shift() * symmetric(rng);
            AffineMatrix.inverse(rotation, scale, shear, tx, ty, (cols - 1) / 2.0, (rows - 1) / 2.0, inverse);
        } else {
            AffineMatrix.identity(inverse);
        }
        if (elastic != null) {
            field.generate(rng.nextLong());
            field.resample(source, inverse, out);
        } else {
            resampleAffine(inverse);
        }
    }

    /** Warps one raw (rows, cols) image by the given inverse map and no elastic part; for tests. */
    void warpAffine(byte[] image, float[] inv) {
        if (elastic != null) {
            throw new IllegalStateException("warpAffine is for warpers without an elastic part");
        }
        source.load(image, 0);
        resampleAffine(inv);
    }

    /**
     * out(p) = source(A^-1 p), rounded to 8 bits; the source point moves by (a00, a10) per pixel.
     * source: (rows, cols) → out: (rows, cols). With an elastic part {@link ElasticField#resample} does it.
     */
    private void resampleAffine(float[] inv) {
        float a00 = inv[0];
        float a01 = inv[1];
        float a02 = inv[2];
        float a10 = inv[3];
        float a11 = inv[4];
        float a12 = inv[5];
        for (int y = 0; y < rows; y++) {
            int o = y * cols;
            float bx = a01 * y + a02;
            float by = a11 * y + a12;
            for (int x = 0; x < cols; x++) {
                out[o + x] = SourceImage.toPixel(source.sample(a00 * x + bx, a10 * x + by));
            }
        }
    }

    byte[] out() {
        return out;
    }

    void resize(int newRows, int newCols) {
        if (newRows == rows && newCols == cols) {
            return;
        }
        rows = newRows;
        cols = newCols;
        raw = new byte[rows * cols];
        out = new byte[rows * cols];
        source = new SourceImage(rows, cols);
        field = elastic == null ? null
                : new ElasticField(kernel, elastic.alpha(), rows, cols, ElasticField.defaultStep(elastic.sigma()));
    }

    /** Uniform in [-1, 1). */
    private static double symmetric(Random rng) {
        return 2.0 * rng.nextFloat() - 1.0;
    }
}
