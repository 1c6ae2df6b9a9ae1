package dev.lenet5.tensor.kernel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Gets C2 to compile the SIMD kernels before a run needs them, on a background thread, while the program does
 * something else (parses its options, loads the data); the run then waits for it with {@link #await} before its
 * first batch.
 *
 * <p>Why: until C2 has compiled a method that uses the Vector API, every vector operation in it runs the API's Java
 * fallback, tens of times slower, and allocates a box (hundreds of MB of garbage per second, which grows the heap).
 * Worse, those fallback methods become hot themselves and queue for C2 ahead of the kernels, and C2's thresholds
 * grow with its queue, so a cold run takes seconds to reach full speed. This warm-up calls each vector leaf (see
 * {@link VectorWarmUp}) thousands of times with nothing to do, which makes it hot without running any vector
 * code, plus a few tiny calls that show C2 every branch. It knows a leaf is compiled when a tiny call allocates
 * (next to) nothing: only C2's code keeps vectors in registers. Results do not depend on it: compiled and interpreted
 * kernels compute the same floats, so a run is the same bit for bit whether or not it waited.
 *
 * <pre>{@code
 * try (JitWarmUp warmUp = JitWarmUp.start(kernels, JitWarmUp.Work.TRAINING)) {
 *     data = load();                          // meanwhile, C2 compiles the kernels
 *     warmUp.await(10, TimeUnit.SECONDS);     // then train at full speed from the first batch
 *     train(data);
 * }
 * }</pre>
 * The scalar kernels need no warm-up: {@link #start} returns one that is already done.
 */
public final class JitWarmUp implements AutoCloseable {

    /** What the run will do: inference needs the forward pass's kernels, training all of them. */
    public enum Work { INFERENCE, TRAINING }

    /** Idle calls of a leaf per round: enough to pass C2's invocation threshold within a few rounds. */
    static final int IDLE_CALLS = 2000;
    /** Leaves warmed at the same time (see run). */
    static final int WINDOW = 2;
    /** Rounds in which every leaf makes its tiny calls, for the profile C2 will compile from. */
    static final int PROFILE_ROUNDS = 10;
    /** Idle calls per profiling round: PROFILE_ROUNDS of them stay below C2's threshold (5,000 invocations). */
    static final int PROFILE_IDLE_CALLS = 300;
    /** Rounds of the first phase, in which every leaf runs its tiny calls (see profileVectorApi). */
    static final int API_PROFILE_ROUNDS = 10;
    /** The first phase lasts at least this long, so that C1's code for the leaves runs in it. */
    static final long API_PROFILE_NANOS = TimeUnit.MILLISECONDS.toNanos(120);
    /** Idle calls per leaf and first-phase round: with the rounds, past C1's threshold, far below C2's. */
    static final int API_PROFILE_IDLE_CALLS = 100;
    /** Afterwards, how often a leaf's tiny calls (and the check) come round. */
    static final long CHECK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /**
     * A tiny call on vectors that allocates less than this ran compiled: run by the Vector API's fallback, each
     * vector operation allocates a box, and the leaves' checking calls make dozens of them (10 KB and more).
     * Compiled code boxes nothing, or now and then a vector C2 could not keep in a register (a few objects).
     */
    static final long COMPILED_MAX_BYTES = 1024;
    /** Gives up after this long (a leaf C2 cannot compile without boxing would otherwise keep it spinning). */
    static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(30);
    /**
     * Stops waiting for one leaf after this long and starts the next: C2 compiles a leaf in well under a second even
     * on a busy machine, so one still allocating by then was compiled with boxed vectors (see profileVectorApi) or
     * not at all, and waiting longer would only hold back the leaves after it and the program. Such a leaf is
     * reported as not compiled.
     */
    static final long LEAF_GIVE_UP_NANOS = TimeUnit.MILLISECONDS.toNanos(2500);
    /**
     * A leaf that still allocates this long after it started is sent back to be compiled again, once (see
     * {@link VectorWarmUp.Leaf#NO_RECOMPILE}), and waited for anew. In about one fresh JVM in twenty, C2 compiled the
     * unrolled convolution or dot tiles from a profile without the vector types, and they ran boxed for the whole
     * run (a fifth of the speed, and hundreds of MB of garbage). A healthy leaf is compiled well before this.
     */
    static final long RECOMPILE_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(1200);

    private static final boolean DEBUG = Boolean.getBoolean("lenet5.warmup.debug");

    private final Work work;
    private final Thread thread;
    private final long startNanos = System.nanoTime();
    private final Object lock = new Object();
    private final int total;
    private final java.util.Set<String> pending = new java.util.LinkedHashSet<>();
    private int compiled;
    private int givenUp;
    private int sentBack;
    private long compiledNanos = -1;
    private boolean finished;
    private volatile boolean stop;
    private volatile Throwable failure;

    private JitWarmUp(Work work, List<VectorWarmUp.Leaf> leaves) {
        this.work = work;
        this.total = leaves.size();
        leaves.forEach(l -> pending.add(l.name()));
        if (leaves.isEmpty()) {
            this.thread = null;
            this.finished = true;
            this.compiledNanos = 0;
            return;
        }
        this.thread = new Thread(() -> run(leaves), "lenet5-jit-warm-up");
        thread.setDaemon(true);
    }

    /**
     * Starts warming up the kernels {@code work} needs (and, after them, the rest) on a daemon thread; for the scalar
     * kernels, returns a warm-up that is already done.
     */
    public static JitWarmUp start(TensorKernels kernels, Work work) {
        return start(work, kernels.vectorBitSize() == 0 ? List.of() : VectorLeaves.of(kernels, work));
    }

    /** Warms up the given leaves (tests give it their own). */
    static JitWarmUp start(Work work, List<VectorWarmUp.Leaf> leaves) {
        JitWarmUp w = new JitWarmUp(work, leaves);
        if (w.thread != null) {
            w.thread.start();
        }
        return w;
    }

    /**
     * Waits until every kernel the work needs is compiled, or the timeout passes, or the warm-up gives up.
     *
     * @return whether they are all compiled
     */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (lock) {
            while (compiled + givenUp < total && !finished) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return compiled == total;
        }
    }

    /** E.g. {@code 12 of 12 vector kernels for inference compiled in 0.41 s}, or that none were needed. */
    public String summary() {
        synchronized (lock) {
            if (total == 0) {
                return "no vector kernels to compile";
            }
            String what = work == Work.INFERENCE ? "for inference" : "for training";
            String again = sentBack == 0 ? "" : String.format(Locale.ROOT, " (%d compiled again)", sentBack);
            if (compiled == total) {
                return String.format(Locale.ROOT, "%d vector kernels %s compiled in %.2f s%s", total, what,
                        compiledNanos / 1e9, again);
            }
            return String.format(Locale.ROOT, "%d of %d vector kernels %s compiled after %.2f s%s%s; not yet: %s",
                    compiled, total, what, (System.nanoTime() - startNanos) / 1e9, again,
                    givenUp > 0 ? " (stopped waiting for " + givenUp + ")" : finished ? " (the warm-up gave up)" : "",
                    String.join(", ", pending));
        }
    }

    /** What stopped the warm-up early (a kernel that threw on its tiny inputs), or null. */
    public Throwable failure() {
        return failure;
    }

    /** Stops the warm-up (if still running) and waits for its thread. */
    @Override
    public void close() {
        stop = true;
        if (thread != null) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean needs(Work work, VectorWarmUp.Leaf leaf) {
        return work == Work.TRAINING || leaf.inference();
    }

    private void run(List<VectorWarmUp.Leaf> leaves) {
        AllocationCounter allocated = AllocationCounter.forCurrentThread();
        int n = leaves.size();
        int[] rounds = new int[n];    // rounds since the leaf was started, -1 when compiled or given up
        long[] due = new long[n];
        long[] started = new long[n];
        boolean[] sentBack = new boolean[n];
        int next = 0;                 // the first leaf not started yet
        int active = 0;
        try {
            profileVectorApi(leaves);
            while ((next < n || active > 0) && !stop) {
                if (System.nanoTime() - startNanos > GIVE_UP_NANOS) {
                    break;
                }
                // A few leaves at a time, in order: all at once, they would queue for C2 together, and with a long
                // queue C2 raises its thresholds and C1 compiles new methods without profiling, both of which
                // delay every leaf. One at a time would leave C2 idle while the next leaf's counters climb.
                while (active < WINDOW && next < n) {
                    started[next] = System.nanoTime();
                    next++;
                    active++;
                }
                for (int i = 0; i < next && !stop; i++) {
                    if (rounds[i] < 0) {
                        continue;
                    }
                    VectorWarmUp.Leaf leaf = leaves.get(i);
                    // While the profile forms, few idle calls: enough for C1's profiling compilation of the leaf,
                    // not yet C2's threshold. The tiny calls meanwhile profile the Vector API's own methods too,
                    // whose receiver types C2 needs to inline them into the leaf: without them a vector carried
                    // around a loop is boxed at every step.
                    leaf.idle().accept(rounds[i] < PROFILE_ROUNDS ? PROFILE_IDLE_CALLS : IDLE_CALLS);
                    if (rounds[i]++ == 0) {
                        continue;   // the leaf's first compilation (C1, with profiling) before it sees any vector
                    }
                    // All the tiny calls, every round while the profile forms, then now and then (until C2 has
                    // compiled the leaf they allocate): so whenever C2 takes the profile it has seen every branch.
                    // The first one runs vectors and tells from its allocations whether C2 has compiled the leaf.
                    long now = System.nanoTime();
                    if (now - started[i] > LEAF_GIVE_UP_NANOS) {
                        rounds[i] = -1;
                        active--;
                        markGivenUp(leaf);
                        continue;
                    }
                    if (rounds[i] > PROFILE_ROUNDS && now < due[i]) {
                        continue;
                    }
                    due[i] = now + CHECK_INTERVAL_NANOS;
                    leaf.restore().run();
                    List<Runnable> tiny = leaf.tiny();
                    long before = allocated.bytes();
                    tiny.get(0).run();
                    long used = allocated.bytes() - before;
                    for (int variant = 1; variant < tiny.size(); variant++) {
                        tiny.get(variant).run();
                    }
                    if (DEBUG) {
                        System.err.println("warm-up: " + leaf.name() + ", round " + rounds[i] + ": " + used + " bytes");
                    }
                    if (used < COMPILED_MAX_BYTES) {
                        rounds[i] = -1;
                        active--;
                        markCompiled(leaf);
                    } else if (!sentBack[i] && leaf.canRecompile() && now - started[i] > RECOMPILE_AFTER_NANOS) {
                        // Still allocating: discard its code, and profile the tiny calls every round again, as at
                        // its start.
                        sentBack[i] = true;
                        leaf.recompile().run();
                        started[i] = System.nanoTime();
                        rounds[i] = 1;
                        recompiled(leaf);
                    }
                }
                // Leave the cores to C2 and to the program for a moment; the counters keep their values.
                Thread.sleep(1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            // A kernel failing on the warm-up's tiny inputs is a bug the tests catch; the run itself does not
            // depend on the warm-up, so it goes on without it.
            failure = e;
        } finally {
            synchronized (lock) {
                finished = true;
                lock.notifyAll();
            }
        }
    }

    /**
     * C2 compiles a leaf well only if the Vector API methods it inlines have a profile: it inlines the API's
     * intrinsics late, so while it parses a leaf, a vector's type is only {@code FloatVector}, and a call on it
     * (its {@code intoArray}, the {@code fma} on a loop's accumulator) is bound to {@code Float256Vector}'s code by
     * the receiver type that the API method's profile recorded. Without one, the call stays virtual, the vector is
     * boxed at every call, and stays so for the life of the JVM (no trap ever sends the leaf back). The API's methods
     * are shared by all leaves, so whichever leaf C2 compiles first needs all the others' profiling done: every leaf
     * first runs its tiny calls for a while, from the interpreter and then from C1's profiling code, with few enough
     * calls to stay well below C2's threshold.
     */
    private void profileVectorApi(List<VectorWarmUp.Leaf> leaves) throws InterruptedException {
        long end = System.nanoTime() + API_PROFILE_NANOS;
        for (int round = 0; round < API_PROFILE_ROUNDS && !stop; round++) {
            for (VectorWarmUp.Leaf leaf : leaves) {
                leaf.idle().accept(API_PROFILE_IDLE_CALLS);
                leaf.restore().run();
                for (Runnable call : leaf.tiny()) {
                    call.run();
                }
            }
            // spread over API_PROFILE_NANOS: C1 compiles the leaves meanwhile, and its code profiles the rest
            long left = end - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.sleep(left / (API_PROFILE_ROUNDS - round));
            }
        }
        if (DEBUG) {
            System.err.printf(Locale.ROOT, "warm-up: API profiled after %.3f s%n", (System.nanoTime() - startNanos) / 1e9);
        }
    }

    private void recompiled(VectorWarmUp.Leaf leaf) {
        synchronized (lock) {
            sentBack++;
        }
        if (DEBUG) {
            System.err.println("warm-up: sent " + leaf.name() + " back to be compiled again");
        }
    }

    private void markGivenUp(VectorWarmUp.Leaf leaf) {
        synchronized (lock) {
            givenUp++;
            lock.notifyAll();
        }
        if (DEBUG) {
            System.err.println("warm-up: gave up waiting for " + leaf.name());
        }
    }

    private void markCompiled(VectorWarmUp.Leaf leaf) {
        synchronized (lock) {
            pending.remove(leaf.name());
            compiled++;
            if (compiled == total) {
                compiledNanos = System.nanoTime() - startNanos;
            }
            lock.notifyAll();
        }
    }

    /** The leaves of some vector kernels; a class of its own, so scalar-only JVMs never load the vector classes. */
    private static final class VectorLeaves {
        static List<VectorWarmUp.Leaf> of(TensorKernels kernels, Work work) {
            VectorKernels vector = (VectorKernels) kernels;
            List<VectorWarmUp.Leaf> all = VectorWarmUp.leaves(vector.wideRegisterFile(), vector.convAlgorithm());
            return all.stream().filter(leaf -> needs(work, leaf)).toList();
        }
    }

    /**
     * Bytes this thread has allocated, from HotSpot's per-thread counter. Where the JVM has none, every call returns
     * the same value, so each leaf counts as compiled at its first check: the warm-up then only spends its rounds.
     */
    private interface AllocationCounter {
        long bytes();

        static AllocationCounter forCurrentThread() {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            if (threads instanceof com.sun.management.ThreadMXBean) {
                com.sun.management.ThreadMXBean hotspot = (com.sun.management.ThreadMXBean) threads;
                if (hotspot.isThreadAllocatedMemorySupported() && hotspot.isThreadAllocatedMemoryEnabled()) {
                    return hotspot::getCurrentThreadAllocatedBytes;
                }
            }
            return () -> 0L;
        }
    }
}
