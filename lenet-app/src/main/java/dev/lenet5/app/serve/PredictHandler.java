package dev.lenet5.app.serve;

import com.sun.net.httpserver.HttpExchange;
import dev.lenet5.nn.classify.DigitClassifier;
import dev.lenet5.nn.classify.DigitImageException;
import dev.lenet5.nn.classify.DigitImages;
import dev.lenet5.nn.classify.Explanation;
import dev.lenet5.nn.classify.Prediction;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /api/predict[?layers=1]}: a PNG or JPEG image of a digit, or a JSON array of its 784 pixel values,
 * in; the digit, the ten probabilities and the milliseconds the server took to prepare and classify it out, with
 * {@code layers=1} also the 28x28 image the network saw and the feature maps of conv1 and conv2.
 */
final class PredictHandler {

    /** What image errors call the body. */
    static final String SOURCE = "the uploaded image";

    private final DigitClassifier classifier;
    private final ServeLimits limits;
    private final Semaphore computeSlots;
    private final BodyBudget bodies;

    PredictHandler(DigitClassifier classifier, ServeLimits limits) {
        this.classifier = classifier;
        this.limits = limits;
        this.computeSlots = new Semaphore(limits.computeSlots(), true);
        this.bodies = new BodyBudget(limits.bodyBudgetBytes(), limits.maxBodyBytes(), limits.requestTimeoutSeconds());
    }

    void handle(HttpExchange exchange) throws IOException, HttpProblem {
        Exchanges.requireMethod(exchange, Set.of("POST"));
        boolean layers = layers(exchange.getRequestURI().getRawQuery());
        try (BodyBudget.Body received = bodies.read(exchange)) {
            answer(exchange, received.bytes(), layers);
        }
    }

    private void answer(HttpExchange exchange, byte[] body, boolean layers) throws IOException, HttpProblem {
        if (body.length == 0) {
            throw new HttpProblem(400, "the request body is empty; send a PNG or JPEG image, or a JSON array of "
                    + PixelArray.VALUES + " pixel values");
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        boolean json = (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json"))
                || PixelArray.looksLikeJson(body);
        byte[] answer;
        acquire();
        try {
            long start = System.nanoTime();
            float[] pixels = json ? PixelArray.parse(body) : prepare(body);
            if (layers) {
                Explanation explanation = classifier.explain(pixels);
                answer = answer(explanation.prediction(), explanation, millisSince(start));
            } else {
                answer = answer(classifier.classify(pixels), null, millisSince(start));
            }
        } finally {
            computeSlots.release();
        }
        Exchanges.sendJson(exchange, 200, answer);
    }

    private static float[] prepare(byte[] image) throws HttpProblem {
        try {
            return DigitImages.prepare(image, SOURCE);
        } catch (DigitImageException e) {
            throw new HttpProblem(400, e.getMessage());
        }
    }

    /** Waits for a compute slot as long as a request may take; a server that busy answers 503. */
    private void acquire() throws HttpProblem {
        try {
            if (!computeSlots.tryAcquire(limits.requestTimeoutSeconds(), TimeUnit.SECONDS)) {
                throw new HttpProblem(503, "the server is too busy to classify now; try again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpProblem(503, "the server is stopping");
        }
    }

    static boolean layers(String rawQuery) throws HttpProblem {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return false;
        }
        boolean layers = false;
        for (String pair : rawQuery.split("&", -1)) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            if (key.equals("layers")) {
                switch (value) {
                    case "1", "true" -> layers = true;
                    case "0", "false" -> layers = false;
                    default -> throw new HttpProblem(400, "layers must be 1 or 0, not '" + abbreviate(value) + "'");
                }
            }
        }
        return layers;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private static double millisSince(long start) {
        return Math.round((System.nanoTime() - start) / 1e3) / 1e3;
    }

    private static byte[] answer(Prediction prediction, Explanation layers, double millis) {
        JsonWriter json = new JsonWriter(layers == null ? 256 : 48 * 1024).beginObject()
                .name("digit").value(prediction.digit())
                .name("confidence").value(prediction.confidence())
                .name("probabilities").values(prediction.probabilities())
                .name("millis").value(millis);
        if (layers != null) {
            json.name("input28").rounded(layers.input28(), 0, layers.input28().length);
            json.name("conv1");
            maps(json, layers.conv1());
            json.name("conv2");
            maps(json, layers.conv2());
        }
        return json.endObject().toBytes();
    }

    private static void maps(JsonWriter json, float[][] maps) {
        json.beginArray();
        for (float[] map : maps) {
            json.rounded(map, 0, map.length);
        }
        json.endArray();
    }
}
