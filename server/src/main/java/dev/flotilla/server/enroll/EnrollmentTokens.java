package dev.flotilla.server.enroll;

import dev.flotilla.server.auth.ApiKeys;
import dev.flotilla.server.store.ApiKeyRecord;
import dev.flotilla.server.store.EnrollmentKey;
import dev.flotilla.server.store.FleetStore;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates and revokes enrollment tokens; each is bound to one policy. The token text is returned only once. */
public final class EnrollmentTokens {
    private static final Logger LOG = LoggerFactory.getLogger(EnrollmentTokens.class);
    private final FleetStore store;

    /** A new token: its record and the secret text agents pass as {@code --enrollment-token}. */
    public record Created(EnrollmentKey key, String token) {
        @Override
        public String toString() {
            return "Created[key=" + key + ", token=<redacted>]";
        }
    }

    public EnrollmentTokens(FleetStore store) {
        this.store = store;
    }

    public Created create(String name, String policyId) {
        return create(name, policyId, null);
    }

    /** A token that stops working after {@code validFor} (null: never expires). */
    public Created create(String name, String policyId, java.time.Duration validFor) {
        if (validFor != null && (validFor.isNegative() || validFor.isZero())) {
            throw new IllegalArgumentException("validFor: " + validFor + " (expected: > 0)");
        }
        if (store.latestPolicy(policyId).isEmpty()) {
            throw new IllegalArgumentException("policy " + policyId + " does not exist; create it before its"
                    + " enrollment token");
        }
        Instant now = Instant.now();
        String id = UUID.randomUUID().toString();
        ApiKeys.Issued key = ApiKeys.issue(ApiKeyRecord.ENROLLMENT, id, now);
        EnrollmentKey record = new EnrollmentKey(id, key.record().id(), name, policyId, true, now,
                validFor == null ? null : now.plus(validFor));
        store.createEnrollmentKey(record, key.record());
        LOG.info("enrollment token created: enrollment_key.id={} policy.id={}", id, policyId);
        return new Created(record, key.token());
    }

    public boolean revoke(String id) {
        boolean done = store.revokeEnrollmentKey(id, Instant.now());
        if (done) {
            LOG.info("enrollment token revoked: enrollment_key.id={}", id);
        }
        return done;
    }

    public Optional<EnrollmentKey> find(String id) {
        return store.findEnrollmentKey(id);
    }
}
