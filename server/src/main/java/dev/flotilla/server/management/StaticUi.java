package dev.flotilla.server.management;

import dev.flotilla.server.http.ApiErrors;
import dev.flotilla.server.http.ApiRequest;
import dev.flotilla.server.http.ApiResponse;
import dev.flotilla.server.http.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The web page: static files from {@code flotilla/ui/} on the classpath, no data in them (the page asks for the
 * admin key and calls the API with it), served with headers that keep it to its own origin.
 */
final class StaticUi implements Handler {
    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=UTF-8",
            "app.js", "text/javascript; charset=UTF-8",
            "app.css", "text/css; charset=UTF-8");
    private static final Map<String, String> HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "Cache-Control", "no-store");

    @Override
    public CompletionStage<ApiResponse> handle(ApiRequest request) {
        String file = request.pathParam("file");
        if (file == null) {
            if (!request.path().endsWith("/")) {
                return CompletableFuture.completedFuture(new ApiResponse(302, new byte[0], null,
                        Map.of("Location", "/app/")));
            }
            file = "index.html";
        }
        String type = TYPES.get(file);
        if (type == null) {
            throw new ApiErrors.RouteNotFound("no such file: /app/" + file);
        }
        try (InputStream in = StaticUi.class.getResourceAsStream("/flotilla/ui/" + file)) {
            if (in == null) {
                throw new ApiErrors.RouteNotFound("the web page is missing from this build: " + file);
            }
            return CompletableFuture.completedFuture(new ApiResponse(200, in.readAllBytes(), type, HEADERS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
