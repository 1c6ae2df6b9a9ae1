package dev.lenet5.bench;

import java.net.URISyntaxException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import dev.lenet5.mnist.BatchIterator;
import dev.lenet5.nn.LeNet5;

/**
 * Our LeNet-5 on DJL's PyTorch engine, as the peer benchmarks and the cold-start comparison use it: the engine
 * started offline, the same network layer for layer, softmax cross-entropy and Adam, our weights copied in
 * (PyTorch's layouts on both sides), and the training step and evaluation pass on our batches.
 */
final class PeerLeNet implements AutoCloseable {

    static final String ENGINE = "PyTorch";

    /** A pass over a set of batches: the summed loss and the correct predictions. */
    record Pass(double lossSum, long correct, int images) {

        double loss() {
            return lossSum / images;
        }

        double accuracy() {
            return (double) correct / images;
        }

        Pass plus(Pass other) {
            return new Pass(lossSum + other.lossSum, correct + other.correct, images + other.images);
        }
    }

    final NDManager manager;
    final Model model;
    private final double labelSmoothing;
    private final Loss evaluationLoss = Loss.softmaxCrossEntropyLoss();
    final Trainer trainer;

    /**
     * A fresh model and trainer on the started engine ({@link #startEngine}).
     *
     * @param learningRate Adam's learning rate by update number (DJL counts from 1)
     * @param batch        the batch size the parameters are first shaped for
     */
    PeerLeNet(Tracker learningRate, int batch) {
        this(learningRate, batch, 0);
    }

    /**
     * As {@link #PeerLeNet(Tracker, int)}, training on labels smoothed by {@code labelSmoothing}: the one-hot target
     * mixed with the uniform one, (1 - eps) onehot + eps / 10, which is what PyTorch's
     * {@code CrossEntropyLoss(label_smoothing=eps)} and our training loss compute. Evaluation stays plain
     * cross-entropy.
     */
    PeerLeNet(Tracker learningRate, int batch, double labelSmoothing) {
        this.labelSmoothing = labelSmoothing;
        manager = NDManager.newBaseManager(Device.cpu(), ENGINE);
        model = Model.newInstance("lenet5", Device.cpu(), ENGINE);
        model.setBlock(lenet5());
        // sparse labels (class numbers) without smoothing; dense target rows with it
        Loss trainingLoss = labelSmoothing == 0 ? Loss.softmaxCrossEntropyLoss()
                : new SoftmaxCrossEntropyLoss("SoftmaxCrossEntropyLoss", 1, -1, false, true);
        DefaultTrainingConfig config = new DefaultTrainingConfig(trainingLoss)
                .optOptimizer(Optimizer.adam().optLearningRateTracker(learningRate).build());
        trainer = model.newTrainer(config);
        trainer.initialize(new Shape(batch, 1, LeNet5.HEIGHT, LeNet5.WIDTH));
    }

    /**
     * Starts DJL's PyTorch engine without the network: offline, the native library extracted from the
     * {@code pytorch-native-cpu} jar into {@code ENGINE_CACHE_DIR} (by default {@code djl-cache} next to this jar),
     * {@code threads} intra-op threads and one inter-op thread. The engine reads these once per JVM.
     */
    static Engine startEngine(int threads) {
        System.setProperty("ai.djl.offline", "true");
        if (System.getProperty("ENGINE_CACHE_DIR") == null && System.getenv("ENGINE_CACHE_DIR") == null) {
            System.setProperty("ENGINE_CACHE_DIR", defaultCacheDir().toString());
        }
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        return Engine.getEngine(ENGINE);
    }

    /** {@code djl-cache} next to the jar (or classes directory) this class was loaded from. */
    static Path defaultCacheDir() {
        try {
            Path from = Path.of(PeerLeNet.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return from.toAbsolutePath().getParent().resolve("djl-cache");
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of(System.getProperty("java.io.tmpdir"), "lenet5-djl-cache");
        }
    }

    /** LeNet-5 as {@link LeNet5} builds it, layer for layer. */
    static SequentialBlock lenet5() {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(6).build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(16).build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(120).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(84).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(10).build());
    }

