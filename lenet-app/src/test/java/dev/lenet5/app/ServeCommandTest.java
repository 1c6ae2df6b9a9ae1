package dev.lenet5.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} as a user runs it: in a JVM of its own, until it is told to stop. */
class ServeCommandTest {

    private static final Pattern URL = Pattern.compile("serving model (\\S+) at (http://\\S+/) \\(Ctrl-C to stop\\)");

    @TempDir
    Path tmp;

    /** Waits for the line with the URL; returns its match. */
    private static Matcher awaitUrl(Process p, Path log) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = URL.matcher(ChildJvm.read(log));
            if (m.find()) {
                return m;
            }
            if (!p.isAlive()) {
                throw new AssertionError("serve ended before it printed its URL:\n" + ChildJvm.read(log));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("serve printed no URL in 60 s:\n" + ChildJvm.read(log));
    }

    @Test
    void servesUntilStoppedAndStopsCleanly() throws Exception {
        Path log = tmp.resolve("serve.log");
        Process p = ChildJvm.start(log, "serve", "--port", "0");
        try {
            Matcher m = awaitUrl(p, log);
            assertEquals("bundled", m.group(1));
            URI uri = URI.create(m.group(2));
            assertEquals("127.0.0.1", uri.getHost(), "binds to this machine only unless told otherwise");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(uri.resolve("/healthz"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            HttpResponse<String> model = http.send(HttpRequest.newBuilder(uri.resolve("/api/model"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(model.body().contains("\"model\":\"bundled\""), model::body);
        } finally {
            // SIGTERM, as Ctrl-C's SIGINT: the shutdown hook stops the server.
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "serve did not stop on SIGTERM");
        }
        String out = ChildJvm.read(log);
        assertTrue(out.strip().endsWith("stopped"), out);
        // the kernels are compiled before the first request (JitWarmUp), and it says so
        assertTrue(out.contains("JIT: ") && out.indexOf("JIT: ") < out.indexOf("serving model"), out);
    }

    @Test
    void servesAModelFile(@TempDir Path run) throws Exception {
        AppRun trained = AppRun.of("train", "--epochs", "1", "--train-images", "600", "--val-images", "100",
                "--test-images", "100", "--batch-size", "50", "--out", run.toString());
        assertEquals(0, trained.exitCode(), trained::toString);
        Path log = tmp.resolve("serve-file.log");
        Process p = ChildJvm.start(log, "serve", "--port", "0", "--model", run.resolve("model.safetensors").toString());
        try {
            assertEquals("model.safetensors", awaitUrl(p, log).group(1));
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void badOptionsAreOneSentence() throws Exception {
        AppRun port = AppRun.of("serve", "--port", "70000");
        assertEquals(Main.EXIT_USAGE, port.exitCode(), port::toString);
        assertTrue(port.err().contains("--port must be between 0 and 65535"), port::toString);

        AppRun missing = AppRun.of("serve", "--model", tmp.resolve("absent.safetensors").toString(), "--port", "0");
        assertEquals(Main.EXIT_FAILURE, missing.exitCode(), missing::toString);
        assertTrue(missing.err().contains("absent.safetensors"), missing::toString);

        // In a JVM of its own: the JDK server's limits are fixed for a JVM by its first server, even one that fails.
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AppRun busy = ChildJvm.run(tmp.resolve("busy.log"), "serve", "--port",
                    Integer.toString(taken.getLocalPort()));
            assertEquals(Main.EXIT_FAILURE, busy.exitCode(), busy::toString);
            assertTrue(busy.out().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()), busy::toString);
        }
    }

    @Test
    void helpListsServe() {
        AppRun help = AppRun.of("--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("serve"), help::toString);
        AppRun serveHelp = AppRun.of("serve", "--help");
        assertEquals(0, serveHelp.exitCode());
        assertTrue(serveHelp.out().contains("POST /api/predict") && serveHelp.out().contains("--host"),
                serveHelp::toString);
    }
}
