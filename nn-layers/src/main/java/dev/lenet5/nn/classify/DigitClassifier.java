package dev.lenet5.nn.classify;

import dev.lenet5.nn.LeNet5;
import dev.lenet5.nn.io.ModelFile;
import dev.lenet5.tensor.kernel.Kernels;
import dev.lenet5.tensor.kernel.TensorKernels;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * A trained LeNet-5 that classifies images of handwritten digits: the model file of a training run, or the
 * model this jar carries.
 *
 * <pre>{@code
 * DigitClassifier classifier = DigitClassifier.bundled();
 * Prediction p = classifier.classify(Path.of("digit.png"));
 * System.out.println(p.digit() + " with probability " + p.confidence());
 * }</pre>
 *
 * <p>Inputs follow the network's convention ({@link LeNet5#INPUT}): a 28x28 digit, light ink (1) on a dark
 * background (0), pixels in [0,1] without mean or deviation normalisation, zero-padded by 2 pixels to 32x32.
 * Images of any size and either polarity are first prepared as MNIST's digits were made
 * ({@link DigitPreprocessor}: cropped to the ink, fitted into 20x20, centred by centre of mass in 28x28).
 *
 * <p>Thread-safe: any number of threads may share one classifier. Single digits run on a small pool of network
 * replicas (sharing the weights, each with its own buffers); {@link #classifyAll} runs on a replica of its own.
 * A classifier holds no open files and no threads, and closes nothing its caller opened. The kernels are the
 * JVM's ({@link Kernels#get()}: the Vector API's when {@code --add-modules jdk.incubator.vector} is given).
 */
public final class DigitClassifier {

    /** Images per forward pass of {@link #classifyAll}: large enough to run at full speed, small in memory. */
    static final int BATCH = 500;
    private static final int DIGIT = LeNet5.INPUT.digitSize();
    private static final int SIDE = LeNet5.INPUT.size();
    private static final int PAD = LeNet5.INPUT.padding();

    private final LeNet5 weights;                 // holds the parameters; only its replicas run
    private final Map<String, String> metadata;
    private final String source;
    private final ArrayBlockingQueue<LeNet5> idle;

