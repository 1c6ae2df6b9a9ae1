package dev.lenet5.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Checks one float layer against a double-precision reference function: the forward output directly, and
 * every gradient (input and parameters) against central differences of the reference, for the scalar loss
 * {@code L = sum(r * layer(x))} with a random fixed {@code r}, whose gradient with respect to the output is r.
 *
 * <p>Tolerances: the float layer's values carry float32 rounding (epsilon 6e-8) from sums of up to a few
 * hundred products, i.e. errors up to ~1e-5 of the magnitude of the terms, while the double differences are
 * accurate to ~1e-9. So each value must match within {@code 1e-4} relative plus an absolute floor of
 * {@code 1e-5 * max|expected|} for entries that are small through cancellation. A wrong index or a missing
 * term is off by the size of a whole term, orders of magnitude more.
 */
final class LayerCheck {

    static final double RTOL = 1e-4;
    static final double ATOL_FRACTION = 1e-5;

    private LayerCheck() {
    }

    /**
     * @param reference maps {x, parameter values...} (doubles, parameters in the layer's order) to the output
     * @param x the input, {@code batch * layer.inputSize()} floats
     */
    static void check(Layer layer, int batch, float[] x, Random rng, Function<double[][], double[]> reference) {
        int outN = batch * layer.outputSize();
        float[] r = Checks.uniform(rng, outN, -1, 1);
        List<Parameter> params = layer.parameters();
        params.forEach(Parameter::zeroGrad);

        float[] y = Arrays.copyOf(layer.forward(x, batch), outN);
        float[] dx = Arrays.copyOf(layer.backward(r, batch), batch * layer.inputSize());

        double[][] args = new double[1 + params.size()][];
        args[0] = Reference.toDouble(x, batch * layer.inputSize());
        for (int i = 0; i < params.size(); i++) {
            args[i + 1] = Reference.toDouble(params.get(i).data());
        }
        double[] yRef = reference.apply(args);
        assertEquals(outN, yRef.length, layer.name() + ": reference output size");
        Checks.assertClose(layer.name() + " forward", yRef, y, RTOL, ATOL_FRACTION * Checks.maxAbs(yRef));

        double[] rd = Reference.toDouble(r);
        for (int a = 0; a < args.length; a++) {
            double[] numeric = Checks.numericGradient(v -> dot(rd, reference.apply(args)), args[a],
                    Checks.all(args[a].length));
            float[] analytic = a == 0 ? dx : params.get(a - 1).grad();
            String what = layer.name() + (a == 0 ? " input gradient" : " gradient of " + params.get(a - 1).name());
            Checks.assertClose(what, numeric, analytic, RTOL, ATOL_FRACTION * Math.max(Checks.maxAbs(numeric), 1e-30));
        }
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
