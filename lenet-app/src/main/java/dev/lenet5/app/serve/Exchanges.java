package dev.lenet5.app.serve;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Set;

/** What every handler does with an exchange: check the method, read a bounded body, answer with JSON. */
final class Exchanges {

    static final String JSON = "application/json; charset=utf-8";

    private Exchanges() {
    }

    /**
     * Refuses any method but {@code allowed} with 405 and an {@code Allow} header. HEAD is allowed wherever GET
     * is (the server sends the headers without the body).
     */
    static void requireMethod(HttpExchange exchange, Set<String> allowed) throws HttpProblem {
        String method = exchange.getRequestMethod();
        if (allowed.contains(method) || (method.equals("HEAD") && allowed.contains("GET"))) {
            return;
        }
        String allow = String.join(", ", allowed.contains("GET") ? sortedWithHead(allowed) : allowed);
        exchange.getResponseHeaders().set("Allow", allow);
        throw new HttpProblem(405, "the method " + method + " is not allowed here; use " + allow);
    }

    private static Set<String> sortedWithHead(Set<String> allowed) {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(allowed);
        all.add("HEAD");
        return all;
    }

    static void sendJson(HttpExchange exchange, int status, byte[] json) throws IOException {
        send(exchange, status, JSON, json);
    }

    static void sendProblem(HttpExchange exchange, HttpProblem problem) throws IOException {
        byte[] json = new JsonWriter(128).beginObject()
                .name("error").value(problem.getMessage())
                .name("status").value(problem.status())
                .endObject().toBytes();
        if (problem.status() == 413) {
            // The rest of the body is not read: the connection cannot carry another request.
            exchange.getResponseHeaders().set("Connection", "close");
        }
        sendJson(exchange, problem.status(), json);
    }

    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", contentType);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        // -1: no body. For HEAD the length a GET would have is not sent; the JDK server then says 0.
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
