package dev.flotilla.server.enroll;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.server.auth.Authenticator;
import dev.flotilla.server.http.ApiErrors;
import dev.flotilla.server.http.ApiRequest;
import dev.flotilla.server.http.ApiResponse;
import dev.flotilla.server.http.Handler;
import dev.flotilla.server.store.FleetStore;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@code POST /api/fleet/agents/{id}/audit/unenroll}: records why an agent went away (409 when already set). */
public final class AuditUnenrollHandler implements Handler {
    private static final Set<String> REASONS = Set.of("uninstall", "orphaned", "key_revoked", "migrated");
    private final FleetStore store;
    private final Authenticator auth;

    public AuditUnenrollHandler(FleetStore store, Authenticator auth) {
        this.store = store;
        this.auth = auth;
    }

    @Override
    public CompletionStage<ApiResponse> handle(ApiRequest request) {
        String agentId = request.pathParam("id");
        auth.agent(request, agentId);
        JsonNode body = request.json();
        String reason = body.path("reason").asText(null);
        if (reason == null || !REASONS.contains(reason)) {
            throw new ApiErrors.BadRequest("reason must be one of " + REASONS);
        }
        if (!body.path("timestamp").isTextual()) {
            throw new ApiErrors.BadRequest("timestamp must be an RFC 3339 date-time string");
        }
        if (!store.setAuditUnenroll(agentId, reason, Instant.now())) {
            throw new ApiErrors.AuditReasonConflict("agent document contains audit_unenroll_reason");
        }
        return CompletableFuture.completedFuture(new ApiResponse(200, new byte[0], null, Map.of()));
    }
}
