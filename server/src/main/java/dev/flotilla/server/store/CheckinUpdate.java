package dev.flotilla.server.store;

import java.time.Instant;
import java.util.Objects;

/** What one check-in changes on an agent record; written in batches. Null parts are left unchanged. */
public record CheckinUpdate(String agentId, Instant at, String status, String message, String localMetadata,
                            String components) {
    public CheckinUpdate {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(at, "at");
    }
}
