package dev.flotilla.server.action;

import dev.flotilla.server.http.Json;
import dev.flotilla.server.store.ActionRecord;
import dev.flotilla.server.store.FleetStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Creates actions for agents: UNENROLL, POLICY_REASSIGN (moves the agent, then tells it), SETTINGS. Waiting
 * check-ins of the targeted agents wake up.
 */
public final class AgentActions {
    private static final Set<String> LOG_LEVELS = Set.of("trace", "debug", "info", "warning", "error");
    private final FleetStore store;
    private final Runnable changed;

    public AgentActions(FleetStore store, Runnable changed) {
        this.store = store;
        this.changed = changed;
    }

    public ActionRecord unenroll(List<String> agentIds) {
        return add("UNENROLL", agentIds, null, null);
    }

    public ActionRecord reassign(String agentId, String policyId) {
        if (store.latestPolicy(policyId).isEmpty()) {
            throw new IllegalArgumentException("policy " + policyId + " does not exist; create it first");
        }
        store.assignPolicy(agentId, policyId, Instant.now());
        return add("POLICY_REASSIGN", List.of(agentId), Json.text(Json.object().put("policy_id", policyId)), null);
    }

    public ActionRecord settings(List<String> agentIds, String logLevel) {
        if (!LOG_LEVELS.contains(logLevel)) {
            throw new IllegalArgumentException("log_level: " + logLevel + " (expected one of " + LOG_LEVELS + ")");
        }
        return add("SETTINGS", agentIds, Json.text(Json.object().put("log_level", logLevel)), null);
    }

    /** Stores any action type (UPGRADE, CANCEL, REQUEST_DIAGNOSTICS, ...) with optional expiry. */
    public ActionRecord add(String type, List<String> agentIds, String dataJson, Duration expiresIn) {
        if (agentIds.isEmpty()) {
            throw new IllegalArgumentException("an action needs at least one agent");
        }
        Instant now = Instant.now();
        ActionRecord stored = store.addAction(new ActionRecord(UUID.randomUUID().toString(), 0, type, agentIds,
                dataJson, now, null, expiresIn == null ? null : now.plus(expiresIn)));
        changed.run();
        return stored;
    }
}
