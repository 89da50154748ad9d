package dev.flotilla.server.auth;

import dev.flotilla.server.http.ApiErrors;
import dev.flotilla.server.http.ApiRequest;
import dev.flotilla.server.store.AgentCore;
import dev.flotilla.server.store.ApiKeyRecord;
import dev.flotilla.server.store.FleetStore;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.Optional;

/**
 * Checks API keys against the store. For agent calls, in the reference's order: the key is valid (401), the
 * agent exists (404), the key is that agent's (403), the agent is active (401 ErrAgentInactive).
 */
public final class Authenticator {
    private final FleetStore store;
    private final AgentKeyCache agentKeys;

    public Authenticator(FleetStore store) {
        this(store, AgentKeyCache.fromSystemProperty());
    }

    Authenticator(FleetStore store, AgentKeyCache agentKeys) {
        this.store = store;
        this.agentKeys = agentKeys;
    }

    /** The valid, active key of the request, of the given kind. */
    public ApiKeyRecord key(ApiRequest request, String kind) {
        ApiKeyCredentials credentials = credentials(request);
        // The secret is hashed before the lookup, so unknown ids take as long as wrong secrets.
        return verify(credentials, ApiKeys.hash(credentials.secret()), kind);
    }

    private static ApiKeyCredentials credentials(ApiRequest request) {
        return ApiKeyCredentials.fromHeaders(request.headers().getAll(HttpHeaderNames.AUTHORIZATION));
    }

    private ApiKeyRecord verify(ApiKeyCredentials credentials, byte[] presented, String kind) {
        Optional<ApiKeyRecord> key = store.findApiKey(credentials.id());
        boolean secretOk = key.isPresent() && ApiKeys.matchesHash(key.get(), presented);
        if (!secretOk || !key.get().active() || !key.get().kind().equals(kind)) {
            throw new ApiErrors.ApiKeyNotEnabled("ApiKey not enabled");
        }
        return key.get();
    }

    /** A valid key of any kind, or empty when the request has no Authorization header (status endpoint). */
    public Optional<ApiKeyRecord> optionalKey(ApiRequest request) {
        if (!request.headers().contains(HttpHeaderNames.AUTHORIZATION)) {
            return Optional.empty();
        }
        try {
            ApiKeyCredentials credentials = ApiKeyCredentials.fromHeaders(
                    request.headers().getAll(HttpHeaderNames.AUTHORIZATION));
            return store.findApiKey(credentials.id())
                    .filter(k -> k.active() && ApiKeys.matches(k, credentials.secret()));
        } catch (ApiErrors.MissingApiKey e) {
            return Optional.empty();
        }
    }

    /** The agent named in the path, authenticated by its access key. */
    public AgentCore agent(ApiRequest request, String agentId) {
        ApiKeyCredentials credentials = credentials(request);
        byte[] presented = ApiKeys.hash(credentials.secret());
        String keyId = credentials.id();
        if (!agentKeys.matches(keyId, presented)) {
            keyId = verify(credentials, presented, ApiKeyRecord.AGENT).id();
            agentKeys.remember(keyId, presented);
        }
        AgentCore agent = store.findAgentCore(agentId)
                .orElseThrow(() -> new ApiErrors.AgentNotFound("agent could not be found"));
        if (!keyId.equals(agent.accessApiKeyId())) {
            throw new ApiErrors.AgentIdentity("Agent header contains wrong identifier");
        }
        if (!agent.active()) {
            throw new ApiErrors.AgentInactive("agent " + agentId + " is inactive (unenrolled); enroll it again");
        }
        return agent;
    }
}
