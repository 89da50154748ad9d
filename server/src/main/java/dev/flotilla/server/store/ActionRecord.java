package dev.flotilla.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An action for one or more agents (UNENROLL, POLICY_REASSIGN, SETTINGS, ...). POLICY_CHANGE is never stored:
 * it is built from the current policy revision.
 *
 * @param seq  the store-wide order of actions (0 when not yet stored); acks and ack tokens move agents past it
 * @param data the action's {@code data} as JSON text, or null
 */
public record ActionRecord(String id, long seq, String type, List<String> agentIds, String data, Instant createdAt,
                           Instant startTime, Instant expiration) {
    public ActionRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        agentIds = List.copyOf(agentIds);
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public ActionRecord withSeq(long newSeq) {
        return new ActionRecord(id, newSeq, type, agentIds, data, createdAt, startTime, expiration);
    }
}
