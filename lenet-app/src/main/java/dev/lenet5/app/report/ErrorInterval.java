package dev.lenet5.app.report;

import java.util.Locale;

/**
 * A 95% confidence interval for an error rate measured on a finite test set: the Wilson score interval,
 * which stays inside [0, 1] and keeps its coverage for the small error rates MNIST gives (the normal
 * approximation's {@code p +- 1.96 sqrt(p(1-p)/n)} is too narrow there). On 10,000 test images an error
 * near 0.7% is known to about +-0.17%, so differences of a tenth of a percent between two runs are noise.
 */
public record ErrorInterval(int mistakes, int size, double low, double high) {

    /** The normal quantile of a two-sided 95% interval. */
    private static final double Z = 1.959963984540054;

    public static ErrorInterval wilson(int mistakes, int size) {
        if (size < 1 || mistakes < 0 || mistakes > size) {
            throw new IllegalArgumentException("need 0 <= mistakes <= size and size >= 1, got " + mistakes + " of " + size);
        }
        double n = size;
        double p = mistakes / n;
        double z2 = Z * Z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return new ErrorInterval(mistakes, size, Math.max(0, centre - half), Math.min(1, centre + half));
    }

    public double error() {
        return (double) mistakes / size;
    }

    /** For example {@code "error 0.76% (95% CI 0.61-0.95%)"}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "error %.2f%% (95%% CI %.2f-%.2f%%)", 100 * error(), 100 * low, 100 * high);
    }
}
