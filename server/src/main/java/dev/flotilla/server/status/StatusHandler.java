package dev.flotilla.server.status;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.auth.Authenticator;
import dev.flotilla.server.http.ApiRequest;
import dev.flotilla.server.http.ApiResponse;
import dev.flotilla.server.http.Handler;
import dev.flotilla.server.http.Json;
import dev.flotilla.server.http.Lifecycle;
import dev.flotilla.server.store.FleetStore;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /api/status}: {@code {"name":"fleet-server","status":...}}, with the version when the request
 * carries a valid API key. 200 only when HEALTHY (the store answers), else 503.
 */
public final class StatusHandler implements Handler {
    private final FleetStore store;
    private final Authenticator auth;
    private final Lifecycle lifecycle;
    private final String version;
    private final Map<String, String> headers;

    public StatusHandler(FleetStore store, Authenticator auth, Lifecycle lifecycle, String version) {
        this(store, auth, lifecycle, version, -1);
    }

    /** With {@code worker >= 0} (one of several worker processes) the answer names it: {@value #WORKER_HEADER}. */
    public StatusHandler(FleetStore store, Authenticator auth, Lifecycle lifecycle, String version, int worker) {
        this.store = store;
        this.auth = auth;
        this.lifecycle = lifecycle;
        this.version = version;
        this.headers = worker < 0 ? Map.of() : Map.of(WORKER_HEADER, Integer.toString(worker));
    }

    /** The response header naming the worker process that answered (only with {@code --workers N}). */
    public static final String WORKER_HEADER = "X-Flotilla-Worker";

    @Override
    public CompletionStage<ApiResponse> handle(ApiRequest request) {
        Lifecycle.State state = lifecycle.state();
        if (state == Lifecycle.State.HEALTHY) {
            try {
                store.ping();
            } catch (RuntimeException e) {
                state = Lifecycle.State.DEGRADED;
            }
        }
        ObjectNode out = Json.object().put("name", "fleet-server").put("status", state.name());
        if (state == Lifecycle.State.HEALTHY && auth.optionalKey(request).isPresent()) {
            out.putObject("version").put("number", version).put("build_hash", "").put("build_time", "");
        }
        ApiResponse json = ApiResponse.json(state == Lifecycle.State.HEALTHY ? 200 : 503, out);
        return CompletableFuture.completedFuture(headers.isEmpty() ? json
                : new ApiResponse(json.status(), json.body(), json.contentType(), headers));
    }
}
