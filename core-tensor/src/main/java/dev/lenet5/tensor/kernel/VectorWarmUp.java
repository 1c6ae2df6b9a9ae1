package dev.lenet5.tensor.kernel;

import static dev.lenet5.tensor.kernel.VectorConstants.L;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

/**
 * The vector kernels' leaves (the methods whose bodies hold the vectors), each with the calls the JIT warm-up
 * ({@link JitWarmUp}) makes:
 * <ul>
 *   <li><b>idle</b>: a call with nothing to do (0 taps, 0 images, n = 0...), which returns before creating a
 *       vector. It costs nanoseconds and counts as an invocation, which is what decides when C2 compiles a method.
 *   <li><b>tiny</b>: calls on a few vectors that between them take each data-dependent branch both ways, so the
 *       profile C2 compiles from has seen every path and leaves nothing as a trap to deoptimise on later.
 * </ul>
 * Why not just run the kernels: before C2 has compiled a leaf, its vector operations go through the Vector API's
 * Java fallback, which allocates a box per operation and runs tens of times slower; and the fallback's own methods,
 * run that often, get queued for C2 ahead of the leaves themselves.
 *
 * <p>The calls are method handles bound to their arguments and invoked through a variable: C2 cannot inline the
 * leaf into the warm-up's caller then (see {@link Leaf#idleHandle}). Inlined, the leaf would run compiled inside
 * the warm-up while its own invocation counter stood still, and the program's calls would never get a compiled
 * leaf.
 */
final class VectorWarmUp {

    /**
     * One leaf: its name for reports, whether inference needs it, the method and the arguments of its idle call and
     * of its tiny calls (the first tiny call runs vectors: it tells whether the leaf is compiled), and what restores
     * the tiny calls' inputs where the leaf writes over them (else, after thousands of calls, they would drift, and
     * a branch the program takes would look never taken).
     */
    record Leaf(String name, boolean inference, MethodHandle target, Object[] idleArgs, List<Object[]> tinyArgs,
                Runnable restore) {

        Leaf(String name, boolean inference, MethodHandle target, Object[] idleArgs, List<Object[]> tinyArgs) {
            this(name, inference, target, idleArgs, tinyArgs, () -> { });
        }

        /**
         * A new {@code ()V} handle for the idle call. A handle invoked more than about a hundred times is customised by
         * the JDK into code in which the leaf is a constant that C2 may inline: the leaf would then run compiled inside
         * the warm-up while its own invocation counter stood still. A fresh handle is never customised.
         */
        MethodHandle idleHandle() {
            return bind(target, idleArgs);
        }

        /** A new {@code ()V} handle for tiny call number {@code variant}, fresh for the same reason. */
        MethodHandle tinyHandle(int variant) {
            return bind(target, tinyArgs.get(variant));
        }
    }

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

