package dev.flotilla.agent.checkin;

import java.util.Map;

/** What the check-in loop asks of the rest of the agent when actions arrive. */
public interface AgentHooks {

    /** Applies a new policy (outputs, inputs, monitoring); throws to have the POLICY_CHANGE acked with an error. */
    void policyChanged(Map<String, Object> policy);

    /** Sets the log level named by a SETTINGS action ({@code error|warning|info|debug|trace}). */
    void logLevelChanged(String level);

    /** The agent was unenrolled; its credentials are already erased. */
    void unenrolled();

    /** The status the agent reports on check-in: {@code online}, {@code degraded} or {@code error}, and a message. */
    default String[] health() {
        return new String[] {"online", "Running"};
    }
}
