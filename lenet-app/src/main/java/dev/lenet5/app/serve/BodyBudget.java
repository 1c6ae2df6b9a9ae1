package dev.lenet5.app.serve;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The bytes of request bodies that all workers together may hold at once, so that the memory bodies take does not
 * grow with the number of workers: a worker takes its body's bytes from the budget as they arrive (a body of
 * declared length all at once) and gives them back when its answer is sent. A body that would overdraw it waits,
 * as long as a request may take, then gets 503.
 */
final class BodyBudget {

    /** A body without a declared length (chunked) is read, and paid for, in pieces of this size. */
    private static final int PIECE = 64 << 10;

    /** A body read within the budget; {@link #close} gives its bytes back. */
    final class Body implements AutoCloseable {
        private final byte[] bytes;
        private int held;

        private Body(byte[] bytes, int held) {
            this.bytes = bytes;
            this.held = held;
        }

        byte[] bytes() {
            return bytes;
        }

        @Override
        public void close() {
            budget.release(held);
            held = 0;
        }
    }

    private final Semaphore budget;
    private final int limit;
    private final int waitSeconds;

    /**
     * @param totalBytes  the budget; at least {@code limit + 1}, so that any one body within the limit fits
     * @param limit       the most one body may have; more gets 413
     * @param waitSeconds how long a body may wait for the budget
     */
    BodyBudget(int totalBytes, int limit, int waitSeconds) {
        if (totalBytes <= limit) {
            throw new IllegalArgumentException("the body budget must exceed the body limit");
        }
        this.budget = new Semaphore(totalBytes, true);
        this.limit = limit;
        this.waitSeconds = waitSeconds;
    }

    /**
     * The request body. A declared length over the limit is refused before a byte is read; a body that arrives
     * without one is read to at most one byte past the limit, so no client makes the server hold more than that.
     */
    Body read(HttpExchange exchange) throws IOException, HttpProblem {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        // Not closed here: closing drains what is left, which for a body over the limit is the client's to waste.
        InputStream in = exchange.getRequestBody();
        if (declared != null) {
            // The JDK server has already refused lengths that are not non-negative numbers.
            long length = Long.parseLong(declared.trim());
            if (length > limit) {
                throw tooLarge();
            }
            int n = (int) length;
            take(n);
            try {
                byte[] body = new byte[n];
                int read = in.readNBytes(body, 0, n);
                return new Body(read == n ? body : Arrays.copyOf(body, read), n);
            } catch (IOException | RuntimeException e) {
                budget.release(n);
                throw e;
            }
        }
        byte[] body = new byte[0];
        int n = 0;
        int held = 0;
        try {
            while (n <= limit) {
                int want = Math.min(PIECE, limit + 1 - n);
                take(want);
                held += want;
                body = Arrays.copyOf(body, n + want);
                int read = in.readNBytes(body, n, want);
                n += read;
                if (read < want) {
                    break;
                }
            }
        } catch (IOException | HttpProblem | RuntimeException e) {
            budget.release(held);
            throw e;
        }
        if (n > limit) {
            budget.release(held);
            throw tooLarge();
        }
        return new Body(n == body.length ? body : Arrays.copyOf(body, n), held);
    }

    private void take(int n) throws HttpProblem {
        try {
            if (!budget.tryAcquire(n, waitSeconds, TimeUnit.SECONDS)) {
                throw new HttpProblem(503, "the server is receiving too much at once; try again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpProblem(503, "the server is stopping");
        }
    }

    private HttpProblem tooLarge() {
        return new HttpProblem(413, String.format(Locale.ROOT, "the request body is more than the limit of %,d bytes",
                limit));
    }
}
