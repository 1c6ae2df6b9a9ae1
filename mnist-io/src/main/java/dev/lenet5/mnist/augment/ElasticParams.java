package dev.lenet5.mnist.augment;

/**
 * Strengths of the elastic distortion of Simard et al. (2003): two fields of U(-1, 1) noise smoothed by a
 * Gaussian of standard deviation {@code sigma} pixels and multiplied by {@code alpha} pixels give each
 * pixel its displacement. Sigma sets how local the distortion is (small: jitter, large: nearly a uniform
 * shift), alpha how far things move; alpha 0 is the identity.
 *
 * <p>Spec form: {@code elastic:alpha=34,sigma=4}.
 *
 * @param alpha displacement scale in pixels, 0..1000
 * @param sigma smoothing in pixels, above 0 and at most 100
 */
public record ElasticParams(double alpha, double sigma) {

    /**
     * The defaults: alpha 34, sigma 4, the values Simard et al. found best for MNIST (their images were
     * 29x29, ours are 28x28, close enough). With the kernel normalised to sum 1 the smoothed noise has a
     * standard deviation of about {@code 1 / (sqrt(12 pi) sigma)} = 0.04 in the image interior, so pixels
     * move by about 1.4 pixels (RMS) per axis, less near the borders, where the zero padding of the
     * convolution damps the field. Now and then that bends a digit a lot (a 7 towards a 1), more so after
     * the affine warp; {@code alpha=20} or {@code sigma=6} are milder settings to try.
     */
    public static final ElasticParams DEFAULT = new ElasticParams(34, 4);

    public ElasticParams {
        if (!(alpha >= 0 && alpha <= 1000)) {
            throw new IllegalArgumentException("elastic alpha must be between 0 and 1000 pixels, got " + alpha);
        }
        if (!(sigma > 0 && sigma <= 100)) {
            throw new IllegalArgumentException("elastic sigma must be above 0 and at most 100 pixels, got " + sigma);
        }
    }

    /** Alpha times {@code factor}, sigma unchanged (e.g. for a schedule that ramps augmentation up). */
    public ElasticParams scaled(double factor) {
        Augmentations.checkFactor(factor);
        return new ElasticParams(alpha * factor, sigma);
    }

    /** True when nothing moves (alpha 0). */
    public boolean isIdentity() {
        return alpha == 0;
    }

    /** The spec that parses back to these parameters, e.g. {@code elastic:alpha=34,sigma=4}. */
    public String describe() {
        return "elastic:alpha=" + Augmentations.format(alpha) + ",sigma=" + Augmentations.format(sigma);
    }
}
