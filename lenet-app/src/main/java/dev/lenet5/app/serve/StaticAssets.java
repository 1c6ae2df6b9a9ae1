package dev.lenet5.app.serve;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The page's files, read from the jar once at start: a fixed list, so no request path ever reaches the class
 * path or the file system. Everything the page needs is here; its Content-Security-Policy lets it load nothing
 * from anywhere else.
 */
final class StaticAssets {

    private static final String ROOT = "/dev/lenet5/app/serve/web/";
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none';"
            + " frame-ancestors 'none'";

    private record Asset(String contentType, byte[] bytes) {
    }

    private final Map<String, Asset> assets = new HashMap<>();

    StaticAssets() {
        add("/", "index.html", "text/html; charset=utf-8");
        add("/app.css", "app.css", "text/css; charset=utf-8");
        add("/app.js", "app.js", "text/javascript; charset=utf-8");
        add("/favicon.svg", "favicon.svg", "image/svg+xml");
    }

    private void add(String path, String file, String contentType) {
        try (InputStream in = StaticAssets.class.getResourceAsStream(ROOT + file)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks the page's file " + ROOT + file);
            }
            assets.put(path, new Asset(contentType, in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void handle(HttpExchange exchange) throws IOException, HttpProblem {
        String path = exchange.getRequestURI().getPath();
        Asset asset = assets.get(path.equals("/index.html") ? "/" : path);
        if (asset == null) {
            throw new HttpProblem(404, "there is nothing at " + path);
        }
        Exchanges.requireMethod(exchange, Set.of("GET"));
        exchange.getResponseHeaders().set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        Exchanges.send(exchange, 200, asset.contentType(), asset.bytes());
    }
}
