package dev.flotilla.server.checkin;

import java.time.Duration;
import java.util.Objects;

/**
 * Check-in timing: the default long-poll length, the jitter subtracted from it, the bounds applied to an
 * agent's {@code poll_timeout}, and how often check-ins are written to the store.
 */
public record CheckinSettings(Duration defaultPoll, Duration jitter, Duration minPoll, Duration maxPoll,
                              Duration flushInterval) {
    public static final CheckinSettings DEFAULTS = new CheckinSettings(Duration.ofMinutes(5), Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofSeconds(30));

    public CheckinSettings {
        Objects.requireNonNull(defaultPoll, "defaultPoll");
        Objects.requireNonNull(jitter, "jitter");
        Objects.requireNonNull(minPoll, "minPoll");
        Objects.requireNonNull(maxPoll, "maxPoll");
        Objects.requireNonNull(flushInterval, "flushInterval");
        if (defaultPoll.isNegative() || defaultPoll.isZero()) {
            throw new IllegalArgumentException("defaultPoll: " + defaultPoll + " (expected: > 0)");
        }
        if (jitter.isNegative() || jitter.compareTo(defaultPoll) >= 0) {
            throw new IllegalArgumentException("jitter: " + jitter + " (expected: >= 0 and < defaultPoll)");
        }
        if (flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("flushInterval: " + flushInterval + " (expected: > 0)");
        }
    }
}
