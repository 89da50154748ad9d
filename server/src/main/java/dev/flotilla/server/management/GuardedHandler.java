package dev.flotilla.server.management;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.http.ApiRequest;
import dev.flotilla.server.http.ApiResponse;
import dev.flotilla.server.http.Handler;
import dev.flotilla.server.http.Json;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A management endpoint behind the admin key: 401 without it (through the server's error table), and the one
 * place a {@link ManagementError} becomes a response ({@code attributes.field} names the field that is wrong).
 */
final class GuardedHandler implements Handler {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedHandler.class);
    private final AdminKey key;
    private final Function<ApiRequest, ApiResponse> body;

    GuardedHandler(AdminKey key, Function<ApiRequest, ApiResponse> body) {
        this.key = key;
        this.body = body;
    }

    @Override
    public CompletionStage<ApiResponse> handle(ApiRequest request) {
        key.check(request);
        try {
            return CompletableFuture.completedFuture(body.apply(request));
        } catch (ManagementError e) {
            LOG.info("{} {} -> {} {}", request.method(), request.path(), e.kind().status, e.getMessage());
            return CompletableFuture.completedFuture(ApiResponse.json(e.kind().status, body(e)));
        }
    }

    static ObjectNode body(ManagementError e) {
        ObjectNode out = Json.object();
        out.put("statusCode", e.kind().status);
        out.put("error", e.kind().code);
        out.put("message", e.getMessage());
        if (e.field() != null) {
            out.putObject("attributes").put("field", e.field()).put("reason", e.reason());
        }
        return out;
    }
}
