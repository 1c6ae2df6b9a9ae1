package dev.lenet5.mnist;

import java.util.Random;

/**
 * Writes one image of a set into a batch: the hook where augmentation plugs in. An implementation
 * typically copies the raw image ({@link ImageSet#copyRawImage}) into a scratch buffer it owns,
 * transforms it, and formats the result with {@link ImageFormat#write}; it must write exactly
 * {@code format.outputHeight(rows) x format.outputWidth(cols)} floats at {@code dstOff} and should not
 * allocate per image.
 *
 * <p>{@code rng} is the batch iterator's per-epoch generator, reseeded from (seed, epoch) when an epoch
 * starts; drawing only from it keeps augmented runs repeatable and resumable.
 */
@FunctionalInterface
public interface ImageTransform {

    /** No augmentation: the image as it is, formatted. */
    ImageTransform NONE = (images, index, format, dst, dstOff, rng) -> images.writeImage(index, format, dst, dstOff);

    void apply(ImageSet images, int index, ImageFormat format, float[] dst, int dstOff, Random rng);
}
