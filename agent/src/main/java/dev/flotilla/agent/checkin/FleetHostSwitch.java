package dev.flotilla.agent.checkin;

import dev.flotilla.agent.fleet.CheckinRequest;
import dev.flotilla.agent.fleet.FleetApi;
import dev.flotilla.agent.fleet.FleetConnection;
import dev.flotilla.agent.state.Enrollment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A policy's {@code fleet.hosts} (and {@code fleet.ssl}) replace the agent's Fleet Server connection only after a
 * check-in through the new connection succeeded; otherwise the agent keeps the connection that works.
 */
final class FleetHostSwitch {
    private static final Logger LOG = LoggerFactory.getLogger(FleetHostSwitch.class);
    private final Function<FleetConnection, FleetApi> clients;

    FleetHostSwitch(Function<FleetConnection, FleetApi> clients) {
        this.clients = clients;
    }

    /** The connection the policy asks for when it differs from the current one. */
    static Optional<FleetConnection> proposed(Map<String, Object> policy, FleetConnection current) {
        if (!(policy.get("fleet") instanceof Map<?, ?> fleet)) {
            return Optional.empty();
        }
        List<String> hosts = new ArrayList<>();
        if (fleet.get("hosts") instanceof List<?> list) {
            list.forEach(h -> hosts.add(String.valueOf(h)));
        }
        Map<String, Object> ssl = new LinkedHashMap<>(current.ssl());
        if (fleet.get("ssl") instanceof Map<?, ?> policySsl) {
            policySsl.forEach((k, v) -> ssl.put(String.valueOf(k), v));
        }
        FleetConnection next = new FleetConnection(hosts.isEmpty() ? current.hosts() : hosts, ssl,
                current.proxyUrl(), current.proxyDisabled());
        return next.equals(current) ? Optional.empty() : Optional.of(next);
    }

    /** Checks in through {@code candidate}; returns it when that worked. */
    Optional<FleetConnection> tryCheckin(Enrollment enrollment, FleetConnection candidate, CheckinRequest probe) {
        try (FleetApi api = clients.apply(candidate)) {
            api.checkin(enrollment.agentId(), enrollment.accessApiKey(),
                    new CheckinRequest(probe.status(), probe.message(), probe.ackToken(), probe.localMetadata(),
                            probe.agentPolicyId(), probe.policyRevisionIdx(), Duration.ofMinutes(1)));
            LOG.info("policy moved the agent to Fleet Server hosts {} (check-in through them succeeded)", candidate.hosts());
            return Optional.of(candidate);
        } catch (RuntimeException e) {
            LOG.warn("policy asks for Fleet Server hosts {} but a check-in through them failed, keeping {}: {}",
                    candidate.hosts(), enrollment.connection().hosts(), e.getMessage());
            return Optional.empty();
        }
    }
}
