package dev.lenet5.nn;

import dev.lenet5.tensor.kernel.ConvGeometry;
import dev.lenet5.tensor.kernel.TensorKernels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * LeNet-5 for 32x32 grey images and 10 classes:
 * <pre>
 * (N,1,32,32) → conv1 1→6 5x5 → ReLU → maxpool 2x2/2 → conv2 6→16 5x5 → ReLU → maxpool 2x2/2
 *             → flatten (C,H,W) 400 → fc1 400→120 → ReLU → fc2 120→84 → ReLU → fc3 84→10 → logits (N,10)
 * </pre>
 * followed by softmax cross-entropy averaged over the batch. Parameters carry PyTorch's state_dict names and
 * layouts ({@code conv1.weight [6,1,5,5]} ... {@code fc3.bias [10]}), in that order.
 *
 * <p>Training steps go through {@link TrainingStep}; on one thread, what it does comes down to:
 * <pre>{@code
 * model.zeroGrad();
 * double loss = model.forwardLoss(images, labels, n);
 * model.requireFiniteLoss(step, loss);
 * model.backward();
 * optimizer.step();          // checks the gradients, then updates model.parameters()
 * }</pre>
 * Data parallelism: each thread runs its own {@link #replica()} (shared parameter values, own gradients and
 * buffers) on part of the batch and calls {@link #backward(int)} with the whole batch's size; the main thread
 * then adds each replica's gradients into the model's with {@link #addGradientsFrom} in a fixed order, and
 * the optimiser steps the model's parameters, which every replica sees.
 *
 * <p>Not thread-safe; arrays returned by {@code forward}/{@code backward} belong to the model and are valid
 * until the next call of the same method.
 */
public final class LeNet5 {

    /**
     * How an image becomes this network's input: a square digit of {@code digitSize} pixels, framed by
     * {@code padding} pixels of background on every side, pixel values in [0, 1] with 0 as the background (not
     * normalised).
     */
    public record InputConvention(int digitSize, int padding) {

        /** The side of the framed image: the network's input height and width. */
        public int size() {
            return digitSize + 2 * padding;
        }
    }

    /**
     * This network's input: MNIST's 28x28 digits zero-padded by 2 pixels to 32x32 (LeCun et al. padded them so
     * that strokes at a digit's edge can fall in the middle of the feature detectors' receptive fields), pixels
     * in [0, 1] (a byte / 255).
     */
    public static final InputConvention INPUT = new InputConvention(28, 2);
    public static final int CHANNELS = 1;
    public static final int HEIGHT = 32;
    public static final int WIDTH = 32;
    /** Floats per input image. */
    public static final int INPUT_SIZE = CHANNELS * HEIGHT * WIDTH;
    public static final int CLASSES = 10;
    /** Parameter names in state_dict order. */
    public static final List<String> PARAMETER_NAMES = List.of(
            "conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
            "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias");

    private final TensorKernels kernels;
    private final Conv2d conv1;
    private final Conv2d conv2;
    private final Linear fc1;
    private final Linear fc2;
    private final Linear fc3;
    private final List<Layer> layers;
    private final List<Parameter> parameters;
    private final SoftmaxCrossEntropy loss;
    private final float[][] activations;   // each layer's output of the last forward (references, no copies)

    private int batch;
    private boolean lossReady;
    private int[] predictions;

    /** A model with PyTorch's default initialisation drawn from {@code new Random(seed)}: repeatable per seed. */
    public LeNet5(TensorKernels kernels, long seed) {
        this(kernels);
        resetParameters(seed);
    }

    private LeNet5(TensorKernels kernels) {
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        // Each ReLU is fused into the layer before it: no separate pass or buffer.
        conv1 = new Conv2d("conv1", kernels, ConvGeometry.square(CHANNELS, HEIGHT, WIDTH, 5, 1, 0), 6, Activation.RELU);
        conv2 = new Conv2d("conv2", kernels, ConvGeometry.square(6, 14, 14, 5, 1, 0), 16, Activation.RELU);
        fc1 = new Linear("fc1", kernels, 16 * 5 * 5, 120, Activation.RELU);
        fc2 = new Linear("fc2", kernels, 120, 84, Activation.RELU);
        fc3 = new Linear("fc3", kernels, 84, CLASSES);
        layers = List.of(
                conv1,
                new MaxPool2d("pool1", kernels, 6, 28, 28, 2, 2),
                conv2,
                new MaxPool2d("pool2", kernels, 16, 10, 10, 2, 2),
                new Flatten("flatten", 16 * 5 * 5),
                fc1,
                fc2,
                fc3);
        parameters = collectParameters(layers);
        loss = new SoftmaxCrossEntropy(kernels, CLASSES);
        activations = new float[layers.size()][];
    }

    /** Replica constructor: the same layers, sharing the source's parameter values. */
    private LeNet5(LeNet5 source) {
        this.kernels = source.kernels;
        List<Layer> copies = new ArrayList<>();
        for (Layer layer : source.layers) {
            copies.add(layer.replica());
        }
        layers = List.copyOf(copies);
        conv1 = (Conv2d) layers.get(0);
        conv2 = (Conv2d) layers.get(2);
        fc1 = (Linear) layers.get(5);
        fc2 = (Linear) layers.get(6);
        fc3 = (Linear) layers.get(7);
        parameters = collectParameters(layers);
        loss = source.loss.replica();
        activations = new float[layers.size()][];
    }

    private static List<Parameter> collectParameters(List<Layer> layers) {
        List<Parameter> all = new ArrayList<>();
        for (Layer layer : layers) {
            all.addAll(layer.parameters());
        }
        List<String> names = all.stream().map(Parameter::name).toList();
        if (!names.equals(PARAMETER_NAMES)) {
            throw new IllegalStateException("LeNet5 parameters out of state_dict order: " + names);
        }
        return Collections.unmodifiableList(all);
    }

    /**
     * Re-draws every parameter with PyTorch's default initialisation from {@code new Random(seed)}, layer by
     * layer in state_dict order (weight, then bias). Replicas see the new values.
     */
    public void resetParameters(long seed) {
        Random rng = new Random(seed);
        conv1.resetParameters(rng);
        conv2.resetParameters(rng);
        fc1.resetParameters(rng);
        fc2.resetParameters(rng);
        fc3.resetParameters(rng);
    }

    /** A model sharing this one's parameter values, with its own gradients, activations and buffers. */
    public LeNet5 replica() {
        return new LeNet5(this);
    }

    public TensorKernels kernels() {
        return kernels;
    }

    /**
     * Layers in forward order: conv1, pool1, conv2, pool2, flatten, fc1, fc2, fc3, the ReLUs fused into conv1,
     * conv2, fc1 and fc2.
     */
    public List<Layer> layers() {
        return layers;
    }

    /** Parameters in state_dict order. */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** The parameter with a state_dict name, e.g. {@code fc1.weight}. */
    public Parameter parameter(String name) {
        for (Parameter p : parameters) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("LeNet5 has no parameter '" + name + "'; its parameters are " + PARAMETER_NAMES);
    }

    /**
     * Whether {@link #backward} computes the gradient with respect to the input images (default on). Training
     * does not need it; switching it off skips conv1's most expensive backward GEMM and col2im.
     */
    public void setInputGradientEnabled(boolean enabled) {
        conv1.setInputGradientEnabled(enabled);
    }

    /**
     * Label smoothing of the loss from the next {@link #forwardLoss} on (0, the default, is plain cross-entropy);
     * see {@link SoftmaxCrossEntropy#setLabelSmoothing}. Each replica has its own setting.
     */
    public void setLabelSmoothing(double eps) {
        loss.setLabelSmoothing(eps);
    }

    /**
     * Runs the network on {@code batch} images {@code (N,1,32,32)} stored at the start of {@code images}.
     * The model keeps a reference to {@code images} for backward: do not change it in between.
     *
     * @return logits {@code (N,10)}: the model's buffer, valid until the next forward
     */
    public float[] forward(float[] images, int batch) {
        return forward(images, 0, batch);
    }

    /**
     * {@link #forward(float[], int)} on the {@code batch} images starting at {@code images[offset]} (a multiple of
     * {@link #INPUT_SIZE} for whole images): a data-parallel part of a batch, read in place.
     */
    public float[] forward(float[] images, int offset, int batch) {
        Buffers.checkBatch("LeNet5", "images", images, offset, batch, INPUT_SIZE);
        float[] x = conv1.forward(images, offset, batch);
        activations[0] = x;
        for (int i = 1; i < layers.size(); i++) {
            x = layers.get(i).forward(x, batch);
            activations[i] = x;
        }
        this.batch = batch;
        this.lossReady = false;
        predictions = Buffers.atLeast(predictions, batch, "LeNet5");
        argmaxRows(x, batch, CLASSES, predictions);
        return x;
    }

    /**
     * Forward plus the mean softmax cross-entropy against {@code labels[0..batch)}; afterwards
     * {@link #correct()} counts the right predictions and {@link #backward} may run.
     */
    public double forwardLoss(float[] images, int[] labels, int batch) {
        return forwardLoss(images, 0, labels, 0, batch);
    }

    /**
     * {@link #forwardLoss(float[], int[], int)} on the {@code batch} images from {@code images[imageOffset]} and
     * their labels from {@code labels[labelOffset]}: a part of a batch, read in place (not copied).
     */
    public double forwardLoss(float[] images, int imageOffset, int[] labels, int labelOffset, int batch) {
        float[] logits = forward(images, imageOffset, batch);
        double value = loss.forward(logits, labels, labelOffset, batch);
        lossReady = true;
        return value;
    }

    /** Backward of the mean loss of the last {@link #forwardLoss}; see {@link #backward(int)}. */
    public float[] backward() {
        return backward(batch);
    }

    /**
     * Accumulates every parameter's gradient ({@code grad +=}) of the loss of the last {@link #forwardLoss},
     * taken as the sum of per-image losses divided by {@code lossDivisor} (the batch size for the mean; the
     * whole batch's size when this model is a replica that saw part of it).
     *
     * @return the gradient with respect to the input images {@code (N,1,32,32)}, the model's buffer; or
     *         {@code null} when {@linkplain #setInputGradientEnabled input gradients are off}
     */
    public float[] backward(int lossDivisor) {
        if (!lossReady) {
            throw new IllegalStateException("LeNet5: backward needs a forwardLoss first (forward alone has no loss)");
        }
        float[] dy = loss.backward(lossDivisor);
        for (int i = layers.size() - 1; i >= 0; i--) {
            dy = layers.get(i).backward(dy, batch);
            if (dy == null) {
                break;   // conv1 without input gradient: nothing further down
            }
        }
        return dy;
    }

    /**
     * The output of the layer named {@code layerName} (see {@link #layers()}) in the last forward, after its fused
     * ReLU: {@code batch * outputSize()} floats, NCHW for the convolutions ({@code conv1}: 6 maps of 28x28 per image,
     * {@code conv2}: 16 of 10x10). The layer's own buffer, valid until the next forward; it may be longer than the
     * batch needs. What a caller reads to show what the network saw.
     *
     * @throws IllegalArgumentException for a name that is not one of the layers'
     * @throws IllegalStateException    before the first forward
     */
    public float[] output(String layerName) {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).name().equals(layerName)) {
                if (activations[i] == null) {
                    throw new IllegalStateException("LeNet5: output(\"" + layerName + "\") needs a forward first");
                }
                return activations[i];
            }
        }
        throw new IllegalArgumentException("LeNet5 has no layer '" + layerName + "'; its layers are "
                + layers.stream().map(Layer::name).toList());
    }

    /** Number of correctly classified images in the last {@link #forwardLoss}. */
    public int correct() {
        if (!lossReady) {
            throw new IllegalStateException("LeNet5: correct() needs a forwardLoss first");
        }
        return loss.correct();
    }

    /** Predicted class (first maximum of the logits) per image of the last forward; first {@code batch} valid. */
    public int[] predictions() {
        if (predictions == null) {
            throw new IllegalStateException("LeNet5: predictions() needs a forward first");
        }
        return predictions;
    }

    /** Softmax of the last {@link #forwardLoss}'s logits, {@code (N,10)}. */
    public float[] probabilities() {
        if (!lossReady) {
            throw new IllegalStateException("LeNet5: probabilities() needs a forwardLoss first");
        }
        return loss.probabilities();
    }

    /** Sets every parameter gradient to zero. */
    public void zeroGrad() {
        for (int i = 0; i < parameters.size(); i++) {   // indexed: no iterator garbage per step
            parameters.get(i).zeroGrad();
        }
    }

    /**
     * {@code grad += replica.grad} for every parameter. Call it for the replicas in a fixed order so that a run
     * is repeatable bit for bit.
     *
     * @throws IllegalArgumentException if {@code replica} does not share this model's parameter values
     */
    public void addGradientsFrom(LeNet5 replica) {
        if (replica == this) {
            throw new IllegalArgumentException("LeNet5: cannot add a model's gradients to itself");
        }
        for (int i = 0; i < parameters.size(); i++) {
            Parameter mine = parameters.get(i);
            Parameter theirs = replica.parameters.get(i);
            if (!mine.sharesValuesWith(theirs)) {
                throw new IllegalArgumentException("LeNet5: " + theirs.name() + " of the other model is not a replica of"
                        + " this model's parameter; only replicas made by replica() can be combined");
            }
            kernels.axpy(mine.size(), 1f, theirs.grad(), 0, mine.grad(), 0);
        }
    }

    /**
     * Throws {@link NonFiniteException} if {@code lossValue} is NaN or infinite, naming the first layer whose
     * output in the last forward held a non-finite value (or the parameter that did) to show where it began.
     */
    public void requireFiniteLoss(long step, double lossValue) {
        if (Double.isFinite(lossValue)) {
            return;
        }
        String what = "loss is " + FiniteChecks.describe(lossValue);
        for (Parameter p : parameters) {
            int bad = FiniteChecks.firstNonFinite(kernels, p.data(), p.size());
            if (bad >= 0) {
                throw new NonFiniteException(step, p.name(), what + "; parameter " + p.name() + " holds "
                        + FiniteChecks.describe(p.data()[bad]) + " (element " + bad + ")");
            }
        }
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            if (activations[i] == null) {
                break;
            }
            int bad = FiniteChecks.firstNonFinite(kernels, activations[i], batch * layer.outputSize());
            if (bad >= 0) {
                throw new NonFiniteException(step, layer.name(), what + "; first non-finite value in the output of "
                        + layer.name() + " (image " + bad / layer.outputSize() + ", element " + bad % layer.outputSize()
                        + "): " + FiniteChecks.describe(activations[i][bad]) + " (check the input images and the"
                        + " learning rate)");
            }
        }
        throw new NonFiniteException(step, "loss", what + " although every activation is finite (logits too far apart)");
    }

    /** Index of the first maximum of each row of {@code x: (rows, cols)}. */
    static void argmaxRows(float[] x, int rows, int cols, int[] out) {
        for (int i = 0; i < rows; i++) {
            int row = i * cols;
            int best = 0;
            for (int j = 1; j < cols; j++) {
                if (x[row + j] > x[row + best]) {
                    best = j;
                }
            }
            out[i] = best;
        }
    }
}
