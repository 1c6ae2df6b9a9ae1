package dev.lenet5.app.serve;

import dev.lenet5.nn.classify.DigitClassifier;
import dev.lenet5.nn.io.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A server on a free loopback port with the bundled model and small limits, so that the tests reach every limit
 * quickly. The JDK server's request timeout is the JVM's, fixed when its first server starts: every serve test
 * goes through here first, which sets it to {@link #TIMEOUT_SECONDS}.
 */
final class TestServer implements AutoCloseable {

    static final int TIMEOUT_SECONDS = 3;
    static final int MAX_BODY = 256 << 10;
    static final ServeLimits LIMITS = new ServeLimits(MAX_BODY, 2 * MAX_BODY + 1, 16, 64, 256, 2, TIMEOUT_SECONDS);

    static {
        System.setProperty(DigitServer.MAX_REQ_TIME, Integer.toString(TIMEOUT_SECONDS));
        System.setProperty(DigitServer.MAX_RSP_TIME, "30");
    }

    private static DigitClassifier bundled;

    final DigitServer server;
    final StringWriter log = new StringWriter();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    TestServer(ServeLimits limits) throws IOException {
        server = DigitServer.start(classifier(), "bundled", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                limits, new PrintWriter(log, true));
    }

    static synchronized DigitClassifier classifier() {
        if (bundled == null) {
            bundled = DigitClassifier.bundled();
        }
        return bundled;
    }

    int port() {
        return server.uri().getPort();
    }

    URI uri(String pathAndQuery) {
        return server.uri().resolve(pathAndQuery);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String path, byte[] body, String contentType)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, byte[] body, String contentType) throws IOException, InterruptedException {
        return send("POST", path, body, contentType);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(String text) {
        try {
            return (Map<String, Object>) Json.parse(text);
        } catch (Json.JsonException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    static float[] floats(Object list) {
        List<?> values = (List<?>) list;
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) values.get(i)).floatValue();
        }
        return out;
    }

    @Override
    public void close() {
        server.close();
    }
}
