package dev.flotilla.server.checkin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.server.http.ApiErrors;
import dev.flotilla.server.http.Json;
import java.time.Duration;
import java.util.Set;

/** A validated check-in body. JSON parts are kept as JSON text. */
public record CheckinRequest(String status, String message, String ackToken, String localMetadata,
                             String components, Duration pollTimeout, String agentPolicyId, Long policyRevisionIdx) {
    private static final Set<String> STATUSES = Set.of("online", "error", "degraded", "starting", "disconnected");

    public static CheckinRequest parse(JsonNode body) {
        String status = text(body, "status", true);
        if (!STATUSES.contains(status)) {
            throw new ApiErrors.BadRequest("status '" + status + "' is not one of " + STATUSES);
        }
        String message = text(body, "message", true);
        String ackToken = text(body, "ack_token", false);
        String local = null;
        if (body.hasNonNull("local_metadata")) {
            if (!body.get("local_metadata").isObject()) {
                throw new ApiErrors.BadRequest("local_metadata must be a JSON object");
            }
            local = Json.text(body.get("local_metadata"));
        }
        String components = null;
        if (body.hasNonNull("components")) {
            if (!body.get("components").isArray()) {
                throw new ApiErrors.BadRequest("components must be a JSON array");
            }
            components = Json.text(body.get("components"));
        }
        String poll = text(body, "poll_timeout", false);
        Duration pollTimeout = poll == null ? null : PollDuration.parseGo(poll);
        String policyId = text(body, "agent_policy_id", false);
        Long revision = null;
        if (body.hasNonNull("policy_revision_idx")) {
            if (!body.get("policy_revision_idx").canConvertToLong()) {
                throw new ApiErrors.BadRequest("policy_revision_idx must be an integer");
            }
            revision = body.get("policy_revision_idx").asLong();
        }
        return new CheckinRequest(status, message, ackToken, local, components, pollTimeout, policyId, revision);
    }

    /**
     * This request without what the agent reported (message, local metadata, components; recorded already):
     * what a waiting check-in keeps for its answer, which reads only the ack token, policy id and revision.
     */
    public CheckinRequest withoutReports() {
        return localMetadata == null && components == null && message == null ? this
                : new CheckinRequest(status, null, ackToken, null, null, pollTimeout, agentPolicyId, policyRevisionIdx);
    }

    private static String text(JsonNode body, String field, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new ApiErrors.BadRequest("the check-in body has no '" + field + "'");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new ApiErrors.BadRequest("'" + field + "' must be a string");
        }
        return v.asText();
    }
}
