package dev.flotilla.server.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.http.Json;
import dev.flotilla.server.store.AgentRecord;
import dev.flotilla.server.store.FleetStore;
import dev.flotilla.server.store.PolicyRevision;
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

    public ObjectNode build(AgentRecord agent, PolicyRevision revision) {
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
        if (!fleet.has("hosts")) {
            store.setting(FLEET_HOSTS_SETTING).ifPresent(hosts -> fleet.set("hosts", Json.parseStored(hosts)));
        }
        ObjectNode action = Json.object();
        action.put("id", actionId(revision.policyId(), revision.revision()));
        action.put("agent_id", agent.id());
        action.put("type", "POLICY_CHANGE");
        action.put("created_at", Json.time(revision.createdAt()));
        action.putObject("data").set("policy", policy);
        action.put("input_type", "");
        return action;
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
