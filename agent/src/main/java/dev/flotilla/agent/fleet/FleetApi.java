package dev.flotilla.agent.fleet;

import java.util.List;

/** The agent-facing Fleet Server API: enroll, long-poll check-in, acks. */
public interface FleetApi extends AutoCloseable {

    EnrollResponse enroll(String enrollmentToken, EnrollRequest request);

    CheckinResponse checkin(String agentId, String accessApiKey, CheckinRequest request);

    /** Sends the results; throws when Fleet Server refuses any of them. */
    void ack(String agentId, String accessApiKey, List<AckEvent> events);

    /** Tells Fleet Server the agent is going away ({@code reason}: uninstall, orphaned, key_revoked, migrated). */
    void auditUnenroll(String agentId, String accessApiKey, String reason);

    /** The Fleet Server URL this client talks to. */
    String url();

    @Override
    void close();
}
