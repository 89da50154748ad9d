package dev.flotilla.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.action.AgentActions;
import dev.flotilla.server.http.ApiRequest;
import dev.flotilla.server.http.ApiResponse;
import dev.flotilla.server.http.Json;
import dev.flotilla.server.store.ActionRecord;
import dev.flotilla.server.store.AgentRecord;
import dev.flotilla.server.store.PolicyRevision;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code /api/fleet/agents}: the agent list with computed status (filter by policy, status and tag; paged), one
 * agent, and the actions on it: unenroll (or revoke at once), reassign to another policy, set its log level.
 */
final class AgentsApi {
    private final ManagementState state;
    private final AgentActions actions;
    private final Duration offlineAfter;

    AgentsApi(ManagementState state, AgentActions actions, Duration offlineAfter) {
        this.state = state;
        this.actions = actions;
        this.offlineAfter = offlineAfter;
    }

    ApiResponse list(ApiRequest request) {
        var q = Paging.query(request.uri());
        AgentQuery query = AgentQuery.of(q);
        String policy = query.policyId();
        Set<AgentStatus> statuses = query.statuses().stream().map(s -> AgentStatus.parse(s, "status"))
                .collect(Collectors.toSet());
        Set<String> tags = Set.copyOf(query.tags());
        boolean showInactive = Boolean.parseBoolean(Paging.param(q, "showInactive"))
                || statuses.contains(AgentStatus.UNENROLLED);
        int page = Paging.number(q, "page", 1, 1, 1_000_000);
        int perPage = Paging.number(q, "perPage", 20, 1, 10_000);
        Instant now = Instant.now();
        Map<String, Long> revisions = revisions();
        Map<AgentStatus, Integer> summary = new EnumMap<>(AgentStatus.class);
        List<ObjectNode> matching = state.store.listAgents().stream()
                .filter(a -> policy == null || a.policyId().equals(policy))
                .filter(a -> tags.isEmpty() || a.tags().stream().anyMatch(tags::contains))
                .sorted(Comparator.comparing(AgentRecord::enrolledAt, Comparator.nullsLast(Comparator.reverseOrder())))
                .map(a -> {
                    AgentStatus s = status(a, revisions, now);
                    summary.merge(s, 1, Integer::sum);
                    return Map.entry(s, a);
                })
                .filter(e -> statuses.isEmpty() ? showInactive || e.getKey() != AgentStatus.UNENROLLED
                        : statuses.contains(e.getKey()))
                .map(e -> view(e.getValue(), e.getKey()))
                .toList();
        ObjectNode out = Paging.page(matching, page, perPage);
        ObjectNode counts = out.putObject("statusSummary");
        for (AgentStatus s : AgentStatus.values()) {
            counts.put(s.label(), summary.getOrDefault(s, 0));
        }
        return ApiResponse.json(200, out);
    }

    ApiResponse get(ApiRequest request) {
        AgentRecord a = find(request.pathParam("id"));
        return ApiResponse.json(200, Paging.item(view(a, status(a, revisions(), Instant.now()))));
    }

    ApiResponse unenroll(ApiRequest request) {
        AgentRecord a = find(request.pathParam("id"));
        boolean revoke = request.body().length > 0 && request.json().path("revoke").asBoolean(false);
        if (!a.active()) {
            throw ManagementError.conflict("id", "agent " + a.id() + " is already unenrolled");
        }
        if (revoke) {
            state.store.deactivateAgent(a.id(), true, Instant.now());
            return ApiResponse.json(200, Json.object().put("id", a.id()).put("revoked", true));
        }
        ActionRecord action = actions.unenroll(List.of(a.id()));
        return ApiResponse.json(200, Json.object().put("id", a.id()).put("actionId", action.id()));
    }

    ApiResponse reassign(ApiRequest request) {
        AgentRecord a = find(request.pathParam("id"));
        String policyId = OutputRules.text(request.json(), "policy_id");
        if (policyId == null || state.policyDefinition(policyId).isEmpty()
                || state.store.latestPolicy(policyId).isEmpty()) {
            throw ManagementError.invalid("policy_id", "no agent policy with id " + policyId);
        }
        if (!a.active()) {
            throw ManagementError.conflict("id", "agent " + a.id() + " is unenrolled; enroll it again instead");
        }
        ActionRecord action = actions.reassign(a.id(), policyId);
        return ApiResponse.json(200, Json.object().put("id", a.id()).put("policy_id", policyId)
                .put("actionId", action.id()));
    }

    /** Kibana's {@code POST /agents/{id}/actions}; here the SETTINGS action ({@code data.log_level}). */
    ApiResponse action(ApiRequest request) {
        AgentRecord a = find(request.pathParam("id"));
        JsonNode action = request.json().path("action");
        String type = action.path("type").asText("");
        if (!type.equals("SETTINGS")) {
            throw ManagementError.invalid("action.type", "'" + type + "' is not supported here; use SETTINGS"
                    + " (log level), or the unenroll and reassign endpoints");
        }
        String level = action.path("data").path("log_level").asText("");
        try {
            ActionRecord stored = actions.settings(List.of(a.id()), level);
            return ApiResponse.json(200, Paging.item(Json.object().put("id", stored.id()).put("type", type)));
        } catch (IllegalArgumentException e) {
            throw ManagementError.invalid("action.data.log_level", "'" + level + "' is not one of trace, debug,"
                    + " info, warning, error");
        }
    }

    private AgentRecord find(String id) {
        return state.store.findAgent(id).orElseThrow(() -> ManagementError.notFound("no agent with id " + id
                + "; 'flotilla fleet agents list --show-inactive' shows the ids"));
    }

    private Map<String, Long> revisions() {
        Map<String, Long> out = new HashMap<>();
        for (PolicyRevision r : state.store.listPolicies()) {
            out.put(r.policyId(), r.revision());
        }
        return out;
    }

    private AgentStatus status(AgentRecord a, Map<String, Long> revisions, Instant now) {
        return AgentStatus.of(a, revisions.getOrDefault(a.policyId(), 0L), now, offlineAfter);
    }

    private static ObjectNode view(AgentRecord a, AgentStatus status) {
        ObjectNode v = Json.object();
        v.put("id", a.id());
        v.put("active", a.active());
        v.put("status", status.label());
        v.put("policy_id", a.policyId());
        if (a.policyRevision() >= 0) {
            v.put("policy_revision", a.policyRevision());
        } else {
            v.putNull("policy_revision");
        }
        v.put("type", a.type());
        v.put("enrolled_at", Json.time(a.enrolledAt()));
        v.put("last_checkin", Json.time(a.lastCheckin()));
        v.put("last_checkin_status", a.lastCheckinStatus());
        v.put("last_checkin_message", a.lastCheckinMessage());
        if (a.unenrolledAt() != null) {
            v.put("unenrolled_at", Json.time(a.unenrolledAt()));
        }
        var tags = v.putArray("tags");
        a.tags().forEach(tags::add);
        JsonNode local = Json.parseStored(a.localMetadata());
        v.set("local_metadata", local);
        JsonNode host = local.path("host").path("hostname");
        if (host.isTextual()) {
            v.put("hostname", host.asText());
        }
        return v;
    }
}
