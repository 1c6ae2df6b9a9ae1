package dev.lenet5.nn;

/** Batch-buffer bookkeeping shared by the layers: grow-only reuse and argument checks with clear messages. */
final class Buffers {

    private Buffers() {
    }

    /** {@code buffer} if it holds at least {@code floats}, otherwise a new, larger one (the only allocation path). */
    static float[] atLeast(float[] buffer, long floats, String what) {
        if (buffer != null && buffer.length >= floats) {
            return buffer;
        }
        if (floats > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(what + ": a buffer of " + floats + " floats is too large for one array");
        }
        return new float[(int) floats];
    }

    static int[] atLeast(int[] buffer, long ints, String what) {
        if (buffer != null && buffer.length >= ints) {
            return buffer;
        }
        if (ints > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(what + ": a buffer of " + ints + " ints is too large for one array");
        }
        return new int[(int) ints];
    }

    /** Checks a batch size and that {@code x} holds that many samples of {@code perSample} floats. */
    static void checkBatch(String layer, String argument, float[] x, int batch, int perSample) {
        checkBatch(layer, argument, x, 0, batch, perSample);
    }

    /** As {@link #checkBatch(String, String, float[], int, int)} for samples starting at {@code x[offset]}. */
    static void checkBatch(String layer, String argument, float[] x, int offset, int batch, int perSample) {
        if (batch < 1) {
            throw new IllegalArgumentException(layer + ": batch size must be at least 1, got " + batch);
        }
        if (x == null) {
            throw new IllegalArgumentException(layer + ": " + argument + " is null");
        }
        if (offset < 0) {
            throw new IllegalArgumentException(layer + ": " + argument + " offset must not be negative, got " + offset);
        }
        long needed = (long) batch * perSample;
        if (x.length - (long) offset < needed) {
            throw new IllegalArgumentException(layer + ": " + argument + " holds " + x.length + " floats, but a batch of "
                    + batch + " needs " + needed + " (" + perSample + " per sample)"
                    + (offset == 0 ? "" : " from offset " + offset));
        }
    }

    /** Backward must follow a forward of the same batch: the saved activations belong to that batch. */
    static void checkBackwardBatch(String layer, int forwardBatch, int batch) {
        if (forwardBatch == 0) {
            throw new IllegalStateException(layer + ": backward called before forward");
        }
        if (batch != forwardBatch) {
            throw new IllegalStateException(layer + ": backward for a batch of " + batch
                    + " but the last forward had " + forwardBatch);
        }
    }
}