    /** Copies our parameters in, in state-dict order, after checking that every shape matches. */
    void copyWeightsFrom(LeNet5 ours) {
        ParameterList theirs = model.getBlock().getParameters();
        if (theirs.size() != ours.parameters().size()) {
            throw new IllegalStateException("the DJL model has " + theirs.size() + " parameters, LeNet5 has "
                    + ours.parameters().size());
        }
        for (int i = 0; i < theirs.size(); i++) {
            dev.lenet5.nn.Parameter mine = ours.parameters().get(i);
            Parameter p = theirs.valueAt(i);
            long[] shape = p.getArray().getShape().getShape();
            if (!Arrays.equals(shape, Arrays.stream(mine.shape()).asLongStream().toArray())) {
                throw new IllegalStateException("DJL parameter " + theirs.keyAt(i) + " has shape " + Arrays.toString(shape)
                        + " but " + mine.name() + " has " + Arrays.toString(mine.shape()));
            }
            p.getArray().set(mine.data());
        }
    }

    /** A batch of {@code count} images ({@code (count, 1, 32, 32)} from index 0) in the long-lived manager. */
    NDArray images(float[] data, int count) {
        return images(manager, data, count);
    }

    private static NDArray images(NDManager in, float[] data, int count) {
        return in.create(FloatBuffer.wrap(data, 0, count * LeNet5.INPUT_SIZE),
                new Shape(count, 1, LeNet5.HEIGHT, LeNet5.WIDTH));
    }

    /** The first {@code count} labels, as floats (what DJL's softmax cross-entropy takes). */
    NDArray labels(int[] labels, int count) {
        return labels(manager, labels, count);
    }

    private static NDArray labels(NDManager in, int[] labels, int count) {
        float[] asFloat = new float[count];
        for (int i = 0; i < count; i++) {
            asFloat[i] = labels[i];
        }
        return in.create(asFloat);
    }

    /**
     * Forward, loss, backward and one Adam step on a batch already in the engine; returns the batch's mean loss.
     * Every intermediate array lives in a scope freed after the step; the batch goes back to its manager.
     */
    float trainStep(NDArray images, NDArray labels) {
        try (NDManager scope = manager.newSubManager()) {
            images.tempAttach(scope);
            labels.tempAttach(scope);
            float loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList target = new NDList(labelSmoothing == 0 ? labels : smoothed(labels));
                NDArray lossValue = trainer.getLoss().evaluate(target, trainer.forward(new NDList(images), target));
                collector.backward(lossValue);
                loss = lossValue.getFloat();
            }
            trainer.step();
            return loss;
        }
    }

    /** Class numbers as smoothed target rows, (1 - eps) onehot + eps / 10. */
    private NDArray smoothed(NDArray labels) {
        return labels.toType(DataType.INT32, false).oneHot(LeNet5.CLASSES)
                .mul((float) (1 - labelSmoothing)).add((float) (labelSmoothing / LeNet5.CLASSES));
    }

    /** One training step on the batch the iterator stands on (its floats copied into the engine). */
    float trainStep(BatchIterator batches) {
        int n = batches.count();
        try (NDManager scope = manager.newSubManager()) {
            return trainStep(images(scope, batches.images(), n), labels(scope, batches.labels(), n));
        }
    }

    /** Loss and correct predictions of the current weights, without autograd, over the iterator's batches in order. */
    Pass evaluate(BatchIterator batches) {
        Pass pass = new Pass(0, 0, 0);
        batches.inOrder();
        while (batches.next()) {
            pass = pass.plus(evaluateBatch(batches));
        }
        return pass;
    }

    /** The batch the iterator stands on, evaluated. */
    private Pass evaluateBatch(BatchIterator batches) {
        int n = batches.count();
        try (NDManager scope = manager.newSubManager()) {
            NDArray labels = labels(scope, batches.labels(), n);
            NDArray logits = trainer.evaluate(new NDList(images(scope, batches.images(), n))).singletonOrThrow();
            double meanLoss = evaluationLoss.evaluate(new NDList(labels), new NDList(logits)).getFloat();
            NDArray hits = logits.argMax(1).toType(DataType.FLOAT32, false).eq(labels);
            return new Pass(meanLoss * n, hits.toType(DataType.INT64, false).sum().getLong(), n);
        }
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
        manager.close();
    }
}
