package dev.flotilla.agent.fleet;

import java.time.Duration;
import java.util.Map;

/** The body of a check-in, plus how long the agent is willing to wait for the long poll. */
public record CheckinRequest(String status, String message, String ackToken, Map<String, Object> localMetadata,
                             String agentPolicyId, long policyRevisionIdx, Duration pollTimeout) {
}
