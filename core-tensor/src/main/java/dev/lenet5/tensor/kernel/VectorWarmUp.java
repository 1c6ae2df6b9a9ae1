package dev.lenet5.tensor.kernel;

import static dev.lenet5.tensor.kernel.VectorConstants.L;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The vector kernels' leaves (the methods whose bodies hold the vectors), each with the calls the JIT warm-up
 * ({@link JitWarmUp}) makes:
 * <ul>
 *   <li><b>idle</b>: calls with nothing to do (0 taps, 0 images, n = 0...), which return before creating a vector.
 *       They cost nanoseconds and count as invocations, which is what decides when C2 compiles a method.
 *   <li><b>tiny</b>: calls on a few vectors that between them take each data-dependent branch both ways, so the
 *       profile C2 compiles from has seen every path and leaves nothing as a trap to deoptimise on later.
 * </ul>
 * Why not just run the kernels: before C2 has compiled a leaf, its vector operations go through the Vector API's
 * Java fallback, which allocates a box per operation and runs tens of times slower; and the fallback's own methods,
 * run that often, get queued for C2 ahead of the leaves themselves.
 *
 * <p>The idle calls loop inside a lambda that is itself called once per round: that lambda stays interpreted or
 * C1-compiled (C2 would inline the leaf into a hot caller, and the leaf, running compiled inside the warm-up, would
 * stop counting its own invocations and never be compiled for the program's calls). The leaf's threshold
 * (thousands of invocations) comes long before the loop's (tens of thousands of iterations).
 */
final class VectorWarmUp {

    /**
     * One leaf: its name for reports, whether inference needs it, its idle loop ({@code idle.accept(n)} makes n idle
     * calls), its tiny calls (the first runs vectors: it tells whether the leaf is compiled), and what restores the
     * tiny calls' inputs where the leaf writes over them (else, after thousands of calls, they would drift, and a
     * branch the program takes would look never taken).
     */
    record Leaf(String name, boolean inference, IntConsumer idle, List<Runnable> tiny, Runnable restore,
                Runnable recompile) {

        Leaf(String name, boolean inference, IntConsumer idle, List<Runnable> tiny, Runnable restore) {
            this(name, inference, idle, tiny, restore, NO_RECOMPILE);
        }

        Leaf(String name, boolean inference, IntConsumer idle, List<Runnable> tiny) {
            this(name, inference, idle, tiny, () -> { });
        }

        /**
         * No recompile call. A leaf's {@code recompile} call hands it a null array, which the leaf reads in its own
         * compiled code (the Vector API's loads are always inlined). C2 compiles such a read as a trap: after a few
         * of them at one place it discards the compiled method, so the leaf runs interpreted again, profiles the
         * warm-up's tiny calls afresh and is compiled anew. That is the way out when C2 compiled a leaf from a
         * profile without the vector types, with boxed vectors. Interpreted or compiled by C1, the call only throws.
         * Only the unrolled tiles have one: they are the only leaves seen compiled with boxes.
         */
        static final Runnable NO_RECOMPILE = () -> { };

        /** Whether {@link #recompile} can send the leaf back to be compiled again. */
        boolean canRecompile() {
            return recompile != NO_RECOMPILE;
        }
    }

    /** Runs a leaf's call on a null array and swallows the NullPointerException it is meant to throw. */
    private static Runnable throwingNull(Runnable call) {
        return () -> {
            for (int i = 0; i < RECOMPILE_TRAPS; i++) {
                try {
                    call.run();
                } catch (NullPointerException expected) {
                    // the trap fired (or the interpreter threw): either way nothing was computed
                }
            }
        };
    }

    /**
     * How often a recompile call throws: C2 discards a method at its first null trap only sometimes; otherwise it keeps
     * the code and counts, and discards it once one place has trapped a few times (HotSpot's PerBytecodeTrapLimit, 4).
     */
    static final int RECOMPILE_TRAPS = 10;

    // Shared inputs of the elementwise leaves: 17 vectors and a tail, so that an interpreted call allocates
    // kilobytes of boxes (see JitWarmUp.COMPILED_MAX_BYTES), and every loop runs: sum's four-vector loop (four
    // times), its one-vector loop (once) and its tail. A loop the profile never saw run leaves C2 without the exact
    // type of the vectors it carries, and the calls on them are then not intrinsified. Their contents do not matter:
    // the warm-up's outputs are thrown away, and only the warm-up's thread touches them.
    private static final int RUN_LENGTH = 17 * L + 3;
    private static final int TAIL = 3;
    private static final float[] RUN = ramp(RUN_LENGTH);
    private static final float[] RUN_OUT = new float[RUN_LENGTH];
    private static final float[] LANES = new float[4 * L];

    private VectorWarmUp() {
    }

    /**
     * The leaves LeNet-5's passes run for a register file and convolution algorithm, those inference needs first.
     * Leaves of paths the network does not take compile when first used.
     */
    static List<Leaf> leaves(boolean wideRegisterFile, ConvAlgorithm conv) {
        List<Leaf> inference = new ArrayList<>();
        List<Leaf> training = new ArrayList<>();
        if (conv != ConvAlgorithm.IM2COL) {
            for (VectorConvTile shape : VectorConvTile.values()) {
                if (shape.forRegisters(wideRegisterFile)) {
                    inference.add(convTile(shape));
                }
            }
            inference.add(addBiasRelu());
            training.add(expandGradient());
        } else {
            // im2col and col2im move their runs with the copy and add leaves below
            inference.add(elementwise("row bias", true,
                c -> {
                    for (int i = 0; i < c; i++) {
                        VectorElementwise.addRowBias(1, 0, RUN, 0, RUN_OUT, 0, RUN_LENGTH);
                    }
                },
                n -> VectorElementwise.addRowBias(1, n, RUN, 0, RUN_OUT, 0, RUN_LENGTH)));
        }
        for (VectorDotTile tile : VectorDotTile.values()) {
            if (tile.forRegisters(wideRegisterFile)) {
                inference.add(dotTile(tile));
            }
        }
        inference.addAll(gemmTiles(wideRegisterFile));
        inference.add(maxPool());
        inference.add(elementwise("add run", true,
                c -> {
                    for (int i = 0; i < c; i++) {
                        VectorElementwise.addRun(0, RUN, 0, RUN_OUT, 0);
                    }
                },
                n -> VectorElementwise.addRun(n, RUN, 0, RUN_OUT, 0)));
        inference.add(elementwise("copy run", true,
                c -> {
                    for (int i = 0; i < c; i++) {
                        VectorElementwise.copyRun(0, RUN, 0, RUN_OUT, 0);
                    }
                },
                n -> VectorElementwise.copyRun(n, RUN, 0, RUN_OUT, 0)));
        inference.add(elementwise("relu forward", true,
                c -> {
                    for (int i = 0; i < c; i++) {
                        VectorElementwise.reluForward(0, RUN, 0, RUN_OUT, 0);
                    }
                },
                n -> VectorElementwise.reluForward(n, RUN, 0, RUN_OUT, 0)));
        training.add(elementwise("relu backward", false,
                c -> {
                    for (int i = 0; i < c; i++) {
                        VectorElementwise.reluBackward(0, RUN, 0, RUN, 0, RUN_OUT, 0);
                    }
                },
                n -> VectorElementwise.reluBackward(n, RUN, 0, RUN, 0, RUN_OUT, 0)));
        training.add(elementwise("zero run", false,
                c -> {
                    for (int i = 0; i < c; i++) {
                        VectorElementwise.zeroRun(0, RUN_OUT, 0);
                    }
                },
                n -> VectorElementwise.zeroRun(n, RUN_OUT, 0)));
        training.add(elementwise("scale", false,
                c -> {
                    for (int i = 0; i < c; i++) {
                        VectorElementwise.scaleRun(0, 0.5f, RUN_OUT, 0);
                    }
                },
                n -> VectorElementwise.scaleRun(n, 0.5f, RUN_OUT, 0)));
        training.add(elementwise("sum", false,
                c -> {
                    for (int i = 0; i < c; i++) {
                        VectorElementwise.sum(0, RUN, 0, LANES);
                    }
                },
                n -> VectorElementwise.sum(n, RUN, 0, LANES)));
        training.add(elementwise("axpy", false,
                c -> {
                    for (int i = 0; i < c; i++) {
                        VectorElementwise.axpy(0, 0.5f, RUN, 0, RUN_OUT, 0);
                    }
                },
                n -> VectorElementwise.axpy(n, 0.5f, RUN, 0, RUN_OUT, 0)));
        float[] m = new float[RUN_LENGTH];
        float[] v = new float[RUN_LENGTH];
        training.add(elementwise("adam", false,
                c -> {
                    for (int i = 0; i < c; i++) {
                        VectorElementwise.adamUpdate(0, RUN_OUT, 0, RUN, 0, m, v, 0.9f, 0.999f, 1e-3f, 1f, 1e-8f);
                    }
                },
                n -> VectorElementwise.adamUpdate(n, RUN_OUT, 0, RUN, 0, m, v, 0.9f, 0.999f, 1e-3f, 1f, 1e-8f)));
        List<Leaf> all = new ArrayList<>(inference);
        all.addAll(training);
        return all;
    }

    /**
     * An elementwise leaf: {@code idle} loops over the leaf's call on length 0 (written out, not through
     * {@code call}: see the class comment), {@code call} calls it on a length, tiny on vectors and a tail and on a
     * tail alone.
     */
    private static Leaf elementwise(String name, boolean inference, IntConsumer idle, IntConsumer call) {
        return new Leaf(name, inference, idle, List.of(() -> call.accept(RUN_LENGTH), () -> call.accept(TAIL)));
    }

    private static Leaf convTile(VectorConvTile shape) {
        int mr = shape.rows;
        int nv = shape.vectors;
        float[] wp = ramp(3 * mr);
        int[] off = {0, 1, L + 1};
        int[] pos = new int[nv];
        for (int v = 0; v < nv; v++) {
            pos[v] = v * L;
        }
        float[] x = ramp((nv + 2) * L);
        int ldy = nv * L;
        float[] y = new float[mr * ldy];
        float[] tile = new float[mr * nv * L];
        // taps, wp, wIdx, off, x, xBase, pos, dst, k, y, yBase, ldy, rows, tile: whole and partial blocks of rows
        return new Leaf("convolution tile " + mr + "x" + nv, true, count -> {
            for (int c = 0; c < count; c++) {
                shape.full(0, wp, 0, off, x, 0, pos, pos, 0, y, 0, ldy, mr, tile);
            }
        }, List.of(() -> shape.full(3, wp, 0, off, x, 0, pos, pos, 0, y, 0, ldy, mr, tile),
                () -> shape.full(3, wp, 0, off, x, 0, pos, pos, 0, y, 0, ldy, 1, tile)), () -> { },
                throwingNull(() -> shape.full(3, wp, 0, off, x, 0, null, pos, 0, y, 0, ldy, mr, tile)));
    }

    private static Leaf dotTile(VectorDotTile tile) {
        int len = L + 3;
        float[] a = ramp(2 * len + 4);
        int[] rows = {0, 1, 2, 3, 2, 1};   // A's rows (up to MAX_ROWS) and B's (the first 4)
        float[] out = new float[tile.rows * 4 * L];
        // images, len, a, aStride, aRow, b, bStride, bRow, out: one image, and two (the loop over images)
        return new Leaf("dot tile " + tile.rows + "x4", true, count -> {
            for (int c = 0; c < count; c++) {
                tile.run(0, len, a, len, rows, a, len, rows, out);
            }
        }, List.of(() -> tile.run(1, len, a, len, rows, a, len, rows, out),
                () -> tile.run(2, len, a, len, rows, a, len, rows, out)), () -> { },
                throwingNull(() -> tile.run(1, len, a, len, rows, null, len, rows, out)));
    }

    private static List<Leaf> gemmTiles(boolean wideRegisterFile) {
        int mr = wideRegisterFile ? KernelTuning.WIDE_MR : KernelTuning.NARROW_MR;
        int nr = L * (wideRegisterFile ? KernelTuning.WIDE_NR_VECTORS : KernelTuning.NARROW_NR_VECTORS);
        float[] ap = ramp(3 * mr);
        float[] bp = ramp(3 * nr);
        float[] c = new float[mr * nr];
        List<Leaf> leaves = new ArrayList<>();
        for (int vectors = 1; vectors <= nr / L; vectors++) {
            int v = vectors;
            // wideRegisterFile, vectors, kc, ap, aIdx, bp, bIdx, bStride, c, cIdx, ldc
            leaves.add(new Leaf("gemm tile " + mr + "x" + v, true, count -> {
                for (int i = 0; i < count; i++) {
                    VectorGemm.microKernel(wideRegisterFile, v, 0, ap, 0, bp, 0, nr, c, 0, nr);
                }
            }, List.of(() -> VectorGemm.microKernel(wideRegisterFile, v, 3, ap, 0, bp, 0, nr, c, 0, nr)), () -> { },
                    throwingNull(() -> VectorGemm.microKernel(wideRegisterFile, v, 3, null, 0, bp, 0, nr, c, 0, nr))));
        }
        return leaves;
    }

    private static Leaf addBiasRelu() {
        float[] y = ramp(RUN_LENGTH);
        // n, b, relu, y, yi: both loops (with and without the ReLU) over vectors and a tail of either sign; y is
        // written in place, so it is restored before each round's calls
        return new Leaf("bias and relu", true, count -> {
            for (int c = 0; c < count; c++) {
                VectorConvForward.addBiasRelu(0, 0.5f, true, y, 0);
            }
        }, List.of(() -> VectorConvForward.addBiasRelu(RUN_LENGTH, 0.25f, true, y, 0),
                () -> VectorConvForward.addBiasRelu(RUN_LENGTH, -0.5f, false, y, 0)),
                () -> System.arraycopy(RUN, 0, y, 0, RUN_LENGTH));
    }

    private static Leaf maxPool() {
        // Planes of 2 rows: output rows longer than a vector (LeNet's first pool: 14) and shorter (its second: 5),
        // whose last vector would write past the output's end, or, in the tight array, read past the input's: there
        // the kernel takes a window at a time. A case the profile had not seen would deoptimise the kernel in the run.
        int wide = 2 * L + 2;
        int narrow = L + 2;
        float[] roomy = ramp(8 * wide + 4 * L);
        float[] tight = ramp(2 * narrow);
        float[] y = new float[4 * wide];
        float[] argmax = new float[4 * wide];
        // planes, height, width, x, xOff, y, yOff, argmax, argOff
        return new Leaf("max pool 2x2", true, count -> {
            for (int c = 0; c < count; c++) {
                VectorPooling.maxPool2x2(0, 2, wide, roomy, 0, y, 0, argmax, 0);
            }
        }, List.of(() -> VectorPooling.maxPool2x2(2, 2, wide, roomy, 0, y, 0, argmax, 0),
                () -> VectorPooling.maxPool2x2(3, 2, narrow, roomy, 0, y, 0, argmax, 0),
                () -> VectorPooling.maxPool2x2(1, 2, narrow, tight, 0, y, 0, argmax, 0)));
    }

    private static Leaf expandGradient() {
        // Both of LeNet's shapes: rows of more than a vector (conv1's 28 outputs) and of less (conv2's 10); one image
        // and two; zero rows around the planes (conv2, whose input gradient reads them) and none (conv1). The ReLU
        // outputs alternate -, 0, + so that the elementwise tail at the arrays' end sees both sides of its test: a
        // side the profile never saw was compiled as a trap, and the first real batch sent the kernel back to the
        // interpreter, boxing its vectors for the first half second of training.
        int outChannels = 2;
        Expansion wide = new Expansion(ConvGeometry.square(1, L + 4, L + 4, 3, 1, 0), outChannels, 2);
        Expansion narrow = new Expansion(ConvGeometry.square(1, L / 2 + 4, L / 2 + 4, 3, 1, 0), outChannels, 2);
        return new Leaf("gradient expansion", false, count -> {
            for (int c = 0; c < count; c++) {
                wide.run(0, true, true);
            }
        }, List.of(() -> wide.run(1, true, true), () -> wide.run(1, false, true), () -> wide.run(2, true, false),
                () -> narrow.run(2, true, true), () -> narrow.run(1, false, false)));
    }

    /** Inputs of one expandGradient geometry: gradients and ReLU outputs for up to {@code images} images. */
    private static final class Expansion {
        final ConvGeometry g;
        final int outChannels;
        final ConvWorkspace ws = new ConvWorkspace();
        final float[] dy;
        final float[] y;

        Expansion(ConvGeometry g, int outChannels, int images) {
            this.g = g;
            this.outChannels = outChannels;
            ws.expanded = new float[images * outChannels * (g.height() + g.kernelH()) * g.width() + L];
            dy = ramp(images * outChannels * g.outPixels());
            y = new float[dy.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = (i % 3 - 1) * 0.5f;
            }
        }

        // count, with the ReLU's output or without, with zero rows around each plane (for dx) or without
        void run(int count, boolean relu, boolean padded) {
            int top = padded ? g.kernelH() * g.width() : 0;
            int planeStride = padded ? (g.height() + g.kernelH()) * g.width() : g.outH() * g.width();
            VectorConvBackward.expandGradient(ws, g, outChannels, count, relu ? y : null, 0, dy, 0, planeStride, top);
        }
    }

    private static float[] ramp(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (i % 7 - 3) * 0.25f;
        }
        return a;
    }
}
