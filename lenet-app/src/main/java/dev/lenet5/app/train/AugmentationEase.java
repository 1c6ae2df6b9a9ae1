package dev.lenet5.app.train;

import dev.lenet5.mnist.augment.Augmentation;

/**
 * {@code --augment-ease E}: the augmentation's strengths fall linearly over the last {@code E} epochs, to nothing
 * in the last one. The network then ends its training on images like those it is tested on (undistorted, centred
 * digits) while the distortions of the earlier epochs have already done their work against over-fitting. The factor
 * depends on the epoch alone, so a resumed run distorts each epoch as an uninterrupted one does.
 */
public final class AugmentationEase {

    private AugmentationEase() {
    }

    /**
     * The strength factor of {@code epoch} (1-based) of {@code epochs}: 1 before the last {@code ease} epochs, then
     * {@code (epochs - epoch) / ease}, i.e. {@code (ease-1)/ease, ..., 1/ease, 0}. With more eased epochs than
     * epochs the fade is already under way in the first.
     */
    public static double factor(int epoch, int epochs, int ease) {
        if (epoch < 1 || epoch > epochs || ease < 0) {
            throw new IllegalArgumentException("epoch " + epoch + " of " + epochs + " with " + ease + " epochs of easing");
        }
        return ease == 0 ? 1.0 : Math.min(1.0, (double) (epochs - epoch) / ease);
    }

    /** The augmentation of {@code epoch}: {@code full} scaled by {@link #factor}, {@link Augmentation#NONE} at 0. */
    public static Augmentation at(Augmentation full, int epoch, int epochs, int ease) {
        double f = factor(epoch, epochs, ease);
        if (f == 1.0) {
            return full;
        }
        return f == 0 ? Augmentation.NONE : full.scaled(f);
    }
}
