package dev.lenet5.bench;

import java.util.Map;

import dev.lenet5.nn.DataParallel;
import dev.lenet5.nn.LeNet5;
import dev.lenet5.nn.Tensor;
import dev.lenet5.nn.TrainingStep;
import dev.lenet5.nn.optim.Adam;

/**
 * LeNet-5 training steps and inference on several threads exactly as the training program runs them: its
 * {@link TrainingStep} with Adam (no weight average) over a {@link DataParallel} (one replica per thread on a
 * contiguous part of the batch, gradients added in replica order), plus a way back to a run's initial state
 * between benchmark iterations. After the first call of each batch size nothing is allocated.
 */
final class ParallelLeNet implements AutoCloseable {

    /** Adam's learning rate, PyTorch's default and the training program's. */
    static final double LR = 1e-3;

    private final DataParallel parallel;
    private final Adam adam;
    private final TrainingStep step;
    private final Map<String, Tensor> freshAdamState;
    private int[] predictions = new int[0];

    ParallelLeNet(LeNet5 model, int threads) {
        this.parallel = new DataParallel(model, threads);
        this.adam = new Adam(model.parameters(), model.kernels(), LR);
        this.step = new TrainingStep(parallel, adam, null);
        this.freshAdamState = adam.state();
    }

    LeNet5 model() {
        return parallel.model();
    }

    int threads() {
        return parallel.threads();
    }

    /**
     * New weights from {@code seed} and Adam's moments back to zero at step 0: the state of a run before its
     * first step. Reuses every buffer (a benchmark calls it between iterations, and -prof gc would count a
     * new optimiser's half megabyte against the steps).
     */
    void restart(long seed) {
        parallel.model().resetParameters(seed);
        adam.restoreState(0, freshAdamState);
    }

    /** One training step (forward, backward, checks, Adam) on {@code count} images; returns the batch's mean loss. */
    double trainStep(float[] images, int[] labels, int count) {
        return step.run(images, labels, count).lossSum() / count;
    }

    /** Forward and backward only: afterwards the model's gradients are those of the batch's mean loss. */
    double gradients(float[] images, int[] labels, int count) {
        return parallel.forwardBackward(images, labels, count).lossSum() / count;
    }

    /** Forward only; returns the sum of the predicted classes (something to consume). */
    int infer(float[] images, int count) {
        if (predictions.length < count) {
            predictions = new int[count];
        }
        parallel.predict(images, count, predictions, 0);
        int sum = 0;
        for (int i = 0; i < count; i++) {
            sum += predictions[i];
        }
        return sum;
    }

    @Override
    public void close() {
        parallel.close();
    }
}
