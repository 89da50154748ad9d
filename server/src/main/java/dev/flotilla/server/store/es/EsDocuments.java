package dev.flotilla.server.store.es;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.store.ActionRecord;
import dev.flotilla.server.store.ActionResult;
import dev.flotilla.server.store.AgentRecord;
import dev.flotilla.server.store.ApiKeyRecord;
import dev.flotilla.server.store.EnrollmentKey;
import dev.flotilla.server.store.PolicyRevision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The store's records as Elasticsearch documents, with Fleet's field names (reference §3). JSON-valued parts
 * (policy data, local metadata, components, action data) become JSON objects in the document when they parse,
 * so the documents read like Fleet's. {@code seq} values are {@code _seq_no + 1} (so that 0 means "none").
 */
final class EsDocuments {

    private final ObjectMapper json;

    EsDocuments(ObjectMapper json) {
        this.json = json;
    }

    // ---- agents

    ObjectNode agent(AgentRecord a) {
        ObjectNode d = json.createObjectNode();
        d.put("agent_id", a.id());
        d.put("active", a.active());
        d.put("policy_id", a.policyId());
        put(d, "type", a.type());
        put(d, "enrolled_at", a.enrolledAt());
        put(d, "access_api_key_id", a.accessApiKeyId());
        put(d, "replace_token", a.replaceTokenHash());
        put(d, "enrollment_id", a.enrollmentId());
        d.set("local_metadata", parse(a.localMetadata()));
        ArrayNode tags = d.putArray("tags");
        a.tags().forEach(tags::add);
        d.put("policy_revision_idx", a.policyRevision());
        d.put("action_seq_no", a.actionSeqNo());
        put(d, "last_checkin", a.lastCheckin());
        put(d, "last_checkin_status", a.lastCheckinStatus());
        put(d, "last_checkin_message", a.lastCheckinMessage());
        if (a.components() != null) {
            d.set("components", parse(a.components()));
        }
        put(d, "unenrolled_at", a.unenrolledAt());
        put(d, "audit_unenrolled_reason", a.auditUnenrollReason());
        put(d, "updated_at", a.updatedAt());
        return d;
    }

    AgentRecord agent(String id, JsonNode d) {
        List<String> tags = new ArrayList<>();
        d.path("tags").forEach(t -> tags.add(t.asText()));
        return new AgentRecord(id, d.path("active").asBoolean(), text(d, "policy_id"), text(d, "type"),
                instant(d, "enrolled_at"), text(d, "access_api_key_id"), text(d, "replace_token"),
                text(d, "enrollment_id"), raw(d, "local_metadata"), tags, d.path("policy_revision_idx").asLong(-1),
                d.path("action_seq_no").asLong(-1), instant(d, "last_checkin"), text(d, "last_checkin_status"),
                text(d, "last_checkin_message"), raw(d, "components"), instant(d, "unenrolled_at"),
                text(d, "audit_unenrolled_reason"), instant(d, "updated_at"));
    }

    // ---- API keys and enrollment keys

    ObjectNode apiKey(ApiKeyRecord k) {
        ObjectNode d = json.createObjectNode();
        d.put("secret_hash", Base64.getEncoder().encodeToString(k.secretHash()));
        d.put("kind", k.kind());
        put(d, "owner_id", k.ownerId());
        d.put("active", k.active());
        put(d, "created_at", k.createdAt());
        put(d, "invalidated_at", k.invalidatedAt());
        return d;
    }

    ApiKeyRecord apiKey(String id, JsonNode d) {
        return new ApiKeyRecord(id, Base64.getDecoder().decode(d.path("secret_hash").asText("")),
                text(d, "kind"), text(d, "owner_id"), d.path("active").asBoolean(), instant(d, "created_at"),
                instant(d, "invalidated_at"));
    }

    ObjectNode enrollmentKey(EnrollmentKey k) {
        ObjectNode d = json.createObjectNode();
        d.put("api_key_id", k.apiKeyId());
        d.put("name", k.name());
        d.put("policy_id", k.policyId());
        d.put("active", k.active());
        put(d, "created_at", k.createdAt());
        put(d, "expire_at", k.expireAt());
        return d;
    }

    EnrollmentKey enrollmentKey(String id, JsonNode d) {
        return new EnrollmentKey(id, text(d, "api_key_id"), text(d, "name"), text(d, "policy_id"),
                d.path("active").asBoolean(), instant(d, "created_at"), instant(d, "expire_at"));
    }

    // ---- policies, actions, results

    ObjectNode policy(String policyId, long revision, String data, Instant at) {
        ObjectNode d = json.createObjectNode();
        d.put("policy_id", policyId);
        d.put("revision_idx", revision);
        d.put("coordinator_idx", 1);
        d.set("data", parse(data));
        put(d, "@timestamp", at);
        return d;
    }

    PolicyRevision policy(JsonNode d, long seqNo) {
        return new PolicyRevision(text(d, "policy_id"), d.path("revision_idx").asLong(), raw(d, "data"),
                seqNo + 1, instant(d, "@timestamp"));
    }

    ObjectNode action(ActionRecord a) {
        ObjectNode d = json.createObjectNode();
        d.put("action_id", a.id());
        d.put("type", a.type());
        ArrayNode agents = d.putArray("agents");
        a.agentIds().forEach(agents::add);
        if (a.data() != null) {
            d.set("data", parse(a.data()));
        }
        put(d, "@timestamp", a.createdAt());
        put(d, "start_time", a.startTime());
        put(d, "expiration", a.expiration());
        return d;
    }

    ActionRecord action(JsonNode d, long seqNo) {
        List<String> agents = new ArrayList<>();
        d.path("agents").forEach(a -> agents.add(a.asText()));
        return new ActionRecord(text(d, "action_id"), seqNo + 1, text(d, "type"), agents, raw(d, "data"),
                instant(d, "@timestamp"), instant(d, "start_time"), instant(d, "expiration"));
    }

    ObjectNode result(ActionResult r) {
        ObjectNode d = json.createObjectNode();
        d.put("action_id", r.actionId());
        d.put("agent_id", r.agentId());
        put(d, "@timestamp", r.createdAt());
        put(d, "error", r.error());
        if (r.data() != null) {
            d.set("data", parse(r.data()));
        }
        return d;
    }

    ActionResult result(JsonNode d) {
        return new ActionResult(text(d, "action_id"), text(d, "agent_id"), instant(d, "@timestamp"),
                text(d, "error"), raw(d, "data"));
    }

    // ---- helpers

    /** JSON text as a node; text that is not JSON is kept as a string. */
    JsonNode parse(String text) {
        if (text == null) {
            return json.nullNode();
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            return json.getNodeFactory().textNode(text);
        }
    }

    private String raw(JsonNode d, String field) {
        JsonNode v = d.get(field);
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        if (v.isTextual()) {
            return v.asText();
        }
        try {
            return json.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void put(ObjectNode d, String field, String value) {
        if (value != null) {
            d.put(field, value);
        }
    }

    private static void put(ObjectNode d, String field, Instant value) {
        if (value != null) {
            d.put(field, value.toString());
        }
    }

    static String text(JsonNode d, String field) {
        JsonNode v = d.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static Instant instant(JsonNode d, String field) {
        String v = text(d, field);
        return v == null ? null : Instant.parse(v);
    }
}
