package dev.lenet5.app.serve;

import java.util.Locale;

/**
 * What clients may cost the server. A request body is read into memory up to {@link #maxBodyBytes}, all bodies
 * being read or answered together hold at most {@link #bodyBudgetBytes}, and at most {@link #computeSlots}
 * requests decode and classify at once (a 16-megapixel image may take 128 MiB while it is decoded), so the memory
 * all clients together can make the server use is bounded by about {@code bodyBudgetBytes + computeSlots * 128 MiB}
 * whatever they send.
 *
 * @param maxBodyBytes       a larger body is refused with 413 after reading at most one byte more than this
 * @param bodyBudgetBytes    the bytes of all request bodies held at once; more waits, then gets 503
 * @param workers            threads that read requests and write responses; a stalled client holds one until
 *                           {@code requestTimeoutSeconds} ends it
 * @param queue              accepted requests waiting for a worker; beyond it new connections are closed at once
 * @param maxConnections     open connections, idle ones included; beyond it new connections are closed at once
 * @param computeSlots       requests decoding and classifying at the same time
 * @param requestTimeoutSeconds time a client has to send a whole request (headers and body), and to take the
 *                           whole response; slower connections are closed
 */
public record ServeLimits(int maxBodyBytes, int bodyBudgetBytes, int workers, int queue, int maxConnections,
                          int computeSlots, int requestTimeoutSeconds) {

    /** 4 MiB: a drawing is a few kilobytes; a phone photo of a digit, a few megabytes as JPEG. */
    public static final int DEFAULT_MAX_BODY_BYTES = 4 << 20;
    public static final int DEFAULT_REQUEST_TIMEOUT_SECONDS = 20;

    public ServeLimits {
        positive("maxBodyBytes", maxBodyBytes);
        if (bodyBudgetBytes <= maxBodyBytes) {
            throw new IllegalArgumentException("bodyBudgetBytes must exceed maxBodyBytes, so that one body fits");
        }
        positive("workers", workers);
        positive("queue", queue);
        positive("maxConnections", maxConnections);
        positive("computeSlots", computeSlots);
        positive("requestTimeoutSeconds", requestTimeoutSeconds);
    }

    /** 64 MiB: sixteen of the largest bodies at once. */
    public static final int DEFAULT_BODY_BUDGET_BYTES = 64 << 20;
    /** Enough that it takes this many stalled connections at once to make other clients wait. */
    public static final int DEFAULT_WORKERS = 128;

    /**
     * The defaults: 4 MiB bodies, 64 MiB of them at once, 128 workers, 20 s per request, as many requests computing
     * as processors.
     */
    public static ServeLimits defaults() {
        int cpus = Runtime.getRuntime().availableProcessors();
        return new ServeLimits(DEFAULT_MAX_BODY_BYTES, DEFAULT_BODY_BUDGET_BYTES, DEFAULT_WORKERS, 1024, 1024, cpus,
                DEFAULT_REQUEST_TIMEOUT_SECONDS);
    }

    public ServeLimits withRequestTimeoutSeconds(int seconds) {
        return new ServeLimits(maxBodyBytes, bodyBudgetBytes, workers, queue, maxConnections, computeSlots, seconds);
    }

    public ServeLimits withWorkers(int threads) {
        return new ServeLimits(maxBodyBytes, bodyBudgetBytes, threads, queue, maxConnections, computeSlots,
                requestTimeoutSeconds);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must be at least 1, not %d", name, value));
        }
    }
}
