package dev.flotilla.server.enroll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.auth.ApiKeys;
import dev.flotilla.server.auth.Authenticator;
import dev.flotilla.server.auth.ReplaceTokens;
import dev.flotilla.server.http.ApiErrors;
import dev.flotilla.server.http.ApiRequest;
import dev.flotilla.server.http.ApiResponse;
import dev.flotilla.server.http.Handler;
import dev.flotilla.server.http.Json;
import dev.flotilla.server.store.AgentRecord;
import dev.flotilla.server.store.ApiKeyRecord;
import dev.flotilla.server.store.EnrollmentKey;
import dev.flotilla.server.store.FleetStore;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/fleet/agents/enroll}: an active enrollment token names the policy; the agent gets an id, an
 * access API key, and a durable record (answered only after the store committed it). An existing id may be
 * re-enrolled only with its replace token and the same policy.
 */
public final class EnrollHandler implements Handler {
    private static final Logger LOG = LoggerFactory.getLogger(EnrollHandler.class);
    private final FleetStore store;
    private final Authenticator auth;

    public EnrollHandler(FleetStore store, Authenticator auth) {
        this.store = store;
        this.auth = auth;
    }

    @Override
    public CompletionStage<ApiResponse> handle(ApiRequest request) {
        Instant now = Instant.now();
        EnrollmentKey token = enrollmentToken(request, now);
        EnrollRequest body = EnrollRequest.parse(request.json());
        String agentId = body.id() != null ? body.id() : UUID.randomUUID().toString();
        String replaceHash = checkReplacement(agentId, body, token);
        setAgentId(body.localMetadata(), agentId);
        ApiKeys.Issued key = ApiKeys.issue(ApiKeyRecord.AGENT, agentId, now);
        AgentRecord agent = AgentRecord.builder(agentId, token.policyId())
                .type(body.type())
                .enrolledAt(now)
                .updatedAt(now)
                .accessApiKeyId(key.record().id())
                .replaceTokenHash(replaceHash)
                .enrollmentId(body.enrollmentId())
                .localMetadata(Json.text(body.localMetadata()))
                .tags(body.tags())
                .build();
        // Answered once the enrollment is committed, without holding a worker thread during the commit.
        return store.enrollAgentAsync(agent, key.record()).thenApply(done -> {
            LOG.info("agent enrolled: agent.id={} policy.id={} enrollment_key.id={}", agentId, token.policyId(),
                    token.id());
            return ApiResponse.json(200, response(agent, body, key.token()));
        });
    }

    private EnrollmentKey enrollmentToken(ApiRequest request, Instant now) {
        ApiKeyRecord key = auth.key(request, ApiKeyRecord.ENROLLMENT);
        return store.findEnrollmentKeyByApiKeyId(key.id())
                .filter(k -> k.usableAt(now))
                .orElseThrow(() -> new ApiErrors.ApiKeyNotEnabled("ApiKey not enabled"));
    }

    /** The replace-token hash for the new record; refuses to replace an agent without the right token. */
    private String checkReplacement(String agentId, EnrollRequest body, EnrollmentKey token) {
        Optional<AgentRecord> existing = store.findAgent(agentId);
        if (existing.isPresent()) {
            AgentRecord old = existing.get();
            if (!ReplaceTokens.matches(old.replaceTokenHash(), body.replaceToken())) {
                throw new ApiErrors.AgentNotReplaceable("agent " + agentId + " is already enrolled; re-enrolling it"
                        + " needs its replace_token");
            }
            if (!old.policyId().equals(token.policyId())) {
                throw new ApiErrors.AgentNotReplaceable("agent " + agentId + " is enrolled in policy "
                        + old.policyId() + "; the enrollment token is for " + token.policyId());
            }
            return old.replaceTokenHash();
        }
        if (body.enrollmentId() != null) {
            store.findAgentByEnrollmentId(body.enrollmentId()).filter(a -> a.lastCheckin() == null)
                    .ifPresent(stale -> store.deactivateAgent(stale.id(), true, Instant.now()));
        }
        return body.replaceToken() == null ? null : ReplaceTokens.hash(body.replaceToken());
    }

    private static void setAgentId(ObjectNode local, String agentId) {
        JsonNode elastic = local.get("elastic");
        if (elastic != null && elastic.isObject() && elastic.get("agent") instanceof ObjectNode agent) {
            agent.put("id", agentId);
        }
    }

    private static ObjectNode response(AgentRecord agent, EnrollRequest body, String token) {
        ObjectNode out = Json.object();
        out.put("action", "created");
        ObjectNode item = out.putObject("item");
        item.put("id", agent.id());
        item.put("active", true);
        item.put("policy_id", agent.policyId());
        item.put("type", agent.type());
        item.put("enrolled_at", Json.time(agent.enrolledAt()));
        item.set("user_provided_metadata", body.userProvided());
        item.set("local_metadata", body.localMetadata());
        item.put("access_api_key_id", agent.accessApiKeyId());
        item.put("access_api_key", token);
        item.put("status", "online");
        var tags = item.putArray("tags");
        agent.tags().forEach(tags::add);
        item.putArray("actions");
        return out;
    }
}
