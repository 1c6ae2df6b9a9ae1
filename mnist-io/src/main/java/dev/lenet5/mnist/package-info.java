/**
 * MNIST input: a streaming, validating IDX reader ({@link dev.lenet5.mnist.IdxReader}), the dataset
 * ({@link dev.lenet5.mnist.MnistDataset}, {@link dev.lenet5.mnist.ImageSet}), a seeded train/validation
 * {@link dev.lenet5.mnist.Split} and a buffer-reusing {@link dev.lenet5.mnist.BatchIterator} producing
 * float NCHW batches. Depends on commons-compress only.
 */
package dev.lenet5.mnist;
