package dev.flotilla.agent.enroll;

import dev.flotilla.agent.fleet.EnrollRequest;
import dev.flotilla.agent.fleet.EnrollResponse;
import dev.flotilla.agent.fleet.FleetApi;
import dev.flotilla.agent.fleet.FleetClient;
import dev.flotilla.agent.state.Enrollment;
import dev.flotilla.agent.state.PendingEnrollment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.function.Function;

/** Enrolls the agent with Fleet Server: one request with the enrollment token, giving the agent's identity. */
public final class Enroller {
    private static final Logger LOG = LoggerFactory.getLogger(Enroller.class);
    private final Function<dev.flotilla.agent.fleet.FleetConnection, FleetApi> clients;

    public Enroller() {
        this(FleetClient::connect);
    }

    public Enroller(Function<dev.flotilla.agent.fleet.FleetConnection, FleetApi> clients) {
        this.clients = clients;
    }

    public Enrollment enroll(PendingEnrollment p) {
        if (p.enrollmentToken() == null || p.enrollmentToken().isBlank()) {
            throw new dev.flotilla.agent.AgentException("no enrollment token: pass --enrollment-token=<token>"
                    + " (create one in Fleet, e.g. `flotilla fleet tokens create --policy=ID`)");
        }
        try (FleetApi api = clients.apply(p.connection())) {
            EnrollResponse r = api.enroll(p.enrollmentToken(),
                    new EnrollRequest(p.agentId(), p.replaceToken(), p.tags(), LocalMetadata.collect(p.agentId(), null)));
            LOG.info("enrolled: agent.id={} policy.id={} fleet={}", r.agentId(), r.policyId(), api.url());
            return new Enrollment(r.agentId(), r.accessApiKeyId(), r.accessApiKey(), r.policyId(), p.connection(),
                    r.tags(), r.enrolledAt() != null ? r.enrolledAt() : Instant.now().toString());
        }
    }
}
