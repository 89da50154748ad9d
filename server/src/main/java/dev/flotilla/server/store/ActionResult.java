package dev.flotilla.server.store;

import java.time.Instant;
import java.util.Objects;

/** An agent's acknowledgement of an action; {@code error} is null when the action succeeded. */
public record ActionResult(String actionId, String agentId, Instant createdAt, String error, String data) {
    public ActionResult {
        Objects.requireNonNull(actionId, "actionId");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
