package dev.flotilla.server.store;

import java.time.Instant;
import java.util.Objects;

/** An enrollment token: an API key bound to the policy the enrolling agents join. */
public record EnrollmentKey(String id, String apiKeyId, String name, String policyId, boolean active,
                            Instant createdAt, Instant expireAt) {
    public EnrollmentKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(apiKeyId, "apiKeyId");
        Objects.requireNonNull(policyId, "policyId");
        name = name == null ? "" : name;
    }

    public boolean usableAt(Instant now) {
        return active && (expireAt == null || expireAt.isAfter(now));
    }
}
