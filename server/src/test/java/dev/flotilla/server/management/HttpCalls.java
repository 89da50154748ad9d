package dev.flotilla.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.server.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Plain JDK HTTP/1.1 calls with an {@code Authorization: ApiKey} header, as a script or an agent sends them. */
final class HttpCalls {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;
    private final String key;

    record Reply(int status, String body, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    HttpCalls(URI base, String key) {
        this.base = base;
        this.key = key;
    }

    HttpCalls withKey(String otherKey) {
        return new HttpCalls(base, otherKey);
    }

    Reply get(String path) {
        return send("GET", path, null);
    }

    Reply post(String path, Object body) {
        return send("POST", path, body);
    }

    Reply put(String path, Object body) {
        return send("PUT", path, body);
    }

    Reply delete(String path) {
        return send("DELETE", path, null);
    }

    Reply send(String method, String path, Object body) {
        try {
            return sendAsync(method, path, body).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof IOException io ? new UncheckedIOException(io) : e;
        }
    }

    CompletableFuture<Reply> sendAsync(String method, String path, Object body) {
        HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(90))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body instanceof String s
                        ? s.getBytes(StandardCharsets.UTF_8) : Json.bytes(body)));
        if (body != null) {
            r.header("Content-Type", "application/json");
        }
        if (key != null) {
            r.header("Authorization", "ApiKey " + key);
        }
        return http.sendAsync(r.build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(resp -> new Reply(resp.statusCode(), resp.body(), resp));
    }
}
