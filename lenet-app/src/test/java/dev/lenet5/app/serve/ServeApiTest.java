package dev.lenet5.app.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lenet5.nn.classify.DigitClassifier;
import dev.lenet5.nn.classify.DigitImages;
import dev.lenet5.nn.classify.Explanation;
import dev.lenet5.nn.classify.Prediction;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The API end to end over real HTTP: the answers against the Java API's own, and every refusal's status. */
class ServeApiTest {

    static TestServer server;
    static DigitClassifier classifier;

    @BeforeAll
    static void start() throws IOException {
        server = new TestServer(TestServer.LIMITS);
        classifier = TestServer.classifier();
    }

    @AfterAll
    static void stop() {
        server.close();
        assertEquals("", server.log.toString(), "the server reported failures of its own");
    }

    private static Map<String, Object> okJson(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r::body);
        assertEquals("application/json; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        return TestServer.json(r.body());
    }

    private static void assertProblem(int status, String fragment, HttpResponse<String> r) {
        assertEquals(status, r.statusCode(), r::body);
        Map<String, Object> json = TestServer.json(r.body());
        assertEquals(status, ((Number) json.get("status")).intValue(), r::body);
        String error = (String) json.get("error");
        assertTrue(error.contains(fragment), () -> "'" + error + "' does not say '" + fragment + "'");
    }

    @Test
    void healthAndModel() throws Exception {
        assertEquals("ok", okJson(server.get("/healthz")).get("status"));
        HttpResponse<String> head = server.send("HEAD", "/healthz", null, null);
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());

