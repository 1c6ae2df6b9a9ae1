package dev.lenet5.tensor;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fixed pool that runs {@code tasks} numbered tasks on {@code threads} threads with a deterministic
 * split: partition p gets the contiguous tasks {@code [start(p), start(p+1))} where
 * {@code start(p) = p * tasks / threads} ({@link #partitionStart}), partition 0 runs on the calling
 * thread and partition p on worker thread p, every time. So per-partition buffers (for example gradient
 * accumulators, summed afterwards in partition order) always see the same tasks in the same order, and
 * a run is bit-for-bit repeatable for a given thread count.
 *
 * <p>{@link #run} blocks until every task has finished. If tasks throw, the first failure in partition
 * order is rethrown (the others attached as suppressed) after all partitions are done. The pool keeps
 * no per-call objects: steady-state calls allocate nothing. One call at a time: a second concurrent or
 * nested call fails fast instead of deadlocking. Workers are daemon threads; {@link #close} stops them.
 *
 * <pre>
 * try (Parallel pool = new Parallel(2)) {
 *     pool.run(parts, part -> forwardBackward(part));
 * }
 * </pre>
 */
public final class Parallel implements AutoCloseable {

    /** Busy-wait this many rounds before parking: short tasks finish faster than a park/unpark trip. */
    private static final int SPINS = 1 << 10;

    private final int threads;
    private final Thread[] workers;
    private final Throwable[] failures;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean busy = new AtomicBoolean();

    // The current call; written by the caller before the volatile generation bump that publishes it.
    private int tasks;
    private IntConsumer each;
    private volatile Thread caller;
    private volatile int generation;
    private volatile boolean closed;

    /**
     * @param threads the parallelism, counting the calling thread (1 runs everything inline)
     * @throws IllegalArgumentException if threads is below 1
     */
    public Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("Parallel needs at least 1 thread, got " + threads);
        }
        this.threads = threads;
        this.failures = new Throwable[threads];
        this.workers = new Thread[threads - 1];
        for (int p = 1; p < threads; p++) {
            int partition = p;
            Thread worker = new Thread(() -> workerLoop(partition), "lenet5-parallel-" + p);
            worker.setDaemon(true);
            workers[p - 1] = worker;
        }
        for (Thread worker : workers) {
            worker.start();
        }
    }

    public int threads() {
        return threads;
    }

    /** First task of partition p (and, for p == partitions, the task count): {@code p * tasks / partitions}. */
    public static int partitionStart(int tasks, int partitions, int p) {
        return (int) ((long) p * tasks / partitions);
    }

    /** Runs {@code task.accept(i)} for every i in [0, tasks), each partition's tasks in ascending order. */
    public void run(int tasks, IntConsumer task) {
        if (task == null) {
            throw new IllegalArgumentException("task must not be null");
        }
        if (tasks < 0) {
            throw new IllegalArgumentException("task count must not be negative, got " + tasks);
        }
        if (closed) {
            throw new IllegalStateException("this Parallel pool is closed");
        }
        if (!busy.compareAndSet(false, true)) {
            throw new IllegalStateException("Parallel.run is already running: calls must not overlap or nest");
        }
        try {
            if (tasks == 0) {
                return;
            }
            this.tasks = tasks;
            each = task;
            Arrays.fill(failures, null);
            caller = Thread.currentThread();
            pending.set(workers.length);
            generation = generation + 1;   // publishes the fields above to the workers
            for (Thread worker : workers) {
                LockSupport.unpark(worker);
            }
            runPartition(0);
            awaitWorkers();
            each = null;
            rethrowFirstFailure();
        } finally {
            busy.set(false);
        }
    }

    private void awaitWorkers() {
        for (int spin = 0; pending.get() != 0; spin++) {
            if (spin < SPINS) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
    }

    private void runPartition(int p) {
        int from = partitionStart(tasks, threads, p);
        int to = partitionStart(tasks, threads, p + 1);
        try {
            for (int i = from; i < to; i++) {
                each.accept(i);
            }
        } catch (Throwable t) {
            failures[p] = t;
        }
    }

    private void rethrowFirstFailure() {
        Throwable first = null;
        for (Throwable t : failures) {
            if (t == null) {
                continue;
            }
            if (first == null) {
                first = t;
            } else if (t != first) {
                first.addSuppressed(t);
            }
        }
        Arrays.fill(failures, null);
        if (first instanceof RuntimeException) {
            throw (RuntimeException) first;
        }
        if (first instanceof Error) {
            throw (Error) first;
        }
        if (first != null) {
            throw new IllegalStateException("a parallel task failed", first);
        }
    }

    private void workerLoop(int p) {
        int seen = 0;
        while (true) {
            int spin = 0;
            while (generation == seen && !closed) {
                if (spin++ < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (closed) {
                return;
            }
            seen = generation;
            runPartition(p);
            if (pending.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }
    }

    /** Stops the workers (waiting briefly for them); later calls to run fail. Idempotent. */
    @Override
    public void close() {
        closed = true;
        for (Thread worker : workers) {
            LockSupport.unpark(worker);
        }
        for (Thread worker : workers) {
            try {
                worker.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "Parallel[" + threads + " threads]";
    }
}
