package dev.lenet5.mnist.augment;

import dev.lenet5.mnist.ImageFormat;
import dev.lenet5.mnist.ImageSet;
import dev.lenet5.mnist.ImageTransform;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * Random affine and/or elastic augmentation as an {@link ImageTransform} for
 * {@link dev.lenet5.mnist.BatchIterator#setTransform}: per image it draws its parameters from the
 * iterator's generator, warps the raw 28x28 image in one bilinear resampling pass (background outside),
 * rounds back to 8-bit pixels and formats the result exactly as an unaugmented image (same padding, same
 * value mapping, same range).
 *
 * <p>With both parts the image is first warped by the affine map and then elastically distorted, in a
 * single pass (no double blur). The draws per image are fixed (five floats for the affine part, one long
 * for the elastic part), so the same generator state gives the same image, whatever came before.
 *
 * <p>Immutable and thread-safe: scratch buffers are per thread and allocated once per image size, so
 * applying it allocates nothing. Build one with {@link Augmentations#parse} or the factories here.
 */
public final class Augmentation implements ImageTransform {

    /** No augmentation: behaves exactly as {@link ImageTransform#NONE}. */
    public static final Augmentation NONE = new Augmentation(null, null);

    private final AffineParams affine;
    private final ElasticParams elastic;
    private final ThreadLocal<Warper> warpers;

    private Augmentation(AffineParams affine, ElasticParams elastic) {
        this.affine = affine;
        this.elastic = elastic;
        GaussianKernel kernel = elastic == null ? null : new GaussianKernel(elastic.sigma());
        this.warpers = ThreadLocal.withInitial(() -> new Warper(affine, elastic, kernel));
    }

    /** Random affine warps only. */
    public static Augmentation affine(AffineParams params) {
        return new Augmentation(Objects.requireNonNull(params, "affine params"), null);
    }

    /** Elastic distortions only. */
    public static Augmentation elastic(ElasticParams params) {
        return new Augmentation(null, Objects.requireNonNull(params, "elastic params"));
    }

    /** An affine warp followed by an elastic distortion; either may be null (both null: {@link #NONE}). */
    public static Augmentation of(AffineParams affine, ElasticParams elastic) {
        return affine == null && elastic == null ? NONE : new Augmentation(affine, elastic);
    }

    public Optional<AffineParams> affineParams() {
        return Optional.ofNullable(affine);
    }

    public Optional<ElasticParams> elasticParams() {
        return Optional.ofNullable(elastic);
    }

    /** True for {@link #NONE}, which leaves images untouched. */
    public boolean isNone() {
        return affine == null && elastic == null;
    }

    /**
     * The same kinds with every strength times {@code factor} (rotation, scale, shear, shift, alpha; sigma
     * is a length scale and stays): 0 gives identity warps, 1 this augmentation. For schedules.
     */
    public Augmentation scaled(double factor) {
        Augmentations.checkFactor(factor);
        return of(affine == null ? null : affine.scaled(factor), elastic == null ? null : elastic.scaled(factor));
    }

    @Override
    public void apply(ImageSet images, int index, ImageFormat format, float[] dst, int dstOff, Random rng) {
        if (isNone()) {
            images.writeImage(index, format, dst, dstOff);
            return;
        }
        warpers.get().apply(images, index, format, dst, dstOff, rng);
    }

    /** This thread's scratch, for tests that look inside. */
    Warper warper() {
        return warpers.get();
    }

    /**
     * The effective parameters as a spec {@link Augmentations#parse} accepts, e.g. {@code none},
     * {@code affine:rot=10,scale=0.1,shear=10,shift=2} or
     * {@code affine:rot=10,scale=0.1,shear=10,shift=2+elastic:alpha=34,sigma=4}.
     */
    public String describe() {
        if (isNone()) {
            return Augmentations.NONE;
        }
        if (elastic == null) {
            return affine.describe();
        }
        return affine == null ? elastic.describe() : affine.describe() + "+" + elastic.describe();
    }

    @Override
    public String toString() {
        return describe();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Augmentation a && Objects.equals(affine, a.affine) && Objects.equals(elastic, a.elastic);
    }

    @Override
    public int hashCode() {
        return Objects.hash(affine, elastic);
    }
}
