package dev.flotilla.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.enroll.EnrollmentTokens;
import dev.flotilla.server.http.ApiRequest;
import dev.flotilla.server.http.ApiResponse;
import dev.flotilla.server.http.Json;
import dev.flotilla.server.store.EnrollmentKey;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/fleet/enrollment_api_keys}: tokens bound to a policy, with an optional expiry. The token is in the
 * create response only; the store keeps its SHA-256. DELETE revokes: the token can no longer enroll.
 */
final class EnrollmentKeysApi {
    private static final Logger LOG = LoggerFactory.getLogger(EnrollmentKeysApi.class);
    private final ManagementState state;
    private final EnrollmentTokens tokens;

    EnrollmentKeysApi(ManagementState state, EnrollmentTokens tokens) {
        this.state = state;
        this.tokens = tokens;
    }

    ApiResponse list(ApiRequest request) {
        var q = Paging.query(request.uri());
        String policy = Paging.param(q, "policy_id");
        Instant now = Instant.now();
        List<ObjectNode> all = state.store.listEnrollmentKeys().stream()
                .filter(k -> policy == null || k.policyId().equals(policy))
                .sorted(Comparator.comparing(EnrollmentKey::createdAt, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .reversed())
                .map(k -> view(k, now)).toList();
        return ApiResponse.json(200, Paging.page(all, Paging.number(q, "page", 1, 1, 100_000),
                Paging.number(q, "perPage", 100, 1, 10_000)));
    }

    ApiResponse get(ApiRequest request) {
        return ApiResponse.json(200, Paging.item(view(find(request.pathParam("id")), Instant.now())));
    }

    ApiResponse create(ApiRequest request) {
        JsonNode body = request.json();
        String policyId = OutputRules.text(body, "policy_id");
        if (policyId == null || policyId.isBlank()) {
            throw ManagementError.invalid("policy_id", "name the agent policy the token enrolls into");
        }
        if (state.policyDefinition(policyId).isEmpty() || state.store.latestPolicy(policyId).isEmpty()) {
            throw ManagementError.invalid("policy_id", "no agent policy with id " + policyId
                    + "; 'flotilla fleet policies list' shows the ids");
        }
        Instant now = Instant.now();
        Instant expireAt = expiry(OutputRules.text(body, "expiration"), now);
        String name = OutputRules.text(body, "name");
        EnrollmentTokens.Created created = tokens.create(name == null || name.isBlank() ? "Default" : name, policyId,
                expireAt == null ? null : Duration.between(now, expireAt));
        EnrollmentKey record = created.key();
        LOG.info("enrollment token created through the management API: enrollment_key.id={} expire_at={}",
                record.id(), record.expireAt());
        ObjectNode item = view(record, now);
        item.put("api_key", created.token());
        return ApiResponse.json(200, Json.object().put("action", "created").set("item", item));
    }

    ApiResponse revoke(ApiRequest request) {
        String id = request.pathParam("id");
        find(id);
        tokens.revoke(id);
        return ApiResponse.json(200, Json.object().put("action", "deleted").put("id", id));
    }

    private EnrollmentKey find(String id) {
        return state.store.findEnrollmentKey(id).orElseThrow(() -> ManagementError.notFound(
                "no enrollment token with id " + id + "; 'flotilla fleet tokens list' shows the ids"));
    }

    private static ObjectNode view(EnrollmentKey k, Instant now) {
        ObjectNode v = Json.object();
        v.put("id", k.id());
        v.put("api_key_id", k.apiKeyId());
        v.put("name", k.name());
        v.put("policy_id", k.policyId());
        v.put("active", k.usableAt(now));
        v.put("revoked", !k.active());
        v.put("created_at", Json.time(k.createdAt()));
        if (k.expireAt() != null) {
            v.put("expire_at", Json.time(k.expireAt()));
        }
        return v;
    }

    /** "30m", "12h", "7d", an ISO-8601 duration ("PT1H") or an RFC 3339 time; null for none. */
    static Instant expiry(String text, Instant now) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.trim();
        Instant at;
        try {
            if (t.matches("\\d+[smhd]")) {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                at = now.plus(switch (t.charAt(t.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                });
            } else if (t.startsWith("P") || t.startsWith("p")) {
                at = now.plus(Duration.parse(t));
            } else {
                at = Instant.parse(t);
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            throw ManagementError.invalid("expiration", "'" + text + "' is not a duration (30m, 12h, 7d, PT1H) or"
                    + " a time (2030-01-01T00:00:00Z)");
        }
        if (!at.isAfter(now)) {
            throw ManagementError.invalid("expiration", "'" + text + "' is not in the future");
        }
        return at;
    }
}
