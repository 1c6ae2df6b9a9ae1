package dev.lenet5.bench;

import dev.lenet5.mnist.ImageSet;
import dev.lenet5.mnist.MnistDataset;
import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * A load client for the {@code serve} command's {@code POST /api/predict}: {@code --clients} threads, each on its
 * own keep-alive connection, send MNIST test digits (as PNG or as a JSON array of 784 values) until
 * {@code --requests} answers have come back, after {@code --warmup} requests that are not measured (the server's
 * JIT compiles while they run). It reports the throughput, the latency's median, 99th percentile and maximum, the
 * errors (any answer but 200 with a digit, or a broken connection), and how many digits the server read right.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar lenet-app/target/lenet-app.jar serve --port 8080 &amp;
 * java -cp bench/target/benchmarks.jar dev.lenet5.bench.ServeLoad --url http://127.0.0.1:8080 --requests 20000
 * </pre>
 *
 * <p>A plain HTTP/1.1 client on sockets, so that the client costs little of the CPU it shares with the server on
 * one machine: a request is a few bytes of headers and the body, an answer is read by its Content-Length.
 */
public final class ServeLoad {

    /** What one run measured. */
    public record Result(int requests, int clients, double seconds, double requestsPerSecond, double p50Millis,
                         double p99Millis, double maxMillis, int errors, int right, String firstError) {

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%,d requests from %d clients in %.2f s: %,.0f requests/s;"
                    + " latency p50 %.2f ms, p99 %.2f ms, max %.2f ms; errors %d; digits read right %,d of %,d"
                    + " (%.1f%%)%s", requests, clients, seconds, requestsPerSecond, p50Millis, p99Millis, maxMillis,
                    errors, right, requests, 100.0 * right / Math.max(1, requests),
                    firstError == null ? "" : "; first error: " + firstError);
        }
    }

    /** The run's settings; see {@link #usage}. */
    public record Settings(URI url, int requests, int clients, int warmup, boolean json, boolean layers, int images) {
    }

    private static final int TIMEOUT_MS = 30_000;

    private final Settings settings;
    private final byte[][] bodies;
    private final int[] labels;

    public ServeLoad(Settings settings, ImageSet test) {
        this.settings = settings;
        int n = Math.min(settings.images(), test.size());
        bodies = new byte[n][];
        labels = new int[n];
        for (int i = 0; i < n; i++) {
            bodies[i] = settings.json() ? json(test, i) : png(test, i);
            labels[i] = test.label(i);
        }
    }

    public static void main(String[] args) throws Exception {
        Settings settings;
        try {
            settings = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            usage(System.err);
            System.exit(2);
            return;
        }
        if (settings == null) {
            usage(System.out);
            return;
        }
        ServeLoad load = new ServeLoad(settings, MnistBatches.load().test());
        System.out.printf(Locale.ROOT, "warming up: %,d requests, then measuring %,d from %d clients (%s bodies%s)"
                        + " against %s%n", settings.warmup(), settings.requests(), settings.clients(),
                settings.json() ? "JSON" : "PNG", settings.layers() ? ", with layers" : "", settings.url());
        Result result = load.run();
        System.out.println(result);
        System.exit(result.errors() == 0 ? 0 : 1);
    }

    static void usage(PrintStream out) {
        out.println("usage: java -cp benchmarks.jar dev.lenet5.bench.ServeLoad [--url URL] [--requests N]"
                + " [--clients N] [--warmup N] [--body png|json] [--layers] [--images N]");
        out.println("  --url URL       the serve command's address (default http://127.0.0.1:8080)");
        out.println("  --requests N    measured requests (default 10000)");
        out.println("  --clients N     concurrent clients, one connection each (default 32)");
        out.println("  --warmup N      requests sent first and not measured (default 5000)");
        out.println("  --body png|json MNIST test digits as 28x28 PNG images or JSON arrays of 784 values (default png)");
        out.println("  --layers        ask for the feature maps too (?layers=1)");
        out.println("  --images N      distinct test digits sent in turn (default 1000)");
    }

    /** The settings of {@code args}, or null for {@code --help}. */
    public static Settings parse(String... args) {
        URI url = URI.create("http://127.0.0.1:8080");
        int requests = 10_000;
        int clients = 32;
        int warmup = 5_000;
        boolean json = false;
        boolean layers = false;
        int images = 1000;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> {
                    return null;
                }
                case "--layers" -> layers = true;
                case "--url" -> url = URI.create(value(args, ++i, a));
                case "--requests" -> requests = positive(args, ++i, a, 1);
                case "--clients" -> clients = positive(args, ++i, a, 1);
                case "--warmup" -> warmup = positive(args, ++i, a, 0);
                case "--images" -> images = positive(args, ++i, a, 1);
                case "--body" -> {
                    String body = value(args, ++i, a);
                    if (!body.equals("png") && !body.equals("json")) {
                        throw new IllegalArgumentException("--body must be png or json, not " + body);
                    }
                    json = body.equals("json");
                }
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (!"http".equals(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("--url must be an http:// address with a host, not " + url);
        }
        return new Settings(url, requests, clients, warmup, json, layers, images);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int positive(String[] args, int i, String option, int min) {
        String v = value(args, i, option);
        try {
            int n = Integer.parseInt(v);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " must be a whole number of at least " + min + ", not " + v);
    }

    /** Runs the warm-up, then the measured requests; returns what was measured. */
    public Result run() throws InterruptedException {
        int clients = settings.clients();
        AtomicInteger warmupLeft = new AtomicInteger(settings.warmup());
        AtomicInteger measuredLeft = new AtomicInteger(settings.requests());
        AtomicInteger next = new AtomicInteger();
        long[][] latencies = new long[clients][];
        Client[] workers = new Client[clients];
        long[] phase = new long[2];
        CyclicBarrier warmedUp = new CyclicBarrier(clients, () -> phase[0] = System.nanoTime());
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int id = c;
            workers[c] = new Client();
            Thread t = new Thread(() -> {
                Client client = workers[id];
                client.loop(warmupLeft, next, false);
                try {
                    warmedUp.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                latencies[id] = client.loop(measuredLeft, next, true);
                client.close();
            }, "load-" + c);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        long end = System.nanoTime();
        int total = 0;
        int errors = 0;
        int right = 0;
        String firstError = null;
        for (Client w : workers) {
            total += w.measured;
            errors += w.errors;
            right += w.right;
            if (firstError == null) {
                firstError = w.firstError;
            }
        }
        long[] all = new long[total];
        int at = 0;
        for (long[] l : latencies) {
            System.arraycopy(l, 0, all, at, l.length);
            at += l.length;
        }
        Arrays.sort(all);
        double seconds = (end - phase[0]) / 1e9;
        return new Result(total, clients, seconds, total / seconds, percentile(all, 0.50), percentile(all, 0.99),
                all.length == 0 ? 0 : all[all.length - 1] / 1e6, errors, right, firstError);
    }

    /** The {@code q} quantile in milliseconds, by the nearest-rank method. */
    static double percentile(long[] sortedNanos, double q) {
        if (sortedNanos.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sortedNanos.length);
        return sortedNanos[Math.max(0, rank - 1)] / 1e6;
    }

    /** One client: one connection at a time, reopened after an error or when the server closes it. */
    private final class Client {

        private Socket socket;
        private InputStream in;
        private OutputStream out;
        int measured;
        int errors;
        int right;
        String firstError;

        /** Sends requests while {@code left} lasts; with {@code measure}, counts and times them. */
        long[] loop(AtomicInteger left, AtomicInteger next, boolean measure) {
            long[] times = new long[64];
            int n = 0;
            while (left.getAndDecrement() > 0) {
                int image = Math.floorMod(next.getAndIncrement(), bodies.length);
                long start = System.nanoTime();
                int digit;
                try {
                    digit = exchange(bodies[image]);
                } catch (IOException | RuntimeException e) {
                    digit = -1;
                    error(measure, e.toString());
                    close();
                }
                long took = System.nanoTime() - start;
                if (measure) {
                    if (n == times.length) {
                        times = Arrays.copyOf(times, 2 * n);
                    }
                    times[n++] = took;
                    measured++;
                    right += digit == labels[image] ? 1 : 0;
                }
            }
            return Arrays.copyOf(times, n);
        }

        private void error(boolean measure, String what) {
            if (measure) {
                errors++;
                if (firstError == null) {
                    firstError = what;
                }
            }
        }

        /** One request and its answer; returns the digit, or -1 (counted as an error) when there is none. */
        private int exchange(byte[] body) throws IOException {
            if (socket == null) {
                URI url = settings.url();
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(TIMEOUT_MS);
                socket.connect(new InetSocketAddress(url.getHost(), url.getPort() < 0 ? 80 : url.getPort()),
                        TIMEOUT_MS);
                in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
                out = socket.getOutputStream();
            }
            String head = "POST /api/predict" + (settings.layers() ? "?layers=1" : "") + " HTTP/1.1\r\n"
                    + "Host: " + settings.url().getAuthority() + "\r\n"
                    + "Content-Type: " + (settings.json() ? "application/json" : "image/png") + "\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n";
            byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
            byte[] request = Arrays.copyOf(headBytes, headBytes.length + body.length);
            System.arraycopy(body, 0, request, headBytes.length, body.length);
            out.write(request);
            out.flush();
            Answer answer = readAnswer(in);
            if (answer.close()) {
                close();
            }
            if (answer.status() != 200) {
                throw new IOException("HTTP " + answer.status() + ": " + answer.text());
            }
            int digit = digit(answer.text());
            if (digit < 0) {
                throw new IOException("an answer without a digit: " + answer.text());
            }
            return digit;
        }

        void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // nothing to keep
                }
                socket = null;
            }
        }
    }

    record Answer(int status, String text, boolean close) {
    }

    /** Reads one HTTP/1.1 answer with a Content-Length (all the serve command sends). */
    static Answer readAnswer(InputStream in) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        int length = -1;
        boolean close = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                length = Integer.parseInt(value);
            } else if (name.equals("connection")) {
                close = value.equalsIgnoreCase("close");
            }
        }
        if (length < 0 || length > (64 << 20)) {
            throw new IOException("an answer without a usable Content-Length (" + length + ")");
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new EOFException("the answer ended after " + body.length + " of " + length + " bytes");
        }
        return new Answer(status, new String(body, StandardCharsets.UTF_8), close);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the server closed the connection");
            }
            if (b == '\n') {
                int end = s.length();
                return end > 0 && s.charAt(end - 1) == '\r' ? s.substring(0, end - 1) : s.toString();
            }
            if (s.length() > 8192) {
                throw new IOException("a header line longer than 8192 bytes");
            }
            s.append((char) b);
        }
    }

    /** The value of {@code "digit":} in an answer, or -1. */
    static int digit(String json) {
        int at = json.indexOf("\"digit\":");
        if (at < 0) {
            return -1;
        }
        int i = at + 8;
        while (i < json.length() && json.charAt(i) == ' ') {
            i++;
        }
        return i < json.length() && Character.isDigit(json.charAt(i)) ? json.charAt(i) - '0' : -1;
    }

    private static byte[] png(ImageSet set, int index) {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int v = set.pixel(index, y, x);
                img.getRaster().setSample(x, y, 0, v);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] json(ImageSet set, int index) {
        StringBuilder s = new StringBuilder(784 * 6).append('[');
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                if (y + x > 0) {
                    s.append(',');
                }
                int v = set.pixel(index, y, x);
                s.append(v == 0 ? "0" : v == 255 ? "1" : String.format(Locale.ROOT, "%.4f", v / 255.0));
            }
        }
        return s.append(']').toString().getBytes(StandardCharsets.US_ASCII);
    }
}