    private DigitClassifier(ModelFile.Loaded loaded, String source) {
        this.weights = loaded.network();
        this.metadata = loaded.metadata();
        this.source = source;
        this.idle = new ArrayBlockingQueue<>(Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * The model in {@code modelFile}: a {@code model.safetensors} or {@code checkpoint.safetensors} written by
     * training (PyTorch's state_dict names and shapes), computing with this JVM's kernels.
     *
     * @throws IOException naming the file if it is missing, unreadable, not a safetensors file, or holds tensors
     *                     with other names or shapes than LeNet-5's
     */
    public static DigitClassifier load(Path modelFile) throws IOException {
        return load(modelFile, Kernels.get());
    }

    /** As {@link #load(Path)}, computing with {@code kernels} (for programs that choose their own). */
    public static DigitClassifier load(Path modelFile, TensorKernels kernels) throws IOException {
        return new DigitClassifier(ModelFile.load(modelFile, Objects.requireNonNull(kernels, "kernels")),
                modelFile.toString());
    }

    /**
     * The trained model carried in the nn-layers jar (its {@link #metadata()} says how it was trained), computing
     * with this JVM's kernels. The file is read once per JVM; each call gives a classifier of its own.
     *
     * @throws IllegalStateException if the jar carries no model (a broken build)
     */
    public static DigitClassifier bundled() {
        return bundled(Kernels.get());
    }

    /** As {@link #bundled()}, computing with {@code kernels}. */
    public static DigitClassifier bundled(TensorKernels kernels) {
        return new DigitClassifier(BundledModel.load(Objects.requireNonNull(kernels, "kernels")), BundledModel.NAME);
    }

    /**
     * Classifies a picture of one handwritten digit, of any size, dark on light or light on dark, after
     * preparing it as MNIST's digits were made.
     *
     * @throws IllegalArgumentException if the image holds no ink (blank, or no contrast)
     */
    public Prediction classify(BufferedImage image) {
        Objects.requireNonNull(image, "the image must not be null");
        return classify(DigitPreprocessor.toMnist(image));
    }

    /**
     * Classifies the digit in a PNG or JPEG file, within {@link DigitImages}' limits
     * ({@value DigitImages#MAX_FILE_BYTES} bytes, {@value DigitImages#MAX_PIXELS} pixels).
     *
     * @throws IOException naming the file if it is missing, too large, not a PNG or JPEG image, undecodable or
     *                     blank ({@link DigitImageException})
     */
    public Prediction classify(Path imageFile) throws IOException {
        Objects.requireNonNull(imageFile, "the image file must not be null");
        return classify(DigitImages.prepare(imageFile));
    }

    /**
     * Classifies a digit given as pixels: 784 values (28x28, row-major, zero-padded here to 32x32) or 1024
     * (32x32, already padded), in [0,1] with the ink 1 and the background 0. The array is not kept or changed.
     *
     * @throws NullPointerException     if {@code pixels} is null
     * @throws IllegalArgumentException if it has another length, or a value that is not a number in [0,1]
     */
    public Prediction classify(float[] pixels) {
        float[] input = networkInput(pixels, "pixels");
        LeNet5 net = borrow();
        try {
            return predictions(net, input, 1).get(0);
        } finally {
            giveBack(net);
        }
    }

    /**
     * Classifies many digits, each as {@link #classify(float[])} takes them, in batched forward passes; the
     * predictions come in the list's order. Every array is checked before any is classified.
     *
     * @throws NullPointerException     if the list or one of its arrays is null
     * @throws IllegalArgumentException naming the first array of another length or with a value outside [0,1]
     */
    public List<Prediction> classifyAll(List<float[]> pixels) {
        Objects.requireNonNull(pixels, "the list of pixel arrays must not be null");
        List<float[]> digits = new ArrayList<>(pixels);   // a snapshot: the caller's list may change meanwhile
        for (int i = 0; i < digits.size(); i++) {
            check(digits.get(i), "pixels[" + i + "]");
        }
        List<Prediction> out = new ArrayList<>(digits.size());
        if (digits.isEmpty()) {
            return out;
        }
        // A replica of its own: its buffers grow to the batch and go when the call ends, not into the pool.
        LeNet5 net = newReplica();
        float[] batch = new float[Math.min(BATCH, digits.size()) * LeNet5.INPUT_SIZE];
        for (int first = 0; first < digits.size(); first += BATCH) {
            int n = Math.min(BATCH, digits.size() - first);
            for (int i = 0; i < n; i++) {
                place(digits.get(first + i), batch, i * LeNet5.INPUT_SIZE);
            }
            out.addAll(predictions(net, batch, n));
        }
        return out;
    }

    /**
     * As {@link #classify(float[])}, plus what the network saw: the 28x28 digit (for a 32x32 input, its centre
     * inside the 2-pixel frame) and the feature maps of conv1 and conv2 after their ReLU.
     */
    public Explanation explain(float[] pixels) {
        float[] input = networkInput(pixels, "pixels");
        LeNet5 net = borrow();
        try {
            Prediction p = predictions(net, input, 1).get(0);
            return new Explanation(p, centre(input), maps(net.output("conv1"), Explanation.CONV1_MAPS,
                    Explanation.CONV1_SIZE), maps(net.output("conv2"), Explanation.CONV2_MAPS, Explanation.CONV2_SIZE));
        } finally {
            giveBack(net);
        }
    }

    /**
     * The model file's safetensors metadata, unmodifiable: for a model written by {@code train}, its provenance
     * (recipe, seed, epochs, test accuracy, program version, input convention).
     */
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public String toString() {
        return "DigitClassifier[" + source + ", kernels " + weights.kernels().name() + "]";
    }

    /** Forward of the first {@code n} images of {@code batch}, then the softmax of each row of logits. */
    private static List<Prediction> predictions(LeNet5 net, float[] batch, int n) {
        float[] logits = net.forward(batch, n);
        float[] probs = new float[n * Prediction.CLASSES];
        net.kernels().softmaxRows(n, Prediction.CLASSES, logits, 0, probs, 0, Prediction.CLASSES);
        int[] digits = net.predictions();
        List<Prediction> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] p = new float[Prediction.CLASSES];
            System.arraycopy(probs, i * Prediction.CLASSES, p, 0, Prediction.CLASSES);
            out.add(new Prediction(digits[i], p));
        }
        return out;
    }

    /** The network's 32x32 input for a 28x28 or 32x32 digit, after checking every value. */
    private static float[] networkInput(float[] pixels, String what) {
        check(pixels, what);
        float[] input = new float[LeNet5.INPUT_SIZE];
        place(pixels, input, 0);
        return input;
    }

    /** Checks the length and every value of a 28x28 or 32x32 digit; {@code what} names it in messages. */
    private static void check(float[] pixels, String what) {
        Objects.requireNonNull(pixels, () -> what + " must not be null");
        if (pixels.length != DIGIT * DIGIT && pixels.length != SIDE * SIDE) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must hold %d values (%dx%d) or %d (%dx%d),"
                    + " got %d", what, DIGIT * DIGIT, DIGIT, DIGIT, SIDE * SIDE, SIDE, SIDE, pixels.length));
        }
        int side = pixels.length == SIDE * SIDE ? SIDE : DIGIT;
        for (int i = 0; i < pixels.length; i++) {
            float v = pixels[i];
            if (!(v >= 0f && v <= 1f)) {   // NaN fails both comparisons
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: the value at row %d, column %d is %s;"
                        + " pixels must be in [0,1] with the ink 1%s", what, i / side, i % side, v,
                        v > 1f && v <= 255f ? " (divide bytes by 255)" : ""));
            }
        }
    }

    /** Writes a checked digit as the network's 32x32 input at {@code dst[off]}, zero-padding a 28x28 one. */
    private static void place(float[] pixels, float[] dst, int off) {
        if (pixels.length == SIDE * SIDE) {
            System.arraycopy(pixels, 0, dst, off, pixels.length);
            return;
        }
        java.util.Arrays.fill(dst, off, off + LeNet5.INPUT_SIZE, 0f);
        for (int y = 0; y < DIGIT; y++) {
            System.arraycopy(pixels, y * DIGIT, dst, off + (y + PAD) * SIDE + PAD, DIGIT);
        }
    }

    /** The 28x28 centre of a 32x32 input. */
    private static float[] centre(float[] input) {
        float[] out = new float[DIGIT * DIGIT];
        for (int y = 0; y < DIGIT; y++) {
            System.arraycopy(input, (y + PAD) * SIDE + PAD, out, y * DIGIT, DIGIT);
        }
        return out;
    }

    /** {@code count} maps of {@code size x size} from the start of a layer's output (the first image's). */
    private static float[][] maps(float[] output, int count, int size) {
        float[][] out = new float[count][size * size];
        for (int c = 0; c < count; c++) {
            System.arraycopy(output, c * size * size, out[c], 0, size * size);
        }
        return out;
    }

    private LeNet5 borrow() {
        LeNet5 net = idle.poll();
        return net != null ? net : newReplica();
    }

    /** Back into the pool, unless it is full: then the replica is left to the garbage collector. */
    private void giveBack(LeNet5 net) {
        idle.offer(net);
    }

    private LeNet5 newReplica() {
        synchronized (weights) {
            return weights.replica();
        }
    }
}
