package dev.lenet5.app.train;

import dev.lenet5.app.report.ConfusionMatrix;
import dev.lenet5.app.report.ErrorInterval;
import dev.lenet5.app.report.MisclassifiedGrid;
import dev.lenet5.mnist.BatchIterator;
import dev.lenet5.mnist.ImageSet;
import dev.lenet5.nn.DataParallel;
import dev.lenet5.nn.LeNet5;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

    public static final String CONFUSION_FILE = "confusion.txt";
    public static final String MISCLASSIFIED_FILE = "misclassified.png";
    /** The largest number of misclassified digits drawn in {@code misclassified.png}. */
    static final int MAX_DRAWN_MISTAKES = 100;

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

    /** The test error with its 95% confidence interval (Wilson): how far this test set pins the error down. */
    public ErrorInterval errorInterval() {
        return ErrorInterval.wilson(mistakes(), size());
    }

    public ConfusionMatrix confusion(int classes) {
        ConfusionMatrix cm = new ConfusionMatrix(classes);
        for (int i = 0; i < labels.length; i++) {
            cm.add(labels[i], predictions[i]);
        }
        return cm;
    }

    /**
     * Writes {@code confusion.txt} and {@code misclassified.png} (the first {@value #MAX_DRAWN_MISTAKES} mistakes
     * in evaluation order, drawn from {@code images}, the set the indices refer to) into {@code dir}.
     */
    public void writeReports(Path dir, ImageSet images) throws IOException {
        confusion(LeNet5.CLASSES).write(dir.resolve(CONFUSION_FILE));
        List<MisclassifiedGrid.Mistake> drawn = new ArrayList<>();
        for (int i = 0; i < size() && drawn.size() < MAX_DRAWN_MISTAKES; i++) {
            if (labels[i] != predictions[i]) {
                int idx = indices[i];
                drawn.add(new MisclassifiedGrid.Mistake(idx, images.rawImage(idx), images.rows(), images.cols(),
                        labels[i], predictions[i]));
            }
        }
        MisclassifiedGrid.write(dir.resolve(MISCLASSIFIED_FILE), drawn, mistakes(), size());
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
        DataParallel.BatchLoader loader = batches::writeImages;   // each thread loads its part of the batch
        while (batches.prepare()) {
            int n = batches.count();
            DataParallel.BatchStats s = network.evaluate(batches.images(), batches.labels(), n, predictions, seen, loader);
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
