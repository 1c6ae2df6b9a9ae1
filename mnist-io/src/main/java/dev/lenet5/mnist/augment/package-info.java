/**
 * On-the-fly data augmentation for MNIST training: random affine warps (rotation, scale, shear, shift)
 * and the elastic distortions of Simard et al. (2003), seeded by the batch iterator's per-epoch
 * generator and allocation-free per image. {@link dev.lenet5.mnist.augment.Augmentations#parse} turns an
 * option value such as {@code affine+elastic} into an {@link dev.lenet5.mnist.augment.Augmentation}, the
 * {@link dev.lenet5.mnist.ImageTransform} to plug into {@link dev.lenet5.mnist.BatchIterator#setTransform}.
 */
package dev.lenet5.mnist.augment;
