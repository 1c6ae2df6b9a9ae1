package dev.lenet5.bench;

import dev.lenet5.nn.LeNet5;
import dev.lenet5.nn.Parameter;
import dev.lenet5.tensor.kernel.ScalarKernels;
import dev.lenet5.tensor.kernel.TensorKernels;

/**
 * The correctness gate of the whole-network benchmarks: the multi-threaded step on the candidate kernels must
 * give the loss and every parameter gradient of a one-thread step on the scalar reference, for the same
 * weights and batch. That covers every layer's forward and backward, the replicas and the gradient sum.
 */
final class LeNetCheck {

    /**
     * Relative tolerance of the loss and of each gradient (against its parameter's largest gradient): the
     * rounding of ten layers of reordered sums stays near 1e-5; a wrong kernel moves results by their size.
     */
    static final double TOLERANCE = 1e-3;

    private LeNetCheck() {
    }

    /** @throws IllegalStateException naming the benchmark, the kernels and the first parameter that differs */
    static void verify(String what, TensorKernels candidate, int threads, long seed, float[] images, int[] labels, int count) {
        LeNet5 reference = new LeNet5(ScalarKernels.INSTANCE, seed);
        reference.setInputGradientEnabled(false);
        reference.zeroGrad();
        double expectedLoss = reference.forwardLoss(images, labels, count);
        reference.backward();
        double loss;
        LeNet5 model;
        try (ParallelLeNet parallel = new ParallelLeNet(new LeNet5(candidate, seed), threads)) {
            loss = parallel.gradients(images, labels, count);
            model = parallel.model();
        }
        String prefix = what + ": " + candidate.name() + " with " + threads + " thread(s) ";
        if (!(Math.abs(loss - expectedLoss) <= TOLERANCE * Math.abs(expectedLoss))) {
            throw new IllegalStateException(prefix + "gives the loss " + loss + " but the scalar reference gives " + expectedLoss);
        }
        for (int i = 0; i < reference.parameters().size(); i++) {
            Parameter want = reference.parameters().get(i);
            Parameter got = model.parameters().get(i);
            Agreement.requireClose(prefix + want.name() + " gradient", want.grad(), got.grad(), want.size(), TOLERANCE);
        }
    }
}
