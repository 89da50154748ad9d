package dev.flotilla.server.store;

import java.util.Objects;

/**
 * What the agent-facing hot path needs of an agent (authenticating a check-in or ack, answering a check-in):
 * no reported metadata, components or tags, so the store can read it from a small covering index. Read-only:
 * nothing writes an agent back from it.
 *
 * @param policyRevision the policy revision the agent acknowledged (-1: none yet)
 * @param actionSeqNo    the sequence number of the last stored action the agent acknowledged (-1: none)
 */
public record AgentCore(String id, boolean active, String policyId, String accessApiKeyId, long policyRevision,
                        long actionSeqNo) {

    public AgentCore {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(policyId, "policyId");
    }

    public static AgentCore of(AgentRecord agent) {
        return new AgentCore(agent.id(), agent.active(), agent.policyId(), agent.accessApiKeyId(),
                agent.policyRevision(), agent.actionSeqNo());
    }
}
