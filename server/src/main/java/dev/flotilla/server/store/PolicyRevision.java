package dev.flotilla.server.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One revision of a policy.
 *
 * @param seq  the store-wide order in which revisions were written (the change cursor position)
 * @param data the policy document as JSON text (outputs, fleet, agent, inputs, output_permissions)
 */
public record PolicyRevision(String policyId, long revision, String data, long seq, Instant createdAt) {
    public PolicyRevision {
        Objects.requireNonNull(policyId, "policyId");
        Objects.requireNonNull(data, "data");
    }
}
