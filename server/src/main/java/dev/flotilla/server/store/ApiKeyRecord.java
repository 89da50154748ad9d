package dev.flotilla.server.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An API key as stored: only the SHA-256 of its secret, never the secret.
 *
 * @param kind    {@link #AGENT} (an agent's access key) or {@link #ENROLLMENT} (an enrollment token)
 * @param ownerId the agent id or the enrollment key id the key belongs to
 */
public record ApiKeyRecord(String id, byte[] secretHash, String kind, String ownerId, boolean active,
                           Instant createdAt, Instant invalidatedAt) {
    public static final String AGENT = "agent";
    public static final String ENROLLMENT = "enrollment";

    public ApiKeyRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(secretHash, "secretHash");
        Objects.requireNonNull(kind, "kind");
        secretHash = secretHash.clone();
    }

    @Override
    public byte[] secretHash() {
        return secretHash.clone();
    }
}
