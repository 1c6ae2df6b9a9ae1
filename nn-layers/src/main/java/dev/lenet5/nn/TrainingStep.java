package dev.lenet5.nn;

import dev.lenet5.nn.optim.Optimizer;
import dev.lenet5.nn.optim.WeightAverage;
import java.util.Objects;

/**
 * One training step, the only one there is: the training program and the benchmarks both take this one, so what is
 * measured is what trains.
 * <ol>
 *   <li>forward and softmax cross-entropy, then backward, on the network's replicas, their gradients added in
 *       replica order ({@link DataParallel#forwardBackward});
 *   <li>a NaN or infinite loss stops training, naming the step and the layer where it began
 *       ({@link DataParallel#requireFiniteLoss});
 *   <li>the optimiser's step, which first checks every gradient is finite;
 *   <li>the weight average's update, when the run keeps one.
 * </ol>
 * A single model is a {@link DataParallel} of one thread, which runs on the calling thread. Setting the learning
 * rate (a schedule) is the caller's, before the step. Once the buffers exist for a batch size, a step allocates
 * nothing.
 */
public final class TrainingStep {

    private final DataParallel network;
    private final Optimizer optimizer;
    private final WeightAverage average;

    /**
     * @param average the weight average to update after each step, or null for none
     * @throws IllegalArgumentException if the optimiser or the average does not hold the network's parameters
     */
    public TrainingStep(DataParallel network, Optimizer optimizer, WeightAverage average) {
        this.network = Objects.requireNonNull(network, "network");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.average = average;
        if (!optimizer.parameters().equals(network.model().parameters())) {
            throw new IllegalArgumentException("the optimiser updates other parameters than the network's");
        }
        if (average != null && !average.parameters().equals(network.model().parameters())) {
            throw new IllegalArgumentException("the weight average follows other parameters than the network's");
        }
    }

    /**
     * One step on {@code count} images and their labels.
     *
     * @return the batch's summed loss and right predictions (the network's object, valid until its next call)
     * @throws NonFiniteException if the loss or a gradient is NaN or infinite; the weights, the optimiser and the
     *                            average are then as they were before the step
     */
    public DataParallel.BatchStats run(float[] images, int[] labels, int count) {
        return run(images, labels, count, null);
    }

    /** As {@link #run(float[], int[], int)}, the network's threads first loading their images with {@code loader}. */
    public DataParallel.BatchStats run(float[] images, int[] labels, int count, DataParallel.BatchLoader loader) {
        DataParallel.BatchStats stats = network.forwardBackward(images, labels, count, loader);
        network.requireFiniteLoss(optimizer.stepCount() + 1);
        optimizer.step();
        if (average != null) {
            average.update();
        }
        return stats;
    }

    public DataParallel network() {
        return network;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** The weight average the step updates, or null when there is none. */
    public WeightAverage average() {
        return average;
    }
}
