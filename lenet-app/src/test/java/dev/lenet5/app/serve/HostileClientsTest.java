package dev.lenet5.app.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lenet5.bench.ServeLoad;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients that send too much, too slowly or nothing at all, on raw sockets: each gets its status or its connection
 * closed within the limits, and other clients are served meanwhile.
 */
class HostileClientsTest {

    static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = new TestServer(TestServer.LIMITS);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
        s.setSoTimeout(30_000);
        return s;
    }

    private static void write(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    /** Everything the server sends until it closes the connection. */
    private static String readToClose(Socket s) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                all.write(buf, 0, n);
            }
        } catch (SocketException e) {
            // reset after the answer: what was read is what counts
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    private static void assertStatus(int status, String answer) {
        assertTrue(answer.startsWith("HTTP/1.1 " + status + " "), answer);
        String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
        Map<String, Object> json = TestServer.json(body);
        assertEquals(status, ((Number) json.get("status")).intValue(), answer);
    }

    @Test
    void aDeclaredBodyOverTheLimitIs413BeforeItIsSent() throws Exception {
        try (Socket s = connect()) {
            write(s, "POST /api/predict HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: "
                    + (TestServer.MAX_BODY + 1) + "\r\n\r\n");
            // Sending nothing more: else the server, which reads what a refused client still sends before it
            // closes (so that the client sees the answer rather than a reset), waits for it until the timeout.
            s.shutdownOutput();
            String answer = readToClose(s);
            assertStatus(413, answer);
            assertTrue(answer.contains("more than the limit of 262,144 bytes"), answer);
        }
        try (Socket s = connect()) {
            write(s, "POST /api/predict HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999\r\n\r\n");
            s.shutdownOutput();
            assertStatus(413, readToClose(s));
        }
    }

    @Test
    void anUndeclaredBodyIsReadOnlyToOneBytePastTheLimit() throws Exception {
        try (Socket s = connect()) {
            write(s, "POST /api/predict HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
            ExecutorService writer = Executors.newSingleThreadExecutor();
            // Four times the limit in 16 KiB chunks, from another thread: the server answers before it has all.
            Future<Integer> sent = writer.submit(() -> {
                OutputStream out = s.getOutputStream();
                byte[] chunk = new byte[16 << 10];
                int total = 0;
                try {
                    while (total < 4 * TestServer.MAX_BODY) {
                        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(chunk);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        total += chunk.length;
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // the server closed the connection after its answer
                }
                return total;
            });
            assertStatus(413, readToClose(s));
            writer.shutdown();
            sent.get();
        }
        assertEquals(200, server.get("/healthz").statusCode());
    }

    @Test
    void stalledRequestsAreClosedAndOthersServedMeanwhile() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            long start = System.nanoTime();
            // Half the workers held by clients that stop: in the headers, in the body, before the first byte.
            for (int i = 0; i < TestServer.LIMITS.workers() / 2; i++) {
                Socket s = connect();
                stalled.add(s);
                switch (i % 3) {
                    case 0 -> write(s, "POST /api/predict HTTP/1.1\r\nHost: x\r\nContent-Le");
                    case 1 -> write(s, "POST /api/predict HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n[0,0,0");
                    default -> write(s, "P");
                }
            }
            // Meanwhile others are answered at once, many times over.
            assertTimeoutPreemptively(Duration.ofSeconds(TestServer.TIMEOUT_SECONDS - 1), () -> {
                for (int i = 0; i < 20; i++) {
                    assertEquals(200, server.get("/healthz").statusCode());
                    assertEquals(200, server.post("/api/predict", Digits.json(Digits.pixels(i)), null).statusCode());
                }
            });
            for (Socket s : stalled) {
                String answer = readToClose(s);
                // Closed without an answer, or (for a half-sent body) the JDK server's own refusal.
                assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 4"), answer);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            // The JDK server checks its timers once a second.
            assertTrue(seconds < TestServer.TIMEOUT_SECONDS + 3, "stalled connections lasted " + seconds + " s");
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
    }

    @Test
    void aSlowDripIsCutAtTheRequestTimeout() throws Exception {
        try (Socket s = connect()) {
            long start = System.nanoTime();
            write(s, "POST /api/predict HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
            boolean cut = false;
            for (int i = 0; i < 4 * TestServer.TIMEOUT_SECONDS * 4 && !cut; i++) {
                try {
                    write(s, "0");
                    Thread.sleep(250);
                } catch (IOException e) {
                    cut = true;
                }
                if (!cut && s.getInputStream().available() > 0) {
                    cut = true;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(cut || readToClose(s).isEmpty(), "the drip was never cut");
            assertTrue(seconds < TestServer.TIMEOUT_SECONDS + 4, "the drip lasted " + seconds + " s");
        }
    }

    @Test
    void theLoadClientRunsWithoutErrors() throws Exception {
        ServeLoad.Settings settings = ServeLoad.parse("--url", "http://127.0.0.1:" + server.port(), "--requests",
                "300", "--clients", "8", "--warmup", "50", "--images", "200");
        ServeLoad.Result result = new ServeLoad(settings, Digits.test()).run();
        assertEquals(300, result.requests(), result::toString);
        assertEquals(0, result.errors(), result::toString);
        assertTrue(result.right() >= 290, result::toString);
    }
}
