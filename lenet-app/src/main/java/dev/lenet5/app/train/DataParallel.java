package dev.lenet5.app.train;

import dev.lenet5.nn.LeNet5;
import dev.lenet5.tensor.Parallel;
import java.util.function.IntConsumer;


/**
 * Runs LeNet-5 on a batch with several threads: the batch is cut into one contiguous part per thread,
 * each part runs on its own replica (shared parameter values, own activations and gradients), and the
 * replicas' gradients are added into the model's in replica order. The split and the order depend only on
 * the batch size and the thread count, so a run is bit-for-bit repeatable for a given thread count.
 *
 * <p>Replica 0 is the model itself, reading the batch in place; the others copy their part into a buffer
 * of their own (a few hundred kilobytes per step, small next to the arithmetic).
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

    private final LeNet5 model;
    private final LeNet5[] replicas;
    private final Parallel pool;
    private final IntConsumer part = this::runPart;   // one object, not one per batch
    private final double[] partLoss;
    private final int[] partCorrect;
    private final BatchStats stats = new BatchStats();
    private float[][] partImages;
    private int[][] partLabels;

    // The current call's arguments, read by the workers (published by Parallel.run's happens-before).
    private float[] images;
    private int[] labels;
    private int count;
    private boolean train;
    private int[] predictionsOut;
    private int predictionsOff;
    private double labelSmoothing;

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
        this.partImages = new float[threads][];
        this.partLabels = new int[threads][];
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
     * batch's mean loss (they are zeroed first). The optimiser step is the caller's.
     */
    public BatchStats trainStep(float[] images, int[] labels, int count) {
        return run(images, labels, count, true, null, 0);
    }

    /** Forward only; writes each image's predicted class to {@code predictions[off..off+count)} if not null. */
    public BatchStats evaluate(float[] images, int[] labels, int count, int[] predictions, int off) {
        return run(images, labels, count, false, predictions, off);
    }

    private BatchStats run(float[] images, int[] labels, int count, boolean train, int[] predictions, int off) {
        if (count < 1) {
            throw new IllegalArgumentException("a batch needs at least one image, got " + count);
        }
        this.images = images;
        this.labels = labels;
        this.count = count;
        this.train = train;
        this.predictionsOut = predictions;
        this.predictionsOff = off;
        int parts = Math.min(replicas.length, count);
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
        return stats;
    }

    private void runPart(int r) {
        int parts = Math.min(replicas.length, count);
        int start = (int) ((long) count * r / parts);
        int end = (int) ((long) count * (r + 1) / parts);
        int n = end - start;
        LeNet5 replica = replicas[r];
        float[] x = images;
        int[] y = labels;
        if (r > 0) {
            int floats = n * LeNet5.INPUT_SIZE;
            if (partImages[r] == null || partImages[r].length < floats) {
                partImages[r] = new float[floats];
                partLabels[r] = new int[n];
            }
            System.arraycopy(images, start * LeNet5.INPUT_SIZE, partImages[r], 0, floats);
            System.arraycopy(labels, start, partLabels[r], 0, n);
            x = partImages[r];
            y = partLabels[r];
        }
        replica.setLabelSmoothing(train ? labelSmoothing : 0);
        double mean = replica.forwardLoss(x, y, n);
        partLoss[r] = mean * n;
        partCorrect[r] = replica.correct();
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
