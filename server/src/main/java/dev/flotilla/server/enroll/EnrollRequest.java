package dev.flotilla.server.enroll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.http.ApiErrors;
import dev.flotilla.server.http.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** A validated enrollment body. Tags are de-duplicated and sorted. */
record EnrollRequest(String type, String id, String replaceToken, String enrollmentId, ObjectNode localMetadata,
                     JsonNode userProvided, List<String> tags) {
    private static final Set<String> TYPES = Set.of("PERMANENT", "EPHEMERAL", "TEMPORARY");

    @Override
    public String toString() {
        return "EnrollRequest[type=" + type + ", id=" + id + ", replaceToken=" + (replaceToken == null ? "none"
                : "<redacted>") + ", tags=" + tags + "]";
    }

    static EnrollRequest parse(JsonNode body) {
        String type = text(body, "type");
        if (type == null || !TYPES.contains(type)) {
            throw new ApiErrors.BadRequest("type must be one of " + TYPES + " (got " + type + ")");
        }
        JsonNode metadata = body.get("metadata");
        if (metadata == null || !metadata.isObject()) {
            throw new ApiErrors.BadRequest("the enrollment body needs a 'metadata' object with 'local' and"
                    + " 'user_provided'");
        }
        JsonNode local = metadata.get("local");
        if (local != null && !local.isNull() && !local.isObject()) {
            throw new ApiErrors.BadRequest("metadata.local must be a JSON object");
        }
        JsonNode user = metadata.get("user_provided");
        if (user != null && !user.isNull() && !user.isObject()) {
            throw new ApiErrors.BadRequest("metadata.user_provided must be a JSON object");
        }
        Set<String> tags = new TreeSet<>();
        JsonNode t = metadata.get("tags");
        if (t != null && !t.isNull()) {
            if (!t.isArray()) {
                throw new ApiErrors.BadRequest("metadata.tags must be an array of strings");
            }
            for (JsonNode tag : t) {
                if (!tag.isTextual()) {
                    throw new ApiErrors.BadRequest("metadata.tags must be an array of strings");
                }
                tags.add(tag.asText());
            }
        }
        String id = text(body, "id");
        if (id != null && (id.isBlank() || id.length() > 128 || id.contains("/"))) {
            throw new ApiErrors.BadRequest("id must be 1-128 characters without '/'");
        }
        ObjectNode localCopy = local == null || local.isNull() ? Json.object() : ((ObjectNode) local).deepCopy();
        return new EnrollRequest(type, id == null || id.isEmpty() ? null : id, text(body, "replace_token"),
                text(body, "enrollment_id"), localCopy, user == null || user.isNull() ? Json.object() : user,
                new ArrayList<>(tags));
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new ApiErrors.BadRequest("'" + field + "' must be a string");
        }
        return v.asText();
    }
}
