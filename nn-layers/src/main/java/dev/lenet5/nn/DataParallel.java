package dev.lenet5.nn;

import dev.lenet5.tensor.Parallel;
import java.util.function.IntConsumer;


/**
 * Runs LeNet-5 on a batch with several threads: the batch is cut into one contiguous part per thread,
 * each part runs on its own replica (shared parameter values, own activations and gradients), reading its
 * images and labels in place, and the replicas' gradients are added into the model's in replica order.
 * The split and the order depend only on the batch size and the thread count, so a run is bit-for-bit
 * repeatable for a given thread count.
 *
 * <p>What stays on the calling thread is small: adding the replicas' gradients (61,706 values, about 10 us)
 * costs less than waking the workers again to split it.
 */
public final class DataParallel implements AutoCloseable {

    /** What one batch gave: the summed (not averaged) loss and the number of right predictions. */
    public static final class BatchStats {
        double lossSum;
        int correct;

        public double lossSum() {
            return lossSum;
        }

        public int correct() {
            return correct;
        }
    }

    /** Writes images {@code [from, to)} of the current batch into its images array, on the calling thread. */
    @FunctionalInterface
    public interface BatchLoader {
        void load(int from, int to);
    }

    private final LeNet5 model;
    private final LeNet5[] replicas;
    private final Parallel pool;
    private final IntConsumer part = this::runPart;   // one object, not one per batch
    private final double[] partLoss;
    private final int[] partCorrect;
    private final BatchStats stats = new BatchStats();

    // The current call's arguments, read by the workers (published by Parallel.run's happens-before).
    private float[] images;
    private int[] labels;
    private int count;
    private boolean train;
    private int[] predictionsOut;
    private BatchLoader loader;
    private int predictionsOff;
    private double labelSmoothing;
    private int parts;   // replicas that had a part of the last batch

    public DataParallel(LeNet5 model, int threads) {
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
            replica.setInputGradientEnabled(false);
        }
        this.pool = new Parallel(threads);
        this.partLoss = new double[threads];
        this.partCorrect = new int[threads];
    }

    public LeNet5 model() {
        return model;
    }

    public int threads() {
        return replicas.length;
    }

    /** Label smoothing for training steps; evaluation always measures the plain cross-entropy. */
    public void setLabelSmoothing(double eps) {
        for (LeNet5 replica : replicas) {
            replica.setLabelSmoothing(eps);   // validates before anything is kept
        }
        this.labelSmoothing = eps;
    }

    /**
     * Forward and backward on {@code count} images: afterwards the model's gradients hold the gradient of the
     * batch's mean loss (they are zeroed first). The rest of a training step is {@link TrainingStep}'s.
     */
    public BatchStats forwardBackward(float[] images, int[] labels, int count) {
        return forwardBackward(images, labels, count, null);
    }

    /**
     * As {@link #forwardBackward(float[], int[], int)}, each thread first writing its part of the batch's images with
     * {@code loader} (null: the images are already there). Preparing the batch (decoding, augmenting) then runs in
     * parallel too instead of before every step.
     */
    public BatchStats forwardBackward(float[] images, int[] labels, int count, BatchLoader loader) {
        return run(images, labels, count, true, null, 0, loader);
    }

    /** Forward only; writes each image's predicted class to {@code predictions[off..off+count)} if not null. */
    public BatchStats evaluate(float[] images, int[] labels, int count, int[] predictions, int off) {
        return evaluate(images, labels, count, predictions, off, null);
    }

    /** As {@link #evaluate(float[], int[], int, int[], int)}, each thread first loading its images (see above). */
    public BatchStats evaluate(float[] images, int[] labels, int count, int[] predictions, int off, BatchLoader loader) {
        if (labels == null) {
            throw new IllegalArgumentException("evaluate needs labels; predict classifies without them");
        }
        return run(images, labels, count, false, predictions, off, loader);
    }

    /**
     * Inference: the predicted class of each of {@code count} images into {@code predictions[off..off+count)},
     * with no loss computed (the returned stats are zero).
     */
    public BatchStats predict(float[] images, int count, int[] predictions, int off) {
        if (predictions == null) {
            throw new IllegalArgumentException("predict needs an array for the predictions");
        }
        return run(images, null, count, false, predictions, off, null);
    }

    /**
     * Throws {@link NonFiniteException} if the loss of the last call was NaN or infinite, naming the first layer
     * whose output held a non-finite value in the replica whose part of the batch produced it (see
     * {@link LeNet5#requireFiniteLoss}).
     */
    public void requireFiniteLoss(long step) {
        if (Double.isFinite(stats.lossSum)) {
            return;
        }
        for (int r = 0; r < parts; r++) {
            replicas[r].requireFiniteLoss(step, partLoss[r]);
        }
        model.requireFiniteLoss(step, stats.lossSum);   // finite parts whose sum overflowed
    }

    private BatchStats run(float[] images, int[] labels, int count, boolean train, int[] predictions, int off,
                           BatchLoader loader) {
        if (count < 1) {
            throw new IllegalArgumentException("a batch needs at least one image, got " + count);
        }
        this.loader = loader;
        this.images = images;
        this.labels = labels;
        this.count = count;
        this.train = train;
        this.predictionsOut = predictions;
        this.predictionsOff = off;
        this.parts = Math.min(replicas.length, count);
        pool.run(parts, part);
        stats.lossSum = 0;
        stats.correct = 0;
        for (int r = 0; r < parts; r++) {
            stats.lossSum += partLoss[r];
            stats.correct += partCorrect[r];
            if (train && r > 0) {
                model.addGradientsFrom(replicas[r]);
            }
        }
        this.images = null;
        this.labels = null;
        this.predictionsOut = null;
        this.loader = null;
        return stats;
    }

    private void runPart(int r) {
        int start = Parallel.partitionStart(count, parts, r);
        int n = Parallel.partitionStart(count, parts, r + 1) - start;
        LeNet5 replica = replicas[r];
        if (loader != null) {
            loader.load(start, start + n);
        }
        if (labels == null) {
            replica.forward(images, start * LeNet5.INPUT_SIZE, n);
            partLoss[r] = 0;
            partCorrect[r] = 0;
        } else {
            replica.setLabelSmoothing(train ? labelSmoothing : 0);
            double mean = replica.forwardLoss(images, start * LeNet5.INPUT_SIZE, labels, start, n);
            partLoss[r] = mean * n;
            partCorrect[r] = replica.correct();
        }
        if (predictionsOut != null) {
            System.arraycopy(replica.predictions(), 0, predictionsOut, predictionsOff + start, n);
        }
        if (train) {
            replica.zeroGrad();
            // Each replica's share of the gradient of the WHOLE batch's mean loss.
            replica.backward(count);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
