package dev.flotilla.agent.checkin;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.agent.fleet.AckEvent;
import dev.flotilla.agent.fleet.Action;
import dev.flotilla.agent.fleet.CheckinRequest;
import dev.flotilla.agent.fleet.FleetConnection;
import dev.flotilla.agent.state.AgentState;
import dev.flotilla.agent.state.StateHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Runs one action and says how to ack it: POLICY_CHANGE, UNENROLL and SETTINGS; others are acked as unsupported. */
final class ActionRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ActionRunner.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> LOG_LEVELS = Set.of("error", "warning", "warn", "info", "debug", "trace");

    record Outcome(AckEvent ack, boolean unenroll) {
    }

    private final StateHolder state;
    private final AgentHooks hooks;
    private final FleetHostSwitch hostSwitch;

    ActionRunner(StateHolder state, AgentHooks hooks, FleetHostSwitch hostSwitch) {
        this.state = state;
        this.hooks = hooks;
        this.hostSwitch = hostSwitch;
    }

    Outcome run(Action a, CheckinRequest lastRequest) {
        LOG.info("action {} type={}", a.id(), a.type());
        try {
            switch (a.type()) {
                case "POLICY_CHANGE":
                    return new Outcome(policyChange(a, lastRequest), false);
                case "UNENROLL":
                    return new Outcome(AckEvent.ok(a), true);
                case "SETTINGS":
                    return new Outcome(settings(a), false);
                default:
                    return new Outcome(AckEvent.failed(a, "action type " + a.type()
                            + " is not supported by the Flotilla agent"), false);
            }
        } catch (RuntimeException e) {
            LOG.error("action {} ({}) failed: {}", a.id(), a.type(), e.getMessage());
            return new Outcome(AckEvent.failed(a, e.getMessage()), false);
        }
    }

    private AckEvent policyChange(Action a, CheckinRequest lastRequest) {
        Map<String, Object> policy = JSON.convertValue(a.data().path("policy"), new TypeReference<Map<String, Object>>() { });
        if (policy == null || policy.isEmpty()) {
            return AckEvent.failed(a, "POLICY_CHANGE without data.policy");
        }
        long revision = a.data().path("policy").path("revision").asLong(
                a.data().path("policy").path("revision_idx").asLong(0));
        AgentState s = state.get();
        Optional<FleetConnection> proposed = FleetHostSwitch.proposed(policy, s.enrollment().connection());
        if (proposed.isPresent()) {
            hostSwitch.tryCheckin(s.enrollment(), proposed.get(), lastRequest).ifPresent(conn ->
                    state.update(st -> st.withEnrollment(st.enrollment().withConnection(conn))));
        }
        hooks.policyChanged(policy);
        state.update(st -> st.withPolicy(policy, revision));
        LOG.info("applied policy.id={} revision={}", policy.get("id"), revision);
        return AckEvent.ok(a);
    }

    private AckEvent settings(Action a) {
        String level = a.data().path("log_level").asText("").toLowerCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(level)) {
            return AckEvent.failed(a, "SETTINGS log_level '" + level + "' is not one of " + LOG_LEVELS);
        }
        hooks.logLevelChanged(level);
        state.update(st -> st.withLogLevel(level));
        return AckEvent.ok(a);
    }
}
