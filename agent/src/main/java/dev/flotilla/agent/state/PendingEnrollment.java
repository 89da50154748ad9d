package dev.flotilla.agent.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.flotilla.agent.fleet.FleetConnection;

import java.util.List;
import java.util.Objects;

/** An enrollment asked for with {@code --delay-enroll}: kept (encrypted) until the agent first runs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PendingEnrollment(FleetConnection connection, String enrollmentToken, String agentId,
                                String replaceToken, List<String> tags) {

    public PendingEnrollment {
        Objects.requireNonNull(connection, "connection");
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    @Override
    public String toString() {
        return "PendingEnrollment[hosts=" + connection.hosts() + ", agentId=" + agentId + ", token=<redacted>]";
    }
}
