package dev.flotilla.server.ack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.auth.Authenticator;
import dev.flotilla.server.http.ApiErrors;
import dev.flotilla.server.http.ApiRequest;
import dev.flotilla.server.http.ApiResponse;
import dev.flotilla.server.http.Handler;
import dev.flotilla.server.http.Json;
import dev.flotilla.server.policy.PolicyChangeBuilder;
import dev.flotilla.server.store.ActionRecord;
import dev.flotilla.server.store.ActionResult;
import dev.flotilla.server.store.AgentCore;
import dev.flotilla.server.store.FleetStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/fleet/agents/{id}/acks}: one item per event, in order. A {@code policy:<id>:<rev>} ack raises
 * the agent's policy revision; an UNENROLL ack deactivates the agent and invalidates its key; every stored action
 * gets a result. The HTTP status is the highest item status.
 */
public final class AckHandler implements Handler {
    private static final Logger LOG = LoggerFactory.getLogger(AckHandler.class);
    private final FleetStore store;
    private final Authenticator auth;

    public AckHandler(FleetStore store, Authenticator auth) {
        this.store = store;
        this.auth = auth;
    }

    @Override
    public CompletionStage<ApiResponse> handle(ApiRequest request) {
        String agentId = request.pathParam("id");
        AgentCore agent = auth.agent(request, agentId);
        JsonNode events = request.json().get("events");
        if (events == null || !events.isArray()) {
            throw new ApiErrors.BadRequest("the ack body needs an 'events' array");
        }
        Instant now = Instant.now();
        List<Item> items = new ArrayList<>();
        List<ActionResult> results = new ArrayList<>();
        List<PolicyChangeBuilder.PolicyAck> policyAcks = new ArrayList<>();
        long maxSeq = -1;
        boolean unenrolled = false;
        for (JsonNode event : events) {
            String actionId = event.path("action_id").asText("");
            if (actionId.isEmpty()) {
                items.add(new Item(400, "event has no action_id"));
                continue;
            }
            PolicyChangeBuilder.PolicyAck policyAck = PolicyChangeBuilder.parseAck(actionId);
            if (policyAck != null) {
                policyAcks.add(policyAck);
                LOG.debug("agent.id={} acked policy.id={} revision {}", agentId, policyAck.policyId(),
                        policyAck.revision());
                items.add(new Item(200, "OK"));
                continue;
            }
            Optional<ActionRecord> action = store.findAction(actionId).filter(a -> a.agentIds().contains(agentId));
            if (action.isEmpty()) {
                items.add(new Item(404, "action " + actionId + " not found for this agent"));
                continue;
            }
            String error = event.hasNonNull("error") ? event.get("error").asText() : null;
            results.add(new ActionResult(actionId, agentId, now, error,
                    event.has("data") ? Json.text(event.get("data")) : null));
            maxSeq = Math.max(maxSeq, action.get().seq());
            unenrolled |= "UNENROLL".equals(action.get().type()) && (error == null || error.isEmpty());
            items.add(new Item(200, "OK"));
        }
        if (unenrolled) {
            // rare: written in order, each committed before the next
            policyAcks.forEach(p -> store.recordPolicyAck(agentId, p.policyId(), p.revision(), now));
            store.addActionResults(results);
            store.recordActionSeqNo(agentId, maxSeq, now);
            store.deactivateAgent(agent.id(), true, now);
            LOG.info("agent unenrolled: agent.id={}", agentId);
            return CompletableFuture.completedFuture(response(items));
        }
        // Queued in order and answered once all are committed, without holding a worker thread meanwhile.
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        policyAcks.forEach(p -> writes.add(store.recordPolicyAckAsync(agentId, p.policyId(), p.revision(), now)
                .toCompletableFuture()));
        writes.add(store.addActionResultsAsync(results).toCompletableFuture());
        if (maxSeq >= 0) {
            writes.add(store.recordActionSeqNoAsync(agentId, maxSeq, now).toCompletableFuture());
        }
        ApiResponse answer = response(items);
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).thenApply(done -> answer);
    }

    private static ApiResponse response(List<Item> items) {
        int status = 200;
        boolean errors = false;
        ObjectNode out = Json.object();
        out.put("action", "acks");
        ArrayNode list = Json.array();
        for (Item i : items) {
            status = Math.max(status, i.status);
            errors |= i.status != 200;
            list.addObject().put("status", i.status).put("message", i.message);
        }
        out.put("errors", errors);
        out.set("items", list);
        return ApiResponse.json(status, out);
    }

    private record Item(int status, String message) {
    }
}
