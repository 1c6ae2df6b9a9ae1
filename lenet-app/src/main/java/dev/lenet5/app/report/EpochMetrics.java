package dev.lenet5.app.report;

/** What one epoch of training measured; one row of {@code metrics.csv}. */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy,
                           double seconds, double trainImagesPerSecond, double learningRate) {
}
