package dev.lenet5.mnist.augment;

/**
 * Strengths of the random affine warp. Per image, each parameter is drawn uniformly from its range:
 * rotation in [-rotation, +rotation] degrees (counter-clockwise positive), scale factor in
 * [1 - scale, 1 + scale], x-shear angle in [-shear, +shear] degrees, and horizontal and vertical shifts
 * independently in [-shift, +shift] pixels. All about the image centre; all zero is the identity.
 *
 * <p>Spec form: {@code affine:rot=10,scale=0.1,shear=10,shift=2}.
 *
 * @param rotation largest rotation in degrees, 0..180
 * @param scale    largest relative change of size, 0 (none) to below 1
 * @param shear    largest shear angle in degrees, 0..60
 * @param shift    largest translation along each axis in pixels, 0..100
 */
public record AffineParams(double rotation, double scale, double shear, double shift) {

    /**
     * The defaults: rotation 10 degrees, scale 0.9..1.1, shear 10 degrees, shift 2 pixels, the usual
     * strengths for MNIST with small convolutional networks (e.g. torchvision's {@code RandomAffine}
     * recipes). They stay within what a person would still read as the same digit: a 6 rotated by more
     * than about 20 degrees starts to look like something else, and MNIST digits are centred in a 20x20
     * box with a 4-pixel margin, so a 2-pixel shift never cuts ink off.
     */
    public static final AffineParams DEFAULT = new AffineParams(10, 0.1, 10, 2);

    /** No change at all; {@link Augmentation} with it gives the input back bit for bit. */
    public static final AffineParams IDENTITY = new AffineParams(0, 0, 0, 0);

    public AffineParams {
        check("rot", rotation, 180, "degrees");
        check("shear", shear, 60, "degrees");
        check("shift", shift, 100, "pixels");
        if (!(scale >= 0 && scale < 1)) {
            throw new IllegalArgumentException("affine scale must be at least 0 and below 1 (factor 1-scale.."
                    + "1+scale), got " + scale);
        }
    }

    /** All strengths times {@code factor} (e.g. for a schedule that ramps augmentation up). */
    public AffineParams scaled(double factor) {
        Augmentations.checkFactor(factor);
        return new AffineParams(rotation * factor, scale * factor, shear * factor, shift * factor);
    }

    /** True when every strength is zero. */
    public boolean isIdentity() {
        return rotation == 0 && scale == 0 && shear == 0 && shift == 0;
    }

    /** The spec that parses back to these parameters, e.g. {@code affine:rot=10,scale=0.1,shear=10,shift=2}. */
    public String describe() {
        return "affine:rot=" + Augmentations.format(rotation) + ",scale=" + Augmentations.format(scale)
                + ",shear=" + Augmentations.format(shear) + ",shift=" + Augmentations.format(shift);
    }

    private static void check(String key, double value, double max, String unit) {
        if (!(value >= 0 && value <= max)) {
            throw new IllegalArgumentException("affine " + key + " must be between 0 and "
                    + Augmentations.format(max) + " " + unit + ", got " + value);
        }
    }
}
