package dev.lenet5.nn;

import dev.lenet5.tensor.kernel.TensorKernels;
import java.util.Objects;

/**
 * Softmax followed by cross-entropy against integer labels, fused, averaged over the batch: PyTorch's
 * {@code CrossEntropyLoss()} on raw logits.
 *
 * <p>Per row the loss is {@code log(sum_j exp(x_j - max)) - (x_label - max)}: subtracting the row max keeps
 * every exponent at most 0, so logits like 1e4 neither overflow nor turn the loss into infinity (a naive
 * {@code -log(softmax)} does both). The sums and logs run in double, which costs nothing at 10 classes.
 * Backward gives {@code (softmax - onehot) / N}.
 *
 * <p>Optional label smoothing (PyTorch's {@code label_smoothing=eps}): the target puts {@code 1 - eps} on the
 * label and spreads {@code eps} evenly over all classes, so the row loss becomes
 * {@code (1 - eps) * CE(label) + eps * mean_j CE(j)} and the gradient {@code softmax - target}.
 */
public final class SoftmaxCrossEntropy {

    private final TensorKernels kernels;
    private final int classes;

    private float[] probs;
    private float[] logitsGrad;
    private int[] labels;
    private int labelOffset;
    private int[] predictions;
    private int correct;
    private int forwardBatch;
    private double smoothing;

    public SoftmaxCrossEntropy(TensorKernels kernels, int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("cross-entropy needs at least one class, got " + classes);
        }
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        this.classes = classes;
    }

    public int classes() {
        return classes;
    }

    /**
     * Sets the label smoothing {@code eps} in [0, 1) used from the next forward on (0, the default, is plain
     * cross-entropy).
     */
    public void setLabelSmoothing(double eps) {
        if (!(eps >= 0 && eps < 1)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1), got " + eps);
        }
        this.smoothing = eps;
    }

    public double labelSmoothing() {
        return smoothing;
    }

    /**
     * Mean cross-entropy of {@code batch} rows of logits {@code (N, classes)} against {@code labels[0..N)}.
     * Also records each row's prediction (first maximum) and the number of correct rows. Non-finite logits
     * give a non-finite loss; the caller decides what to do with it. {@code labels} is read again by backward:
     * do not change it in between.
     *
     * @throws IllegalArgumentException for a label outside {@code [0, classes)}, naming the row
     */
    public double forward(float[] logits, int[] labels, int batch) {
        return forward(logits, labels, 0, batch);
    }

    /** {@link #forward(float[], int[], int)} against the labels starting at {@code labels[labelOffset]}. */
    public double forward(float[] logits, int[] labels, int labelOffset, int batch) {
        Buffers.checkBatch("cross-entropy", "logits", logits, batch, classes);
        Objects.requireNonNull(labels, "labels");
        if (labelOffset < 0 || labels.length - (long) labelOffset < batch) {
            throw new IllegalArgumentException("cross-entropy: " + labels.length + " labels"
                    + (labelOffset == 0 ? "" : " from offset " + labelOffset) + " for a batch of " + batch);
        }
        for (int i = 0; i < batch; i++) {
            int label = labels[labelOffset + i];
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("cross-entropy: label " + label + " of row " + i
                        + " is outside [0, " + classes + ")");
            }
        }
        probs = Buffers.atLeast(probs, (long) batch * classes, "cross-entropy");
        predictions = Buffers.atLeast(predictions, batch, "cross-entropy");
        kernels.softmaxRows(batch, classes, logits, 0, probs, 0, classes);

        double total = 0;
        int right = 0;
        for (int i = 0; i < batch; i++) {
            int row = i * classes;
            // logits: (N, classes); loss_i = log(sum_j exp(x_ij - max_i)) - (x_i,label - max_i)
            float max = logits[row];
            int best = 0;
            for (int j = 1; j < classes; j++) {
                float v = logits[row + j];
                if (v > max || v != v) {
                    max = v;
                    best = j;
                    if (v != v) {
                        break;   // NaN: the loss is NaN anyway
                    }
                }
            }
            double sum = 0;
            double shiftedSum = 0;
            for (int j = 0; j < classes; j++) {
                double shifted = (double) logits[row + j] - max;
                sum += Math.exp(shifted);
                shiftedSum += shifted;
            }
            double logSum = Math.log(sum);
            int label = labels[labelOffset + i];
            double labelLoss = logSum - ((double) logits[row + label] - max);
            // mean_j CE(j) = log(sum) - mean_j (x_j - max); only computed when smoothing asks for it
            total += smoothing == 0 ? labelLoss
                    : (1 - smoothing) * labelLoss + smoothing * (logSum - shiftedSum / classes);
            predictions[i] = best;
            if (best == label) {
                right++;
            }
        }
        this.labels = labels;
        this.labelOffset = labelOffset;
        this.correct = right;
        this.forwardBatch = batch;
        return total / batch;
    }

    /** {@code dlogits = (softmax - onehot) / batch}: the gradient of the mean loss. */
    public float[] backward() {
        return backward(forwardBatch);
    }

    /**
     * {@code dlogits = (softmax - onehot) / divisor}. With data parallelism each replica sees part of a batch of
     * N rows; passing N as the divisor makes the replicas' summed gradients those of the whole batch's mean.
     *
     * @return this object's gradient buffer, valid until the next backward
     */
    public float[] backward(int divisor) {
        Buffers.checkBackwardBatch("cross-entropy", forwardBatch, forwardBatch);
        if (divisor < 1) {
            throw new IllegalArgumentException("cross-entropy: divisor must be at least 1, got " + divisor);
        }
        int n = forwardBatch * classes;
        logitsGrad = Buffers.atLeast(logitsGrad, n, "cross-entropy");
        System.arraycopy(probs, 0, logitsGrad, 0, n);
        float onLabel = (float) (1 - smoothing);
        float everywhere = (float) (smoothing / classes);
        for (int i = 0; i < forwardBatch; i++) {
            if (everywhere != 0f) {
                for (int j = 0; j < classes; j++) {
                    logitsGrad[i * classes + j] -= everywhere;
                }
            }
            logitsGrad[i * classes + labels[labelOffset + i]] -= onLabel;
        }
        kernels.scale(n, 1f / divisor, logitsGrad, 0);
        return logitsGrad;
    }

    /** Correct rows (prediction == label) of the last forward. */
    public int correct() {
        return correct;
    }

    /** Predicted class (first maximum) per row of the last forward; the first {@code batch} entries are valid. */
    public int[] predictions() {
        return predictions;
    }

    /** Softmax of the last forward, {@code (batch, classes)}; valid until the next forward. */
    public float[] probabilities() {
        return probs;
    }

    /** A loss object of the same shape and smoothing with its own buffers, for a model replica. */
    public SoftmaxCrossEntropy replica() {
        SoftmaxCrossEntropy copy = new SoftmaxCrossEntropy(kernels, classes);
        copy.smoothing = smoothing;
        return copy;
    }
}
