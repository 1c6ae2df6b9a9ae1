package dev.lenet5.nn.optim;

/**
 * Adam written out from PyTorch's documentation, in double: the independent reference the float optimiser is
 * compared with. Holds its own copy of the parameters and the moments.
 */
public final class DoubleAdam {

    private final double lr;
    private final double b1;
    private final double b2;
    private final double eps;
    private final double wd;
    private final double[] p;
    private final double[] m;
    private final double[] v;
    private int t;

    public DoubleAdam(double[] p, double lr, double b1, double b2, double eps, double wd) {
        this.p = p.clone();
        this.m = new double[p.length];
        this.v = new double[p.length];
        this.lr = lr;
        this.b1 = b1;
        this.b2 = b2;
        this.eps = eps;
        this.wd = wd;
    }

    public void step(double[] grad) {
        t++;
        for (int i = 0; i < p.length; i++) {
            double g = grad[i] + wd * p[i];
            m[i] = b1 * m[i] + (1 - b1) * g;
            v[i] = b2 * v[i] + (1 - b2) * g * g;
            double mHat = m[i] / (1 - Math.pow(b1, t));
            double vHat = v[i] / (1 - Math.pow(b2, t));
            p[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
        }
    }

    /** The parameters after the steps so far (the live array). */
    public double[] parameters() {
        return p;
    }

    double[] firstMoment() {
        return m;
    }

    double[] secondMoment() {
        return v;
    }
}
