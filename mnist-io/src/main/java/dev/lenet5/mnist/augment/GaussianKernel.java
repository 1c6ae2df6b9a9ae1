package dev.lenet5.mnist.augment;

/**
 * A 1-D Gaussian of standard deviation sigma, truncated at {@code ceil(3 sigma)} taps each side and
 * normalised to sum 1 over the kept taps (as scipy's {@code gaussian_filter} does for its window), so a
 * constant field stays constant away from the borders. Immutable; computed once per augmentation.
 */
final class GaussianKernel {

    /** Taps each side of the centre, as a multiple of sigma: keeps 99.7% of the mass. */
    static final double TRUNCATE = 3.0;

    private final double sigma;
    private final int radius;
    private final float[] weights;

    GaussianKernel(double sigma) {
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("Gaussian sigma must be positive and finite, got " + sigma);
        }
        this.sigma = sigma;
        this.radius = Math.max(1, (int) Math.ceil(TRUNCATE * sigma));
        double[] w = new double[2 * radius + 1];
        double sum = 0;
        for (int t = -radius; t <= radius; t++) {
            w[t + radius] = Math.exp(-0.5 * t * t / (sigma * sigma));
            sum += w[t + radius];
        }
        this.weights = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            weights[i] = (float) (w[i] / sum);
        }
    }

    double sigma() {
        return sigma;
    }

    /** Taps each side of the centre. */
    int radius() {
        return radius;
    }

    /** Weight of offset {@code t} from the centre; 0 outside the truncated window. */
    float weight(int t) {
        return t < -radius || t > radius ? 0f : weights[t + radius];
    }
}