        Map<String, Object> model = okJson(server.get("/api/model"));
        assertEquals("bundled", model.get("model"));
        assertEquals(classifier.metadata(), model.get("metadata"));
        @SuppressWarnings("unchecked")
        Map<String, Object> limits = (Map<String, Object>) model.get("limits");
        assertEquals(TestServer.MAX_BODY, ((Number) limits.get("max_body_bytes")).intValue());
        assertEquals(DigitImages.MAX_PIXELS, ((Number) limits.get("max_pixels")).longValue());
        assertEquals(TestServer.TIMEOUT_SECONDS, ((Number) limits.get("request_timeout_s")).intValue());
    }

    @Test
    void thePageAndItsFilesComeFromTheJar() throws Exception {
        for (String path : List.of("/", "/index.html")) {
            HttpResponse<String> page = server.get(path);
            assertEquals(200, page.statusCode());
            assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(""));
            assertTrue(page.body().contains("<canvas id=\"pad\""), page::body);
            assertEquals(StaticAssets.CONTENT_SECURITY_POLICY,
                    page.headers().firstValue("Content-Security-Policy").orElse(""));
            // Nothing from elsewhere: every script, style and image the page names is its own.
            assertTrue(!page.body().contains("http://") && !page.body().contains("https://"), page::body);
        }
        assertEquals(200, server.get("/app.js").statusCode());
        assertEquals("text/css; charset=utf-8",
                server.get("/app.css").headers().firstValue("Content-Type").orElse(""));
        assertTrue(server.get("/app.js").body().contains("/api/predict?layers=1"));
    }

    @Test
    void imagesAreReadAsTheJavaApiReadsThem() throws Exception {
        int right = 0;
        int n = 20;
        for (int i = 0; i < n; i++) {
            int index = 2000 + i;
            byte[] image = Digits.image(index, i % 2 == 0 ? "png" : "jpg");
            Map<String, Object> answer = okJson(server.post("/api/predict", image, i % 3 == 0 ? null : "image/png"));
            Prediction expected = classifier.classify(DigitImages.prepare(image, "test"));
            assertEquals(expected.digit(), ((Number) answer.get("digit")).intValue());
            assertArrayEquals(expected.probabilities(), TestServer.floats(answer.get("probabilities")));
            assertEquals(expected.confidence(), ((Number) answer.get("confidence")).floatValue());
            double millis = ((Number) answer.get("millis")).doubleValue();
            assertTrue(millis > 0 && millis < 10_000, "millis " + millis);
            right += expected.digit() == Digits.test().label(index) ? 1 : 0;
        }
        // The bundled model reads MNIST's test set at about 99%; redrawn digits barely less.
        assertTrue(right >= n - 2, right + " of " + n + " right");
    }

    @Test
    void jsonPixelsAreReadAsTheJavaApiReadsThem() throws Exception {
        for (int index = 0; index < 10; index++) {
            float[] pixels = Digits.pixels(index);
            Map<String, Object> answer = okJson(server.post("/api/predict", Digits.json(pixels),
                    index % 2 == 0 ? "application/json" : null));
            Prediction expected = classifier.classify(pixels);
            assertEquals(Digits.test().label(index), ((Number) answer.get("digit")).intValue());
            assertArrayEquals(expected.probabilities(), TestServer.floats(answer.get("probabilities")));
            assertTrue(!answer.containsKey("conv1"), "maps only when asked for");
        }
    }

    @Test
    void layersAddTheInputAndTheFeatureMaps() throws Exception {
        byte[] image = Digits.image(7, "png");
        Map<String, Object> answer = okJson(server.post("/api/predict?layers=1", image, "image/png"));
        Explanation expected = classifier.explain(DigitImages.prepare(image, "test"));
        assertEquals(expected.prediction().digit(), ((Number) answer.get("digit")).intValue());
        assertClose(expected.input28(), TestServer.floats(answer.get("input28")));
        List<?> conv1 = (List<?>) answer.get("conv1");
        List<?> conv2 = (List<?>) answer.get("conv2");
        assertEquals(6, conv1.size());
        assertEquals(16, conv2.size());
        float max = 0;
        for (int m = 0; m < 6; m++) {
            float[] map = TestServer.floats(conv1.get(m));
            assertEquals(28 * 28, map.length);
            assertClose(expected.conv1()[m], map);
            for (float v : map) {
                max = Math.max(max, v);
            }
        }
        for (int m = 0; m < 16; m++) {
            float[] map = TestServer.floats(conv2.get(m));
            assertEquals(10 * 10, map.length);
            assertClose(expected.conv2()[m], map);
        }
        assertTrue(max > 0.1, "conv1 saw nothing");
        assertEquals(expected.prediction().digit(),
                ((Number) okJson(server.post("/api/predict?layers=0", image, null)).get("digit")).intValue());
    }

    /** The maps travel rounded to three decimals. */
    private static void assertClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 0.0005 + 1e-6 * Math.abs(expected[i]), "value " + i);
        }
    }

    @Test
    void badImagesAre400WithTheReason() throws Exception {
        assertProblem(400, "not a PNG or JPEG", server.post("/api/predict", "hello".getBytes(StandardCharsets.UTF_8),
                "image/png"));
        assertProblem(400, "empty", server.post("/api/predict", new byte[0], "image/png"));
        byte[] bomb = pngHeader(20_000, 20_000);
        assertProblem(400, "more than the limit of 16,777,216", server.post("/api/predict", bomb, "image/png"));
        BufferedImage white = new BufferedImage(50, 50, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = white.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 50, 50);
        g.dispose();
        assertProblem(400, "no ink", server.post("/api/predict", Digits.encode(white, "png"), "image/png"));
        byte[] truncated = Digits.image(3, "png");
        truncated = java.util.Arrays.copyOf(truncated, truncated.length / 2);
        assertProblem(400, "cannot decode", server.post("/api/predict", truncated, "image/png"));
    }

    @Test
    void badJsonIs400WithTheReason() throws Exception {
        String json = "application/json";
        assertProblem(400, "783 values", server.post("/api/predict", Digits.json(new float[783]), json));
        assertProblem(400, "more than 784", server.post("/api/predict", Digits.json(new float[785]), json));
        float[] bright = new float[784];
        bright[5] = 1.5f;
        assertProblem(400, "value 5 of the JSON array, 1.5, is outside [0,1]",
                server.post("/api/predict", Digits.json(bright), json));
        assertProblem(400, "not a number", server.post("/api/predict", bytes("[0, \"a\"]"), json));
        assertProblem(400, "not a JSON number", server.post("/api/predict", bytes("[0, 01]"), json));
        assertProblem(400, "not closed", server.post("/api/predict", bytes("[0, 1"), json));
        assertProblem(400, "must be an array", server.post("/api/predict", bytes("{\"pixels\": []}"), json));
        assertProblem(400, "after the JSON array", server.post("/api/predict", bytes("[] []"), json));
        assertProblem(400, "layers must be 1 or 0", server.post("/api/predict?layers=yes",
                Digits.json(Digits.pixels(0)), json));
    }

    @Test
    void wrongMethodsAre405WithTheAllowedOnes() throws Exception {
        HttpResponse<String> r = server.get("/api/predict");
        assertProblem(405, "use POST", r);
        assertEquals("POST", r.headers().firstValue("Allow").orElse(""));
        r = server.post("/api/model", bytes("{}"), "application/json");
        assertProblem(405, "not allowed", r);
        assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElse(""));
        assertProblem(405, "PUT", server.send("PUT", "/healthz", bytes("x"), null));
        assertProblem(405, "DELETE", server.send("DELETE", "/", null, null));
    }

    @Test
    void unknownPathsAre404() throws Exception {
        assertProblem(404, "/nothing-here", server.get("/nothing-here"));
        assertProblem(404, "/api/predictions", server.post("/api/predictions", Digits.json(Digits.pixels(0)), null));
        assertProblem(404, "/api/", server.get("/api/"));
        assertProblem(404, "/healthz/more", server.get("/healthz/more"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A PNG's signature and header announcing {@code width x height} grey pixels, and nothing else. */
    static byte[] pngHeader(int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(out);
        data.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(ihdr);
        h.writeBytes("IHDR");
        h.writeInt(width);
        h.writeInt(height);
        h.write(new byte[] {8, 0, 0, 0, 0});
        byte[] chunk = ihdr.toByteArray();
        data.writeInt(chunk.length - 4);
        data.write(chunk);
        CRC32 crc = new CRC32();
        crc.update(chunk);
        data.writeInt((int) crc.getValue());
        return out.toByteArray();
    }
}
