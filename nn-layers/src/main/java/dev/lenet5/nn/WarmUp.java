package dev.lenet5.nn;

import dev.lenet5.nn.optim.Adam;
import dev.lenet5.nn.optim.WeightAverage;
import dev.lenet5.tensor.kernel.TensorKernels;
import java.util.Objects;

/**
 * Gets the JIT to compile LeNet-5's hot code before a real run needs it, by training a throwaway model on
 * synthetic images on a background thread, typically while the data loads, with the run's own
 * {@link TrainingStep}.
 *
 * <p>Why: Vector API code runs tens of times slower (and allocates) until C2 has compiled it, and on a
 * two-core machine C2 needs seconds for the large register-blocked kernels; measured without a warm-up,
 * the first 112 training steps took 51 ms each instead of 4. Training on the real batch shapes sends
 * every kernel down the paths the run will take (GEMM paths depend on the batch size).
 *
 * <p>Honest by construction: the throwaway model has its own parameters, optimiser, buffers and data, and
 * no random generator is shared, so the real run's results are bit for bit those it would have without the
 * warm-up; the warm-up's time is part of the program's wall time like any other work.
 *
 * <pre>{@code
 * try (WarmUp warmUp = WarmUp.start(kernels, batchSize / threads)) {
 *     dataset = loadData();      // the warm-up runs meanwhile, and stops when this block ends
 * }
 * }</pre>
 */
public final class WarmUp implements AutoCloseable {

    /** Steps at two images first: cheap while the code is still interpreted, and every kernel gets called. */
    static final int SMALL_STEPS = 30;
    /** An upper bound, in case nobody stops it: a few seconds of work once compiled. */
    static final int MAX_STEPS = 2000;

    private final Thread thread;
    private volatile boolean stop;
    private volatile int steps;
    private volatile RuntimeException failure;

    private WarmUp(TensorKernels kernels, int batch) {
        Objects.requireNonNull(kernels, "kernels");
        if (batch < 1) {
            throw new IllegalArgumentException("warm-up batch must be at least 1, got " + batch);
        }
        thread = new Thread(() -> {
            try {
                train(kernels, batch);
            } catch (RuntimeException e) {
                failure = e;
            }
        }, "lenet5-warm-up");
        thread.setDaemon(true);
        // Below the real work: where they compete for a core, the run comes first.
        thread.setPriority(Thread.MIN_PRIORITY);
    }

    /**
     * Starts warming up on a new daemon thread.
     *
     * @param batch images per training step of one thread in the real run (batch size / threads)
     */
    public static WarmUp start(TensorKernels kernels, int batch) {
        WarmUp w = new WarmUp(kernels, batch);
        w.thread.start();
        return w;
    }

    /** Training steps completed so far (for the tests: the warm-up's work shows only in the JIT's). */
    int steps() {
        return steps;
    }

    /**
     * What ended the warm-up early, or null. A failure here (say, a non-finite loss on the synthetic data)
     * only means less was compiled in advance; the real run does not depend on it, so it is kept here
     * rather than thrown.
     */
    public RuntimeException failure() {
        return failure;
    }

    /** Stops after the current step and waits for the thread to end. */
    @Override
    public void close() {
        stop = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void train(TensorKernels kernels, int batch) {
        LeNet5 model = new LeNet5(kernels, 0);
        Adam adam = new Adam(model.parameters(), kernels, 1e-3);
        WeightAverage average = new WeightAverage(model.parameters(), kernels, 0.999);
        float[] images = new float[batch * LeNet5.INPUT_SIZE];
        int[] labels = new int[batch];
        // A fixed pattern, not a random generator: strokes of ones on zeros, like a digit's ink.
        for (int i = 0; i < images.length; i++) {
            images[i] = (i * 7 + i / LeNet5.WIDTH * 3) % 11 < 3 ? 1f : 0f;
        }
        for (int i = 0; i < batch; i++) {
            labels[i] = i % LeNet5.CLASSES;
        }
        // One thread: the real run's replicas each step on a batch of this size.
        try (DataParallel network = new DataParallel(model, 1)) {
            TrainingStep trainingStep = new TrainingStep(network, adam, average);
            for (int step = 0; step < MAX_STEPS && !stop; step++) {
                trainingStep.run(images, labels, step < SMALL_STEPS ? Math.min(2, batch) : batch);
                steps = step + 1;
            }
        }
    }
}
