package dev.flotilla.agent.state;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * Everything the agent keeps between runs, stored encrypted by {@link StateStore}: the enrollment (or the one
 * waiting for the first run), the embedded Fleet Server's settings when the agent bootstraps one, the last
 * policy, the ack token and what the last check-in said. Immutable; the {@code with...} methods copy.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgentState(Enrollment enrollment, PendingEnrollment pending, Map<String, Object> fleetServer,
                         String ackToken, Map<String, Object> policy, long policyRevision, String lastCheckin,
                         String lastCheckinError, String logLevel) {

    public AgentState {
        fleetServer = fleetServer == null ? null : Map.copyOf(fleetServer);
    }

    public static AgentState enrolled(Enrollment enrollment) {
        return new AgentState(enrollment, null, null, null, null, -1, null, null, null);
    }

    public static AgentState pending(PendingEnrollment pending) {
        return new AgentState(null, pending, null, null, null, -1, null, null, null);
    }

    public AgentState withEnrollment(Enrollment e) {
        return new AgentState(e, null, fleetServer, ackToken, policy, policyRevision, lastCheckin, lastCheckinError, logLevel);
    }

    public AgentState withFleetServer(Map<String, Object> settings) {
        return new AgentState(enrollment, pending, settings, ackToken, policy, policyRevision, lastCheckin, lastCheckinError, logLevel);
    }

    public AgentState withAckToken(String token) {
        return new AgentState(enrollment, pending, fleetServer, token, policy, policyRevision, lastCheckin, lastCheckinError, logLevel);
    }

    public AgentState withPolicy(Map<String, Object> newPolicy, long revision) {
        return new AgentState(enrollment, pending, fleetServer, ackToken, newPolicy, revision, lastCheckin, lastCheckinError, logLevel);
    }

    public AgentState withCheckin(String at, String error) {
        return new AgentState(enrollment, pending, fleetServer, ackToken, policy, policyRevision, at, error, logLevel);
    }

    public AgentState withLogLevel(String level) {
        return new AgentState(enrollment, pending, fleetServer, ackToken, policy, policyRevision, lastCheckin, lastCheckinError, level);
    }

    public boolean isEnrolled() {
        return enrollment != null;
    }

    @Override
    public String toString() {
        return "AgentState[" + (enrollment != null ? enrollment : pending) + ", policyRevision=" + policyRevision
                + ", lastCheckin=" + lastCheckin + "]";
    }
}
