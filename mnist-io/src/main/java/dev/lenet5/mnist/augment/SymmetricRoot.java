package dev.lenet5.mnist.augment;

/**
 * The symmetric square root of a symmetric positive semi-definite matrix, {@code S = V sqrt(L) V^T} from
 * its eigendecomposition by cyclic Jacobi rotations (Golub and Van Loan, section 8.5). Accurate for the
 * small, badly conditioned Gram matrices of Gaussian kernels; eigenvalues that rounding makes slightly
 * negative count as 0. Computed once per augmentation and image size, so simplicity beats speed.
 */
final class SymmetricRoot {

    private static final int MAX_SWEEPS = 100;

    private SymmetricRoot() {
    }

    /** S with S S = g, S symmetric. g: (n, n), symmetric. */
    static double[][] sqrt(double[][] g) {
        int n = g.length;
        double[][] a = new double[n][];
        double scale = 0;
        for (int i = 0; i < n; i++) {
            if (g[i].length != n) {
                throw new IllegalArgumentException("matrix must be square, row " + i + " has " + g[i].length
                        + " entries, not " + n);
            }
            a[i] = g[i].clone();
            for (int j = 0; j < n; j++) {
                scale = Math.max(scale, Math.abs(g[i][j]));
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                if (Math.abs(g[i][j] - g[j][i]) > 1e-12 * scale) {
                    throw new IllegalArgumentException("matrix must be symmetric, differs at (" + i + ", " + j + ")");
                }
            }
        }
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) {
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < MAX_SWEEPS && offDiagonal(a) > 1e-30 * scale * scale; sweep++) {
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    rotate(a, v, p, q);
                }
            }
        }
        double[][] root = new double[n][n];
        for (int e = 0; e < n; e++) {
            double s = Math.sqrt(Math.max(0, a[e][e]));
            for (int i = 0; i < n; i++) {
                double vi = v[i][e] * s;
                for (int j = 0; j < n; j++) {
                    root[i][j] += vi * v[j][e];
                }
            }
        }
        return root;
    }

    /** One Jacobi rotation in the (p, q) plane that zeroes a[p][q]; v accumulates the eigenvectors. */
    private static void rotate(double[][] a, double[][] v, int p, int q) {
        double apq = a[p][q];
        if (apq == 0) {
            return;
        }
        double theta = (a[q][q] - a[p][p]) / (2 * apq);
        double t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        int n = a.length;
        for (int k = 0; k < n; k++) {
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = c * akp - s * akq;
            a[k][q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; k++) {
            double apk = a[p][k];
            double aqk = a[q][k];
            a[p][k] = c * apk - s * aqk;
            a[q][k] = s * apk + c * aqk;
        }
        for (int k = 0; k < n; k++) {
            double vkp = v[k][p];
            double vkq = v[k][q];
            v[k][p] = c * vkp - s * vkq;
            v[k][q] = s * vkp + c * vkq;
        }
    }

    private static double offDiagonal(double[][] a) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                if (i != j) {
                    sum += a[i][j] * a[i][j];
                }
            }
        }
        return sum;
    }
}