    // Shared inputs of the elementwise leaves: 16 vectors and a tail, so that an interpreted call allocates
    // kilobytes of boxes (see JitWarmUp.COMPILED_MAX_BYTES). Their contents do not matter: the warm-up's outputs
    // are thrown away, and only the warm-up's thread touches them.
    private static final int RUN_LENGTH = 16 * L + 3;
    private static final int TAIL = 3;
    private static final float[] RUN = ramp(RUN_LENGTH);
    private static final float[] RUN_OUT = new float[RUN_LENGTH];

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
            inference.add(run("row bias", true, "addRowBias", 1, RUN_LENGTH, RUN, 0, RUN_OUT, 0, RUN_LENGTH));
        }
        for (VectorDotTile tile : VectorDotTile.values()) {
            if (tile.forRegisters(wideRegisterFile)) {
                inference.add(dotTile(tile));
            }
        }
        inference.addAll(gemmTiles(wideRegisterFile));
        inference.add(maxPool());
        inference.add(run("add run", true, "addRun", RUN_LENGTH, RUN, 0, RUN_OUT, 0));
        inference.add(run("copy run", true, "copyRun", RUN_LENGTH, RUN, 0, RUN_OUT, 0));
        inference.add(run("relu forward", true, "reluForward", RUN_LENGTH, RUN, 0, RUN_OUT, 0));
        training.add(run("relu backward", false, "reluBackward", RUN_LENGTH, RUN, 0, RUN, 0, RUN_OUT, 0));
        training.add(run("zero run", false, "zeroRun", RUN_LENGTH, RUN_OUT, 0));
        training.add(run("scale", false, "scaleRun", RUN_LENGTH, 0.5f, RUN_OUT, 0));
        training.add(run("sum", false, "sum", RUN_LENGTH, RUN, 0));
        training.add(run("axpy", false, "axpy", RUN_LENGTH, 0.5f, RUN, 0, RUN_OUT, 0));
        training.add(run("adam", false, "adamUpdate", RUN_LENGTH, RUN_OUT, 0, RUN, 0, new float[RUN_LENGTH],
                new float[RUN_LENGTH], 0.9f, 0.999f, 1e-3f, 1f, 1e-8f));
        List<Leaf> all = new ArrayList<>(inference);
        all.addAll(training);
        return all;
    }

    /**
     * An elementwise leaf of {@link VectorElementwise} whose first argument is its length: idle at 0, tiny at
     * {@code length} (vectors and a tail) and at a tail alone. For addRowBias the length is the second argument.
     */
    private static Leaf run(String name, boolean inference, String method, Object... args) {
        MethodHandle target = find(VectorElementwise.class, method);
        int lengthAt = method.equals("addRowBias") ? 1 : 0;
        return new Leaf(name, inference, target, withArg(args, lengthAt, 0),
                List.of(args, withArg(args, lengthAt, TAIL)));
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
        MethodHandle full = find(VectorConvTile.class, "full").bindTo(shape);
        // taps, wp, wIdx, off, x, xBase, pos, dst, k, y, yBase, ldy, rows, tile: whole and partial blocks of rows
        return new Leaf("convolution tile " + mr + "x" + nv, true,
                full, new Object[]{0, wp, 0, off, x, 0, pos, pos, 0, y, 0, ldy, mr, tile},
                List.of(new Object[]{3, wp, 0, off, x, 0, pos, pos, 0, y, 0, ldy, mr, tile},
                        new Object[]{3, wp, 0, off, x, 0, pos, pos, 0, y, 0, ldy, 1, tile}));
    }

    private static Leaf dotTile(VectorDotTile tile) {
        int len = L + 3;
        float[] a = ramp(2 * len + 4);
        int[] rows = {0, 1, 2, 3};
        float[] out = new float[tile.rows * 4 * L];
        MethodHandle run = find(VectorDotTile.class, "run").bindTo(tile);
        // images, len, a, aStride, aRow, b, bStride, bRow, out: one image, and two (the loop over images)
        return new Leaf("dot tile " + tile.rows + "x4", true, run, new Object[]{0, len, a, len, rows, a, len, rows, out},
                List.of(new Object[]{1, len, a, len, rows, a, len, rows, out},
                        new Object[]{2, len, a, len, rows, a, len, rows, out}));
    }

    private static List<Leaf> gemmTiles(boolean wideRegisterFile) {
        int mr = wideRegisterFile ? KernelTuning.WIDE_MR : KernelTuning.NARROW_MR;
        int nr = L * (wideRegisterFile ? KernelTuning.WIDE_NR_VECTORS : KernelTuning.NARROW_NR_VECTORS);
        float[] ap = ramp(3 * mr);
        float[] bp = ramp(3 * nr);
        float[] c = new float[mr * nr];
        MethodHandle micro = find(VectorGemm.class, "microKernel");
        List<Leaf> leaves = new ArrayList<>();
        for (int vectors = 1; vectors <= nr / L; vectors++) {
            // wideRegisterFile, vectors, kc, ap, aIdx, bp, bIdx, bStride, c, cIdx, ldc
            leaves.add(new Leaf("gemm tile " + mr + "x" + vectors, true,
                    micro, new Object[]{wideRegisterFile, vectors, 0, ap, 0, bp, 0, nr, c, 0, nr},
                    List.<Object[]>of(new Object[]{wideRegisterFile, vectors, 3, ap, 0, bp, 0, nr, c, 0, nr})));
        }
        return leaves;
    }

    private static Leaf addBiasRelu() {
        float[] y = ramp(RUN_LENGTH);
        MethodHandle target = find(VectorConvForward.class, "addBiasRelu");
        // n, b, relu, y, yi: both loops (with and without the ReLU) over vectors and a tail of either sign; y is
        // written in place, so it is restored before each round's calls
        return new Leaf("bias and relu", true, target, new Object[]{0, 0.5f, true, y, 0},
                List.of(new Object[]{RUN_LENGTH, 0.25f, true, y, 0}, new Object[]{RUN_LENGTH, -0.5f, false, y, 0}),
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
        int[] argmax = new int[4 * wide];
        MethodHandle target = find(VectorPooling.class, "maxPool2x2");
        // planes, height, width, x, xOff, y, yOff, argmax, argOff
        return new Leaf("max pool 2x2", true, target, new Object[]{0, 2, wide, roomy, 0, y, 0, argmax, 0},
                List.of(new Object[]{2, 2, wide, roomy, 0, y, 0, argmax, 0},
                        new Object[]{3, 2, narrow, roomy, 0, y, 0, argmax, 0},
                        new Object[]{1, 2, narrow, tight, 0, y, 0, argmax, 0}));
    }

    private static Leaf expandGradient() {
        ConvGeometry g = ConvGeometry.square(1, L + 4, L + 4, 3, 1, 0);
        int outChannels = 2;
        int top = g.kernelH() * g.width();
        int planeStride = (g.height() + g.kernelH()) * g.width();
        ConvWorkspace ws = new ConvWorkspace();
        ws.expanded = new float[outChannels * planeStride + L];
        float[] dy = ramp(outChannels * g.outPixels());
        MethodHandle target = find(VectorConvBackward.class, "expandGradient");
        // ws, g, outChannels, count, y, yOff, dy, dyOff, planeStride, top: with and without the ReLU's output
        return new Leaf("gradient expansion", false, target,
                new Object[]{ws, g, outChannels, 0, dy, 0, dy, 0, planeStride, top},
                List.of(new Object[]{ws, g, outChannels, 1, dy, 0, dy, 0, planeStride, top},
                        new Object[]{ws, g, outChannels, 1, null, 0, dy, 0, planeStride, top}));
    }

    /** The one method of that name in the class (the leaves are not overloaded). */
    private static MethodHandle find(Class<?> owner, String name) {
        java.lang.reflect.Method found = null;
        for (java.lang.reflect.Method m : owner.getDeclaredMethods()) {
            if (m.getName().equals(name) && !m.isBridge() && !m.isSynthetic()) {
                if (found != null) {
                    throw new IllegalStateException(owner.getSimpleName() + "." + name + " is overloaded");
                }
                found = m;
            }
        }
        if (found == null) {
            throw new IllegalStateException(owner.getSimpleName() + " has no method " + name);
        }
        try {
            return LOOKUP.unreflect(found);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call " + owner.getSimpleName() + "." + name, e);
        }
    }

    /**
     * The target with every argument bound, its result (if any) dropped: a {@code ()V} handle. A float result goes to
     * a method that ignores it: dropped by a type conversion, it would be boxed, and the warm-up would take the box
     * for a sign of uncompiled vector code.
     */
    static MethodHandle bind(MethodHandle target, Object... args) {
        MethodHandle bound = MethodHandles.insertArguments(target, 0, args);
        if (bound.type().returnType() == float.class) {
            bound = MethodHandles.filterReturnValue(bound, IGNORE_FLOAT);
        }
        return bound.asType(MethodType.methodType(void.class));
    }

    private static final MethodHandle IGNORE_FLOAT = ignoreFloat();

    private static MethodHandle ignoreFloat() {
        try {
            return LOOKUP.findStatic(VectorWarmUp.class, "ignore", MethodType.methodType(void.class, float.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unused")   // through IGNORE_FLOAT
    private static void ignore(float value) {
    }

    private static Object[] withArg(Object[] args, int at, int value) {
        Object[] copy = args.clone();
        copy[at] = value;
        return copy;
    }

    private static float[] ramp(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (i % 7 - 3) * 0.25f;
        }
        return a;
    }
}
