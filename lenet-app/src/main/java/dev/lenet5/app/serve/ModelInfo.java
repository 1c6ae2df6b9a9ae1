package dev.lenet5.app.serve;

import dev.lenet5.nn.classify.DigitClassifier;
import dev.lenet5.nn.classify.DigitImages;
import java.util.Map;
import java.util.TreeMap;

/** {@code GET /api/model}: which model answers, where it came from (its file's metadata) and the limits. */
final class ModelInfo {

    private ModelInfo() {
    }

    static byte[] json(DigitClassifier classifier, String modelName, ServeLimits limits) {
        Map<String, String> metadata = new TreeMap<>(classifier.metadata());
        JsonWriter json = new JsonWriter(1024).beginObject()
                .name("model").value(modelName)
                .name("metadata").object(metadata)
                .name("input").beginObject()
                .name("json_values").value(PixelArray.VALUES)
                .name("image_formats").beginArray().value("png").value("jpeg").endArray()
                .endObject()
                .name("layers").beginObject()
                .name("conv1").beginArray().value(6).value(28).value(28).endArray()
                .name("conv2").beginArray().value(16).value(10).value(10).endArray()
                .endObject()
                .name("limits").beginObject()
                .name("max_body_bytes").value(limits.maxBodyBytes())
                .name("max_pixels").value(DigitImages.MAX_PIXELS)
                .name("request_timeout_s").value(DigitServer.requestTimeoutSeconds())
                .endObject()
                .endObject();
        return json.toBytes();
    }
}
