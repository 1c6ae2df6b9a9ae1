package dev.lenet5.app.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.lenet5.nn.classify.DigitClassifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The draw-a-digit page and its JSON API on the JDK's own HTTP server ({@code com.sun.net.httpserver}):
 * {@code POST /api/predict}, {@code GET /api/model}, {@code GET /healthz} and the page at {@code /}.
 *
 * <p>Requests run on a fixed pool of {@link ServeLimits#workers()} threads with a bounded queue; when both are
 * full the JDK server closes new connections instead of queueing without end. The JDK server applies its time
 * limits (a request's headers and body, and its response) and its connection limit to the whole JVM from the
 * first server on: {@link #start} sets them from the limits unless the system properties
 * {@code sun.net.httpserver.maxReqTime}, {@code sun.net.httpserver.maxRspTime} or
 * {@code jdk.httpserver.maxConnections} are given, in which case those win.
 */
public final class DigitServer implements AutoCloseable {

    static final String MAX_REQ_TIME = "sun.net.httpserver.maxReqTime";
    static final String MAX_RSP_TIME = "sun.net.httpserver.maxRspTime";
    static final String MAX_CONNECTIONS = "jdk.httpserver.maxConnections";
    static final String NO_DELAY = "sun.net.httpserver.nodelay";

    private final HttpServer server;
    private final ThreadPoolExecutor workers;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final URI uri;

    private DigitServer(HttpServer server, ThreadPoolExecutor workers) {
        this.server = server;
        this.workers = workers;
        InetSocketAddress bound = server.getAddress();
        InetAddress address = bound.getAddress();
        String host = address.isAnyLocalAddress() ? "127.0.0.1" : address.getHostAddress();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        this.uri = URI.create("http://" + host + ":" + bound.getPort() + "/");
    }

    /**
     * Starts serving {@code classifier} on {@code address} (port 0: any free port).
     *
     * @param modelName what the page and {@code /api/model} call the model (a file name, or "bundled")
     * @param log       where requests that fail inside the server are reported, one line each
     */
    public static DigitServer start(DigitClassifier classifier, String modelName, InetSocketAddress address,
                                    ServeLimits limits, PrintWriter log) throws IOException {
        applyJvmLimits(limits);
        ThreadPoolExecutor workers = new ThreadPoolExecutor(limits.workers(), limits.workers(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(limits.queue()), daemonThreads(), new ThreadPoolExecutor.AbortPolicy());
        HttpServer server = HttpServer.create(address, 0);
        Handlers handlers = new Handlers(classifier, modelName, limits, log);
        server.createContext("/", exchange -> handlers.handle(exchange, handlers::asset));
        server.createContext("/api/", exchange -> handlers.handle(exchange, handlers::api));
        server.createContext("/healthz", exchange -> handlers.handle(exchange, handlers::health));
        server.setExecutor(workers);
        server.start();
        return new DigitServer(server, workers);
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8080/}. */
    public URI uri() {
        return uri;
    }

    /** The time the JDK server gives a request in this JVM, in seconds; -1 when there is no limit. */
    public static long requestTimeoutSeconds() {
        long seconds = Long.getLong(MAX_REQ_TIME, -1);
        return seconds > 0 ? seconds : -1;
    }

    /** Stops accepting connections, gives requests in progress a second to finish, then stops the workers. */
    @Override
    public void close() {
        if (stopped.getCount() == 0) {
            return;
        }
        server.stop(1);
        workers.shutdownNow();
        stopped.countDown();
    }

    /** Waits until {@link #close} has stopped the server. */
    public void awaitClose() throws InterruptedException {
        stopped.await();
    }

    private static void applyJvmLimits(ServeLimits limits) {
        setIfAbsent(MAX_REQ_TIME, limits.requestTimeoutSeconds());
        setIfAbsent(MAX_RSP_TIME, limits.requestTimeoutSeconds());
        setIfAbsent(MAX_CONNECTIONS, limits.maxConnections());
        // The JDK server writes an answer's headers and body separately; with Nagle's algorithm the body waits for
        // the client's delayed acknowledgement of the headers, 40 ms per request on Linux.
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
    }

    private static void setIfAbsent(String property, int value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, Integer.toString(value));
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            // A worker reads and writes streams and calls the classifier: a small stack is plenty, so many are cheap.
            Thread t = new Thread(null, task, "serve-" + count.incrementAndGet(), 512 << 10);
            t.setDaemon(true);
            return t;
        };
    }

    /** Routes and answers requests; every failure becomes a JSON answer with its status. */
    private static final class Handlers {

        private final PredictHandler predict;
        private final byte[] model;
        private final byte[] health = new JsonWriter(32).beginObject().name("status").value("ok").endObject()
                .toBytes();
        private final StaticAssets assets = new StaticAssets();
        private final PrintWriter log;

        Handlers(DigitClassifier classifier, String modelName, ServeLimits limits, PrintWriter log) {
            this.predict = new PredictHandler(classifier, limits);
            this.model = ModelInfo.json(classifier, modelName, limits);
            this.log = log;
        }

        interface Route {
            void handle(HttpExchange exchange) throws IOException, HttpProblem;
        }

        void handle(HttpExchange exchange, Route route) {
            try (exchange) {
                try {
                    route.handle(exchange);
                } catch (HttpProblem problem) {
                    Exchanges.sendProblem(exchange, problem);
                } catch (RuntimeException e) {
                    // A fault of the server, not of the request: say so, keep serving.
                    synchronized (log) {
                        log.println("error: " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath()
                                + " failed: " + e);
                        log.flush();
                    }
                    Exchanges.sendProblem(exchange, new HttpProblem(500, "the server failed to answer: " + e));
                }
            } catch (IOException e) {
                // The client went away or broke the protocol; the connection is closed with the exchange.
            }
        }

        void asset(HttpExchange exchange) throws IOException, HttpProblem {
            assets.handle(exchange);
        }

        void health(HttpExchange exchange) throws IOException, HttpProblem {
            requirePath(exchange, "/healthz");
            Exchanges.requireMethod(exchange, Set.of("GET"));
            Exchanges.sendJson(exchange, 200, health);
        }

        void api(HttpExchange exchange) throws IOException, HttpProblem {
            String path = exchange.getRequestURI().getPath();
            switch (path) {
                case "/api/predict" -> predict.handle(exchange);
                case "/api/model" -> {
                    Exchanges.requireMethod(exchange, Set.of("GET"));
                    Exchanges.sendJson(exchange, 200, model);
                }
                default -> throw new HttpProblem(404, "there is nothing at " + path
                        + "; the API is POST /api/predict and GET /api/model");
            }
        }

        private static void requirePath(HttpExchange exchange, String path) throws HttpProblem {
            String actual = exchange.getRequestURI().getPath();
            if (!actual.equals(path)) {
                throw new HttpProblem(404, "there is nothing at " + actual);
            }
        }
    }
}
