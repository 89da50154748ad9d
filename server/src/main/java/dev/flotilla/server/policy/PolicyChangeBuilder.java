package dev.flotilla.server.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.flotilla.server.http.Json;
import dev.flotilla.server.http.SharedJson;
import dev.flotilla.server.store.FleetStore;
import dev.flotilla.server.store.PolicyRevision;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Builds the POLICY_CHANGE action an agent receives from its policy's current revision. The action id is
 * {@code policy:<policyId>:<revision>}; it is never stored, and acking it records the revision. Outputs are sent
 * as written (with their {@code ssl} and {@code ca_trusted_fingerprint}); when the policy names no Fleet hosts,
 * the server's {@code fleet.hosts} setting is used. Output credentials sealed in the stored revision
 * ({@link PolicySecrets}) are opened here, for the agent only.
 */
public final class PolicyChangeBuilder {
    public static final String ACTION_PREFIX = "policy:";
    public static final String FLEET_HOSTS_SETTING = "fleet.hosts";

    private final FleetStore store;
    private final UnaryOperator<String> secretOpener;
    /** The latest built revision per policy id. */
    private final ConcurrentHashMap<String, Built> cache = new ConcurrentHashMap<>();

    /** A builder for a server without an output secrets key: sealed credentials cannot be sent. */
    public PolicyChangeBuilder(FleetStore store) {
        this(store, PolicySecrets::noKey);
    }

    /** @param secretOpener decrypts the output credentials sealed in stored policies ({@link PolicySecrets}) */
    public PolicyChangeBuilder(FleetStore store, UnaryOperator<String> secretOpener) {
        this.store = store;
        this.secretOpener = secretOpener;
    }

    public static String actionId(String policyId, long revision) {
        return ACTION_PREFIX + policyId + ":" + revision;
    }

    /**
     * The POLICY_CHANGE for one agent. Its {@code data} (the policy, the same for every agent of that revision)
     * is built and serialised once per revision and spliced in as raw JSON ({@link SharedJson}, so a gzip answer
     * also compresses it once); only the per-agent fields are new. Serialised, it is byte for byte what
     * {@link #buildTree} gives.
     */
    public ObjectNode build(String agentId, PolicyRevision revision) {
        ObjectNode action = header(agentId, revision);
        action.putRawValue("data", new RawValue(data(revision)));
        action.put("input_type", "");
        return action;
    }

    /** The POLICY_CHANGE built from scratch as a plain tree (parses the stored revision every call). */
    ObjectNode buildTree(String agentId, PolicyRevision revision) {
        ObjectNode action = header(agentId, revision);
        action.putObject("data").set("policy", policy(revision, store.setting(FLEET_HOSTS_SETTING).orElse(null)));
        action.put("input_type", "");
        return action;
    }

    private static ObjectNode header(String agentId, PolicyRevision revision) {
        ObjectNode action = Json.object();
        action.put("id", actionId(revision.policyId(), revision.revision()));
        action.put("agent_id", agentId);
        action.put("type", "POLICY_CHANGE");
        action.put("created_at", Json.time(revision.createdAt()));
        return action;
    }

    /** {@code {"policy":{...}}} of this revision, from the cache when it was built for the same revision and hosts. */
    private SharedJson data(PolicyRevision revision) {
        Built built = cache.get(revision.policyId());
        boolean sameRevision = built != null && built.revision == revision.revision()
                && built.createdAt.equals(revision.createdAt()) && sameText(built, revision);
        if (sameRevision && !built.usesHostsSetting) {
            return built.json;
        }
        String hosts = store.setting(FLEET_HOSTS_SETTING).orElse(null);
        if (sameRevision && Objects.equals(hosts, built.hostsSetting)) {
            return built.json;
        }
        ObjectNode data = Json.object();
        ObjectNode policy = policy(revision, hosts);
        data.set("policy", policy);
        boolean usesHosts = !Json.parseStored(revision.data()).path("fleet").has("hosts");
        Built fresh = new Built(revision.revision(), revision.data(), revision.createdAt(), usesHosts, hosts,
                new SharedJson(Json.text(data)));
        cache.merge(revision.policyId(), fresh, (old, neu) -> old.revision > neu.revision ? old : neu);
        return fresh.json;
    }

    /**
     * Whether the cached build is of this revision's stored text. A fan-out asks once per agent with the same
     * revision object, so an identity check answers; a new read of the same text (a few KB compared once) then
     * becomes the cached reference, so the next answers compare identities again.
     */
    private boolean sameText(Built built, PolicyRevision revision) {
        if (built.stored == revision.data()) {
            return true;
        }
        if (!built.stored.equals(revision.data())) {
            return false;
        }
        cache.replace(revision.policyId(), built, built.withStored(revision.data()));
        return true;
    }

    private ObjectNode policy(PolicyRevision revision, String hostsSetting) {
        ObjectNode policy = Json.object();
        policy.put("id", revision.policyId());
        policy.put("revision", revision.revision());
        JsonNode stored = Json.parseStored(revision.data());
        stored.properties().forEach(e -> policy.set(e.getKey(), e.getValue()));
        PolicySecrets.open(policy, secretOpener);
        for (String part : new String[] {"outputs", "agent", "fleet", "output_permissions"}) {
            if (!policy.has(part)) {
                policy.putObject(part);
            }
        }
        if (!policy.has("inputs")) {
            policy.putArray("inputs");
        }
        ObjectNode fleet = (ObjectNode) policy.get("fleet");
        if (!fleet.has("hosts") && hostsSetting != null) {
            fleet.set("hosts", Json.parseStored(hostsSetting));
        }
        return policy;
    }

    /** The serialised data of one policy revision, and the {@code fleet.hosts} setting it was built with. */
    private record Built(long revision, String stored, java.time.Instant createdAt, boolean usesHostsSetting,
                         String hostsSetting, SharedJson json) {
        Built withStored(String sameText) {
            return new Built(revision, sameText, createdAt, usesHostsSetting, hostsSetting, json);
        }
    }

    /** The policy id and revision of a {@code policy:<id>:<revision>} action id, or null when it is not one. */
    public static PolicyAck parseAck(String actionId) {
        if (actionId == null || !actionId.startsWith(ACTION_PREFIX)) {
            return null;
        }
        int last = actionId.lastIndexOf(':');
        if (last <= ACTION_PREFIX.length()) {
            return null;
        }
        try {
            return new PolicyAck(actionId.substring(ACTION_PREFIX.length(), last),
                    Long.parseLong(actionId.substring(last + 1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A POLICY_CHANGE acknowledgement. */
    public record PolicyAck(String policyId, long revision) {
    }
}
