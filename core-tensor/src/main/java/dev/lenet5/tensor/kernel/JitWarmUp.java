package dev.lenet5.tensor.kernel;

import java.lang.invoke.MethodHandle;
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
 * nothing: only C2's code keeps vectors in registers. Results do not depend on it: compiled and interpreted
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
    /** Idle calls through one handle, below the JDK's threshold for customising a handle (127). */
    static final int IDLE_BURST = 100;
    /**
     * A tiny call on vectors that allocates less than this ran compiled: run by the Vector API's fallback, each
     * vector operation allocates a box, and the leaves' checking calls make dozens of them (10 KB and more).
     * Compiled code boxes nothing, or now and then a vector C2 could not keep in a register (a few objects).
     */
    static final long COMPILED_MAX_BYTES = 1024;
    /** Gives up after this long (a leaf C2 cannot compile without boxing would otherwise keep it spinning). */
    static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(30);

    private static final boolean DEBUG = Boolean.getBoolean("lenet5.warmup.debug");

    private final Work work;
    private final Thread thread;
    private final long startNanos = System.nanoTime();
    private final Object lock = new Object();
    private final int needed;
    private final int total;
    private final java.util.Set<String> pending = new java.util.LinkedHashSet<>();
    private int compiledNeeded;
    private int compiled;
    private long neededNanos = -1;
    private boolean finished;
    private volatile boolean stop;
    private volatile Throwable failure;

    private JitWarmUp(Work work, List<VectorWarmUp.Leaf> leaves) {
        this.work = work;
        this.total = leaves.size();
        this.needed = (int) leaves.stream().filter(l -> needs(work, l)).count();
        leaves.stream().filter(l -> needs(work, l)).forEach(l -> pending.add(l.name()));
        if (leaves.isEmpty()) {
            this.thread = null;
            this.finished = true;
            this.neededNanos = 0;
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
        List<VectorWarmUp.Leaf> leaves = kernels.vectorBitSize() == 0 ? List.of() : VectorLeaves.of(kernels);
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
            while (compiledNeeded < needed && !finished) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return compiledNeeded == needed;
        }
    }

    /** E.g. {@code 12 of 12 vector kernels for inference compiled in 0.41 s}, or that none were needed. */
    public String summary() {
        synchronized (lock) {
            if (total == 0) {
                return "no vector kernels to compile";
            }
            String what = work == Work.INFERENCE ? "for inference" : "for training";
            if (compiledNeeded == needed) {
                return String.format(Locale.ROOT, "%d vector kernels %s compiled in %.2f s", needed, what,
                        neededNanos / 1e9);
            }
            return String.format(Locale.ROOT, "%d of %d vector kernels %s compiled after %.2f s%s; not yet: %s",
                    compiledNeeded, needed, what, (System.nanoTime() - startNanos) / 1e9,
                    finished ? " (the warm-up gave up)" : "", String.join(", ", pending));
        }
    }

    /** What stopped the warm-up early (a kernel that threw on its tiny inputs), or null. */
    public Throwable failure() {
        return failure;
    }

    /** Whether every leaf, not only those the work needs, is compiled. */
    public boolean allCompiled() {
        synchronized (lock) {
            return compiled == total;
        }
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
        boolean[] done = new boolean[n];
        int left = n;
        try {
            for (int round = 0; left > 0 && !stop; round++) {
                if (System.nanoTime() - startNanos > GIVE_UP_NANOS) {
                    break;
                }
                for (int i = 0; i < n && !stop; i++) {
                    if (done[i]) {
                        continue;
                    }
                    VectorWarmUp.Leaf leaf = leaves.get(i);
                    for (int burst = 0; burst < IDLE_CALLS; burst += IDLE_BURST) {
                        MethodHandle idle = leaf.idleHandle();
                        for (int c = 0; c < IDLE_BURST; c++) {
                            idle.invokeExact();
                        }
                    }
                    if (round == 0) {
                        continue;   // the leaf's first compilation (C1, with profiling) before it sees any vector
                    }
                    // Every round all the tiny calls, so that whenever C2 takes the profile it has seen every branch;
                    // the first one runs vectors and tells from its allocations whether C2 has compiled the leaf.
                    leaf.restore().run();
                    MethodHandle check = leaf.tinyHandle(0);
                    long before = allocated.bytes();
                    check.invokeExact();
                    long used = allocated.bytes() - before;
                    for (int variant = 1; variant < leaf.tinyArgs().size(); variant++) {
                        leaf.tinyHandle(variant).invokeExact();
                    }
                    if (DEBUG) {
                        System.err.println("warm-up: " + leaf.name() + ", round " + round + ": " + used + " bytes");
                    }
                    if (used < COMPILED_MAX_BYTES) {
                        done[i] = true;
                        left--;
                        markCompiled(leaf);
                    }
                }
                // Leave the cores to C2 and to the program for a moment; the counters keep their values.
                Thread.sleep(2);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
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

    private void markCompiled(VectorWarmUp.Leaf leaf) {
        synchronized (lock) {
            compiled++;
            long now = System.nanoTime() - startNanos;
            if (needs(work, leaf)) {
                pending.remove(leaf.name());
                compiledNeeded++;
                if (compiledNeeded == needed) {
                    neededNanos = now;
                }
            }
            lock.notifyAll();
        }
    }

    /** The leaves of some vector kernels; a class of its own, so scalar-only JVMs never load the vector classes. */
    private static final class VectorLeaves {
        static List<VectorWarmUp.Leaf> of(TensorKernels kernels) {
            VectorKernels vector = (VectorKernels) kernels;
            return VectorWarmUp.leaves(vector.wideRegisterFile(), vector.convAlgorithm());
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
