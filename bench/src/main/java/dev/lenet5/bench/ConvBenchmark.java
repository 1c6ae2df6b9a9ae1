package dev.lenet5.bench;

import java.util.Random;

import dev.lenet5.nn.Conv2d;
import dev.lenet5.tensor.kernel.ConvAlgorithm;
import dev.lenet5.tensor.kernel.ConvGeometry;
import dev.lenet5.tensor.kernel.ScalarKernels;
import dev.lenet5.tensor.kernel.TensorKernels;

import org.openjdk.jmh.annotations.Param;

/**
 * The {@link Conv2d} layer, scalar against SIMD kernels: forward, backward (weight, bias and input gradients;
 * the forward it belongs to ran in the setup) and both in a row, on LeNet-5's convolutions and an odd shape
 * ({@link ConvCase}), for a batch of 120 and a single image, and on the SIMD kernels by either algorithm
 * ({@code algorithm}: {@link ConvAlgorithm} auto, im2col or direct). Score: time per call. The setup runs the
 * layer once on the chosen kernels and algorithm and once on the scalar reference and refuses to go on if
 * outputs or gradients differ by more than rounding.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar ConvBenchmark -p conv=conv2 -p batch=120 -prof gc
 * java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar ConvBenchmark.forward -p kernels=simd -p algorithm=im2col,direct
 * </pre>
 * The scalar reference has one algorithm and ignores the parameter: {@code -p algorithm=im2col,direct} with scalar
 * kernels measures it twice (the app's bench command plans its runs so that it does not, see {@link BenchPlan}).
 */
public class ConvBenchmark extends LayerBenchmark {

    static final long SEED = 5;

    /** The parameter that chooses the SIMD kernels' convolution algorithm. */
    public static final String ALGORITHM = "algorithm";

    @Param({"conv1", "conv2", "odd"})
    public String conv;

    /** auto, im2col or direct; the default is what the program runs. Initialised for callers other than JMH. */
    @Param({"auto"})
    public String algorithm = "auto";

    @Override
    Prepared checkedCase(TensorKernels kernels) {
        ConvCase c = ConvCase.parse(conv);
        TensorKernels impl = kernels.withConvAlgorithm(ConvAlgorithm.parse(algorithm));
        Random random = new Random(11);
        float[] x = GemmBenchmark.uniform(batch * c.geometry().inputSize(), random);
        float[] dy = GemmBenchmark.uniform(batch * c.outChannels() * c.geometry().outPixels(), random);
        verify(c, impl, batch, x, dy);
        return new Prepared(c.create(impl, SEED), x, dy);
    }

    /**
     * Throws unless {@code candidate} gives the scalar reference's output, input gradient and parameter
     * gradients for this case, within rounding of each result's sum length.
     */
    static void verify(ConvCase c, TensorKernels candidate, int batch, float[] x, float[] dy) {
        Conv2d ref = c.create(ScalarKernels.INSTANCE, SEED);
        Conv2d got = c.create(candidate, SEED);
        ConvGeometry g = c.geometry();
        String algorithm = candidate.convAlgorithm() == ConvAlgorithm.AUTO ? "" : " " + candidate.convAlgorithm();
        String what = "ConvBenchmark setup: " + candidate.name() + algorithm + " " + c.paramName() + " batch " + batch + " ";
        Agreement.requireClose(what + "forward output", ref.forward(x, batch), got.forward(x, batch),
                batch * ref.outputSize(), Agreement.forSums(g.patchSize()));
        // Each input element collects at most Cout * KH * KW products.
        Agreement.requireClose(what + "input gradient", ref.backward(dy, batch), got.backward(dy, batch),
                batch * ref.inputSize(), Agreement.forSums((long) c.outChannels() * g.kernelH() * g.kernelW()));
        long perWeight = (long) batch * g.outPixels();
        Agreement.requireClose(what + "weight gradient", ref.weight().grad(), got.weight().grad(),
                ref.weight().size(), Agreement.forSums(perWeight));
        Agreement.requireClose(what + "bias gradient", ref.bias().grad(), got.bias().grad(),
                ref.bias().size(), Agreement.forSums(perWeight));
    }
}
