package dev.flotilla.server.management;

import dev.flotilla.server.store.AgentRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/**
 * An agent's status as Fleet shows it, from its record and its policy's latest revision, first match wins:
 * {@code unenrolled} (inactive), {@code offline} (no check-in within {@code offlineAfter}), {@code unhealthy} (it
 * reported error, degraded or failed), {@code updating} (it has not acknowledged its policy's latest revision),
 * else {@code online}.
 */
enum AgentStatus {
    ONLINE, OFFLINE, UNHEALTHY, UPDATING, UNENROLLED;

    private static final Set<String> BAD = Set.of("error", "degraded", "failed", "unhealthy");

    static AgentStatus of(AgentRecord a, long latestRevision, Instant now, Duration offlineAfter) {
        if (!a.active()) {
            return UNENROLLED;
        }
        Instant seen = a.lastCheckin() != null ? a.lastCheckin() : a.enrolledAt();
        if (seen == null || seen.plus(offlineAfter).isBefore(now)) {
            return OFFLINE;
        }
        if (a.lastCheckinStatus() != null && BAD.contains(a.lastCheckinStatus().toLowerCase(Locale.ROOT))) {
            return UNHEALTHY;
        }
        if (a.lastCheckin() == null || a.policyRevision() < latestRevision) {
            return UPDATING;
        }
        return ONLINE;
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static AgentStatus parse(String s, String field) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ManagementError.invalid(field, "'" + s + "' is not a status; expected online, offline,"
                    + " unhealthy, updating or unenrolled");
        }
    }
}
