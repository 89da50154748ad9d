package dev.flotilla.agent.fleet;

import java.util.List;

/** The agent-facing Fleet Server API: enroll, long-poll check-in, acks. */
public interface FleetApi extends AutoCloseable {

    EnrollResponse enroll(String enrollmentToken, EnrollRequest request);

    CheckinResponse checkin(String agentId, String accessApiKey, CheckinRequest request);

    /** Sends the results; throws when Fleet Server refuses any of them. */
    void ack(String agentId, String accessApiKey, List<AckEvent> events);

    /** The Fleet Server URL this client talks to. */
    String url();

    @Override
    void close();
}
