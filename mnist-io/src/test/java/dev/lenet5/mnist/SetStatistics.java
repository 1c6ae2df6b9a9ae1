package dev.lenet5.mnist;

/** Statistics of an image set that the tests check the data by: label counts and the pixels' mean and spread. */
final class SetStatistics {

    private SetStatistics() {
    }

    /** How many images carry each label 0..numClasses()-1. */
    static int[] classCounts(ImageSet set) {
        int[] counts = new int[set.numClasses()];
        for (int i = 0; i < set.size(); i++) {
            counts[set.label(i)]++;
        }
        return counts;
    }

    /** Mean of all pixels scaled to [0,1] (about 0.1307 for the MNIST training set). */
    static double pixelMean(ImageSet set) {
        return moments(set)[0];
    }

    /** Population standard deviation of all pixels scaled to [0,1] (about 0.3081 for MNIST training). */
    static double pixelStd(ImageSet set) {
        double[] m = moments(set);
        return Math.sqrt(Math.max(0, m[1] - m[0] * m[0]));
    }

    /** E[x] and E[x^2] of the pixels in [0,1], from exact integer sums. */
    private static double[] moments(ImageSet set) {
        long sum = 0;
        long sumSq = 0;
        for (int i = 0; i < set.size(); i++) {
            for (int r = 0; r < set.rows(); r++) {
                for (int c = 0; c < set.cols(); c++) {
                    int v = set.pixel(i, r, c);
                    sum += v;
                    sumSq += (long) v * v;
                }
            }
        }
        double n = (double) set.size() * set.rows() * set.cols();
        return new double[] {sum / n / 255.0, sumSq / n / (255.0 * 255.0)};
    }
}
