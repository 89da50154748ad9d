package dev.flotilla.agent;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Timings of a running agent (defaults for production; tests shorten them) and the hook that changes the log
 * level when Fleet sends a SETTINGS action.
 */
public record AgentOptions(Duration pollTimeout, Duration monitorInterval, Duration logfileInterval,
                           Duration backoffInitial, Duration backoffMax, Consumer<String> logLevelSetter) {

    public static AgentOptions defaults() {
        return new AgentOptions(Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofMinutes(5), level -> { });
    }

    public AgentOptions withPollTimeout(Duration d) {
        return new AgentOptions(d, monitorInterval, logfileInterval, backoffInitial, backoffMax, logLevelSetter);
    }

    public AgentOptions withMonitorInterval(Duration d) {
        return new AgentOptions(pollTimeout, d, logfileInterval, backoffInitial, backoffMax, logLevelSetter);
    }

    public AgentOptions withBackoff(Duration initial, Duration max) {
        return new AgentOptions(pollTimeout, monitorInterval, logfileInterval, initial, max, logLevelSetter);
    }

    public AgentOptions withLogLevelSetter(Consumer<String> setter) {
        return new AgentOptions(pollTimeout, monitorInterval, logfileInterval, backoffInitial, backoffMax, setter);
    }
}
