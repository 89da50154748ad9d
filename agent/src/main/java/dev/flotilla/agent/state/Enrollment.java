package dev.flotilla.agent.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.flotilla.agent.fleet.FleetConnection;

import java.util.List;
import java.util.Objects;

/** What an enrollment yields: the agent's identity, its access key and how it reaches Fleet Server. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Enrollment(String agentId, String accessApiKeyId, String accessApiKey, String policyId,
                         FleetConnection connection, List<String> tags, String enrolledAt) {

    public Enrollment {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(accessApiKey, "accessApiKey");
        Objects.requireNonNull(connection, "connection");
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    public Enrollment withConnection(FleetConnection newConnection) {
        return new Enrollment(agentId, accessApiKeyId, accessApiKey, policyId, newConnection, tags, enrolledAt);
    }

    @Override
    public String toString() {
        return "Enrollment[agentId=" + agentId + ", policyId=" + policyId + ", hosts=" + connection.hosts()
                + ", accessApiKey=<redacted>]";
    }
}
