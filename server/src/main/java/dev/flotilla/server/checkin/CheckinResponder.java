package dev.flotilla.server.checkin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.action.ActionJson;
import dev.flotilla.server.http.Json;
import dev.flotilla.server.policy.PolicyChangeBuilder;
import dev.flotilla.server.store.ActionRecord;
import dev.flotilla.server.store.AgentCore;
import dev.flotilla.server.store.FleetStore;
import dev.flotilla.server.store.PolicyRevision;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a check-in answers: the agent's pending stored actions (after its ack token and its acknowledged
 * sequence number), then a POLICY_CHANGE when its policy has a revision newer than the one it runs.
 */
final class CheckinResponder {
    private final FleetStore store;
    private final PolicyChangeBuilder policyChanges;
    private final LatestPolicies latestPolicies;

    CheckinResponder(FleetStore store, PolicyChangeBuilder policyChanges, LatestPolicies latestPolicies) {
        this.store = store;
        this.latestPolicies = latestPolicies;
        this.policyChanges = policyChanges;
    }

    /** The check-in answer, read fresh from the store; {@code actions} is empty when there is nothing new. */
    ObjectNode answer(String agentId, CheckinRequest request) {
        return answer(agentId, store.findAgentCore(agentId), request);
    }

    /**
     * The answer for an agent the caller has just read in this request (its authentication), saving a second
     * read of the same row; the actions and the policy are read fresh.
     */
    ObjectNode answer(AgentCore justRead, CheckinRequest request) {
        return answer(justRead.id(), Optional.of(justRead), request);
    }

    private ObjectNode answer(String agentId, Optional<AgentCore> found, CheckinRequest request) {
        String ackToken = request.ackToken() == null ? "" : request.ackToken();
        ObjectNode out = emptyAnswer(ackToken);
        if (found.isEmpty() || !found.get().active()) {
            return out;
        }
        ArrayNode actions = (ArrayNode) out.get("actions");
        AgentCore agent = found.get();
        long afterSeq = agent.actionSeqNo();
        if (request.ackToken() != null && !request.ackToken().isEmpty()) {
            afterSeq = Math.max(afterSeq, store.findAction(request.ackToken()).map(ActionRecord::seq).orElse(-1L));
        }
        List<ActionRecord> pending = store.pendingActions(agentId, afterSeq, Instant.now());
        for (ActionRecord a : pending) {
            actions.add(ActionJson.forAgent(a, agentId));
        }
        if (!pending.isEmpty()) {
            ackToken = pending.get(pending.size() - 1).id();
        }
        newerPolicy(agent, request).ifPresent(rev -> actions.add(policyChanges.build(agentId, rev)));
        out.put("ack_token", ackToken);
        return out;
    }

    /**
     * The answer to a check-in woken by a new revision of its policy, with one small read (the agent's core
     * fields: still active, on which policy, which revision it acknowledged) instead of the three of a full
     * answer. Stored actions are not looked at: one written while the check-in waited woke it with
     * {@link LongPollHub.Wake#ACTION} instead, and the agent checks in again right after this answer, which reads
     * them. When there is no newer policy to hand over, or the agent is gone or inactive, it is the full answer
     * from that same read.
     */
    ObjectNode policyAnswer(String agentId, CheckinRequest request) {
        return policyAnswer(agentId, null, request);
    }

    /** As above with the agent already read ({@code prefetched}: empty when it is gone; null: not read yet). */
    ObjectNode policyAnswer(String agentId, Optional<AgentCore> prefetched, CheckinRequest request) {
        Optional<AgentCore> found = prefetched != null ? prefetched : store.findAgentCore(agentId);
        Optional<PolicyRevision> newer = found.filter(AgentCore::active).flatMap(agent -> newerPolicy(agent, request));
        if (newer.isEmpty()) {
            return answer(agentId, found, request);
        }
        ObjectNode out = emptyAnswer(request.ackToken() == null ? "" : request.ackToken());
        ((ArrayNode) out.get("actions")).add(policyChanges.build(agentId, newer.get()));
        return out;
    }

    /** {@code {"action":"checkin","actions":[],"ack_token":...}}, its fields in the order agents receive them. */
    private static ObjectNode emptyAnswer(String ackToken) {
        ObjectNode out = Json.object();
        out.put("action", "checkin");
        out.putArray("actions");
        out.put("ack_token", ackToken);
        return out;
    }

    private Optional<PolicyRevision> newerPolicy(AgentCore agent, CheckinRequest request) {
        long known = agent.policyRevision();
        if (agent.policyId().equals(request.agentPolicyId()) && request.policyRevisionIdx() != null) {
            known = Math.max(known, request.policyRevisionIdx());
        }
        long runs = known;
        return latestPolicies.latest(agent.policyId()).filter(rev -> rev.revision() > runs);
    }
}
