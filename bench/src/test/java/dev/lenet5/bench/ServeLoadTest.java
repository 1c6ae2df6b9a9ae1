package dev.lenet5.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.lenet5.mnist.ImageSet;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The load client against a stand-in server whose answers it must count exactly. */
class ServeLoadTest {

    static ImageSet test;
    HttpServer server;
    ExecutorService pool;

    @BeforeAll
    static void loadMnist() {
        // Without it the JDK server's two writes per answer wait out the client's delayed acknowledgement (40 ms).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        test = MnistBatches.load().test();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
            pool.shutdownNow();
        }
    }

    /** A server answering "digit 3" to each POST, except every {@code failEvery}-th (0: none) with 500. */
    private String serve(int failEvery, AtomicInteger posts) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        pool = Executors.newFixedThreadPool(8);
        server.setExecutor(pool);
        server.createContext("/api/predict", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int n = posts.incrementAndGet();
            boolean fail = failEvery > 0 && n % failEvery == 0;
            boolean json = "application/json".equals(exchange.getRequestHeaders().getFirst("Content-Type"));
            boolean wellFormed = json ? body[0] == '[' && body[body.length - 1] == ']' : body[1] == 'P';
            byte[] answer = (fail || !wellFormed ? "{\"error\":\"no\"}" : "{\"digit\":3,\"millis\":0.1}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(fail || !wellFormed ? 500 : 200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static int threesAmong(int images, int requests) {
        int threes = 0;
        for (int i = 0; i < requests; i++) {
            threes += test.label(i % images) == 3 ? 1 : 0;
        }
        return threes;
    }

    @Test
    void countsEveryRequestAndEveryRightDigit() throws Exception {
        AtomicInteger posts = new AtomicInteger();
        String url = serve(0, posts);
        ServeLoad.Settings settings = ServeLoad.parse("--url", url, "--requests", "300", "--clients", "4",
                "--warmup", "20", "--images", "50");
        ServeLoad.Result result = new ServeLoad(settings, test).run();
        assertEquals(300, result.requests(), result::toString);
        assertEquals(320, posts.get());
        assertEquals(0, result.errors(), result::toString);
        assertNull(result.firstError());
        // The warm-up takes the first 20 images in turn, so the measured ones start at image 20.
        int threes = 0;
        for (int i = 20; i < 320; i++) {
            threes += test.label(i % 50) == 3 ? 1 : 0;
        }
        assertEquals(threes, result.right(), result::toString);
        assertTrue(result.p50Millis() > 0 && result.p50Millis() <= result.p99Millis()
                && result.p99Millis() <= result.maxMillis(), result::toString);
        assertTrue(result.requestsPerSecond() > 0, result::toString);
    }

    @Test
    void jsonBodiesAreArraysOfPixelValues() throws Exception {
        AtomicInteger posts = new AtomicInteger();
        String url = serve(0, posts);
        ServeLoad.Result result = new ServeLoad(ServeLoad.parse("--url", url, "--requests", "40", "--clients", "2",
                "--warmup", "0", "--body", "json", "--images", "40"), test).run();
        assertEquals(0, result.errors(), result::toString);
        assertEquals(threesAmong(40, 40), result.right());
    }

    @Test
    void errorsAreCountedNotHidden() throws Exception {
        AtomicInteger posts = new AtomicInteger();
        String url = serve(10, posts);
        ServeLoad.Result result = new ServeLoad(ServeLoad.parse("--url", url, "--requests", "200", "--clients", "1",
                "--warmup", "0"), test).run();
        assertEquals(200, result.requests());
        assertEquals(20, result.errors(), result::toString);
        assertTrue(result.firstError().contains("HTTP 500"), result.firstError());
    }

    @Test
    void aServerThatIsNotThereIsAnErrorPerRequest() throws Exception {
        AtomicInteger posts = new AtomicInteger();
        String url = serve(0, posts);
        server.stop(0);
        server = null;
        pool.shutdownNow();
        ServeLoad.Result result = new ServeLoad(ServeLoad.parse("--url", url, "--requests", "5", "--clients", "1",
                "--warmup", "0"), test).run();
        assertEquals(5, result.errors(), result::toString);
    }

    @Test
    void percentilesByNearestRank() {
        long[] ms = new long[100];
        for (int i = 0; i < 100; i++) {
            ms[i] = (i + 1) * 1_000_000L;
        }
        assertEquals(50.0, ServeLoad.percentile(ms, 0.50));
        assertEquals(99.0, ServeLoad.percentile(ms, 0.99));
        assertEquals(7.0, ServeLoad.percentile(new long[] {7_000_000L}, 0.99));
    }

    @Test
    void badOptionsAreOneSentence() {
        assertThrows(IllegalArgumentException.class, () -> ServeLoad.parse("--clients", "0"));
        assertThrows(IllegalArgumentException.class, () -> ServeLoad.parse("--body", "gif"));
        assertThrows(IllegalArgumentException.class, () -> ServeLoad.parse("--url", "ftp://x"));
        assertNull(ServeLoad.parse("--help"));
    }
}
