package dev.lenet5.app.train;

import dev.lenet5.app.report.ConfusionMatrix;
import dev.lenet5.mnist.BatchIterator;

/**
 * The network's predictions on a fixed set of images (validation or test), in the set's order.
 *
 * @param loss        mean cross-entropy
 * @param accuracy    fraction classified right
 * @param indices     the images' indices in their image set, in evaluation order
 * @param labels      their labels
 * @param predictions the predicted class of each
 * @param seconds     wall time of the pass
 */
public record Evaluation(double loss, double accuracy, int[] indices, int[] labels, int[] predictions, double seconds) {

    public int size() {
        return indices.length;
    }

    public int mistakes() {
        int n = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != predictions[i]) {
                n++;
            }
        }
        return n;
    }

    public ConfusionMatrix confusion(int classes) {
        ConfusionMatrix cm = new ConfusionMatrix(classes);
        for (int i = 0; i < labels.length; i++) {
            cm.add(labels[i], predictions[i]);
        }
        return cm;
    }

    /** Runs the network over every image of {@code batches} (in its given order, last partial batch kept). */
    public static Evaluation run(DataParallel network, BatchIterator batches) {
        long start = System.nanoTime();
        int total = batches.imagesPerEpoch();
        int[] indices = new int[total];
        int[] labels = new int[total];
        int[] predictions = new int[total];
        double lossSum = 0;
        long correct = 0;
        int seen = 0;
        batches.inOrder();
        while (batches.next()) {
            int n = batches.count();
            DataParallel.BatchStats s = network.evaluate(batches.images(), batches.labels(), n, predictions, seen);
            System.arraycopy(batches.batchIndices(), 0, indices, seen, n);
            System.arraycopy(batches.labels(), 0, labels, seen, n);
            lossSum += s.lossSum();
            correct += s.correct();
            seen += n;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Evaluation(lossSum / seen, (double) correct / seen, indices, labels, predictions, seconds);
    }
}
