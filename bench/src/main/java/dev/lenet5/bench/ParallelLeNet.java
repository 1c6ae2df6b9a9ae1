package dev.lenet5.bench;

import java.util.Map;
import java.util.function.IntConsumer;

import dev.lenet5.nn.LeNet5;
import dev.lenet5.nn.Tensor;
import dev.lenet5.nn.optim.Adam;
import dev.lenet5.tensor.Parallel;

/**
 * LeNet-5 training steps and inference on several threads, done as the training program does it: one
 * model replica per thread (shared weights, own activations and gradients) on a contiguous part of the
 * batch, the replicas' gradients added into the model's in replica order, then one Adam step. The pool is
 * created once and reused, so the threads are real and no thread is started per step. After the first
 * call of each batch size nothing is allocated.
 *
 * <p>The benchmark module keeps its own copy of this loop rather than using the application's, because the
 * application depends on this module (for its {@code bench} command), not the other way round.
 */
final class ParallelLeNet implements AutoCloseable {

    /** Adam's learning rate, PyTorch's default and the training program's. */
    static final double LR = 1e-3;

    private final LeNet5 model;
    private final LeNet5[] replicas;
    private final Parallel pool;
    private final IntConsumer part = this::runPart;   // one object, not one per call
    private final double[] partLoss;
    private final int[] partPrediction;
    private final float[][] partImages;
    private final int[][] partLabels;
    private final Adam adam;
    private final Map<String, Tensor> freshAdamState;

    // The current call, read by the workers (Parallel.run publishes it).
    private float[] images;
    private int[] labels;
    private int count;
    private boolean train;

    ParallelLeNet(LeNet5 model, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.model = model;
        this.replicas = new LeNet5[threads];
        replicas[0] = model;
        for (int r = 1; r < threads; r++) {
            replicas[r] = model.replica();
        }
        for (LeNet5 replica : replicas) {
            replica.setInputGradientEnabled(false);   // training never needs the gradient of the images
        }
        this.pool = new Parallel(threads);
        this.partLoss = new double[threads];
        this.partPrediction = new int[threads];
        this.partImages = new float[threads][];
        this.partLabels = new int[threads][];
        this.adam = new Adam(model.parameters(), model.kernels(), LR);
        this.freshAdamState = adam.state();
    }

    LeNet5 model() {
        return model;
    }

    int threads() {
        return replicas.length;
    }

    /**
     * New weights from {@code seed} and Adam's moments back to zero at step 0: the state of a run before its
     * first step. Reuses every buffer (a benchmark calls it between iterations, and -prof gc would count a
     * new optimiser's half megabyte against the steps).
     */
    void restart(long seed) {
        model.resetParameters(seed);
        adam.restoreState(0, freshAdamState);
    }

    /** Forward, backward and one Adam step on {@code count} images; returns the batch's mean loss. */
    double trainStep(float[] images, int[] labels, int count) {
        double loss = gradients(images, labels, count);
        adam.step();
        return loss;
    }

    /**
     * Forward and backward only: afterwards the model's gradients are those of the batch's mean loss.
     *
     * @return the mean loss
     */
    double gradients(float[] images, int[] labels, int count) {
        run(images, labels, count, true);
        double loss = 0;
        for (int r = 0; r < parts(); r++) {
            loss += partLoss[r];
            if (r > 0) {
                model.addGradientsFrom(replicas[r]);   // replica 0 is the model: its gradients are already there
            }
        }
        return loss / count;
    }

    /** Forward only; returns the sum of the first predicted class of each part (something to consume). */
    int infer(float[] images, int count) {
        run(images, null, count, false);
        int sum = 0;
        for (int r = 0; r < parts(); r++) {
            sum += partPrediction[r];
        }
        return sum;
    }

    private void run(float[] images, int[] labels, int count, boolean train) {
        if (count < 1) {
            throw new IllegalArgumentException("a batch needs at least one image, got " + count);
        }
        this.images = images;
        this.labels = labels;
        this.count = count;
        this.train = train;
        pool.run(parts(), part);
        this.images = null;
        this.labels = null;
    }

    private int parts() {
        return Math.min(replicas.length, count);
    }

    private int partStart(int r) {
        return Parallel.partitionStart(count, parts(), r);
    }

    private int partSize(int r) {
        return partStart(r + 1) - partStart(r);
    }

    private void runPart(int r) {
        int start = partStart(r);
        int n = partSize(r);
        LeNet5 replica = replicas[r];
        float[] x = images;
        int[] y = labels;
        if (r > 0) {
            // Replica 0 reads the batch in place; the others copy their part to the start of a buffer of their own.
            int floats = n * LeNet5.INPUT_SIZE;
            if (partImages[r] == null || partImages[r].length < floats) {
                partImages[r] = new float[floats];
                partLabels[r] = new int[n];
            }
            System.arraycopy(images, start * LeNet5.INPUT_SIZE, partImages[r], 0, floats);
            x = partImages[r];
            if (labels != null) {
                System.arraycopy(labels, start, partLabels[r], 0, n);
                y = partLabels[r];
            }
        }
        if (train) {
            partLoss[r] = replica.forwardLoss(x, y, n) * n;
            replica.zeroGrad();
            replica.backward(count);   // this part's share of the gradient of the whole batch's mean loss
        } else {
            replica.forward(x, n);
            partPrediction[r] = replica.predictions()[0];
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
