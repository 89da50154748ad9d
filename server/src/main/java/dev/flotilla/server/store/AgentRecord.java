package dev.flotilla.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One enrolled agent as the store keeps it. JSON-valued parts ({@code localMetadata}, {@code components}) are
 * JSON text so that every store implementation can keep them as it likes.
 *
 * @param policyRevision the policy revision the agent acknowledged (-1: none yet)
 * @param actionSeqNo    the sequence number of the last stored action the agent acknowledged (-1: none)
 */
public record AgentRecord(
        String id,
        boolean active,
        String policyId,
        String type,
        Instant enrolledAt,
        String accessApiKeyId,
        String replaceTokenHash,
        String enrollmentId,
        String localMetadata,
        List<String> tags,
        long policyRevision,
        long actionSeqNo,
        Instant lastCheckin,
        String lastCheckinStatus,
        String lastCheckinMessage,
        String components,
        Instant unenrolledAt,
        String auditUnenrollReason,
        Instant updatedAt) {

    public AgentRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(policyId, "policyId");
        tags = tags == null ? List.of() : List.copyOf(tags);
        localMetadata = localMetadata == null ? "{}" : localMetadata;
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder(String id, String policyId) {
        return new Builder(new AgentRecord(id, true, policyId, "PERMANENT", Instant.now(), null, null, null, "{}",
                List.of(), -1, -1, null, null, null, null, null, null, Instant.now()));
    }

    /** Copy-and-change builder for {@link AgentRecord}. */
    public static final class Builder {
        private String id;
        private boolean active;
        private String policyId;
        private String type;
        private Instant enrolledAt;
        private String accessApiKeyId;
        private String replaceTokenHash;
        private String enrollmentId;
        private String localMetadata;
        private List<String> tags;
        private long policyRevision;
        private long actionSeqNo;
        private Instant lastCheckin;
        private String lastCheckinStatus;
        private String lastCheckinMessage;
        private String components;
        private Instant unenrolledAt;
        private String auditUnenrollReason;
        private Instant updatedAt;

        private Builder(AgentRecord a) {
            id = a.id;
            active = a.active;
            policyId = a.policyId;
            type = a.type;
            enrolledAt = a.enrolledAt;
            accessApiKeyId = a.accessApiKeyId;
            replaceTokenHash = a.replaceTokenHash;
            enrollmentId = a.enrollmentId;
            localMetadata = a.localMetadata;
            tags = a.tags;
            policyRevision = a.policyRevision;
            actionSeqNo = a.actionSeqNo;
            lastCheckin = a.lastCheckin;
            lastCheckinStatus = a.lastCheckinStatus;
            lastCheckinMessage = a.lastCheckinMessage;
            components = a.components;
            unenrolledAt = a.unenrolledAt;
            auditUnenrollReason = a.auditUnenrollReason;
            updatedAt = a.updatedAt;
        }

        public Builder active(boolean v) { active = v; return this; }
        public Builder policyId(String v) { policyId = v; return this; }
        public Builder type(String v) { type = v; return this; }
        public Builder enrolledAt(Instant v) { enrolledAt = v; return this; }
        public Builder accessApiKeyId(String v) { accessApiKeyId = v; return this; }
        public Builder replaceTokenHash(String v) { replaceTokenHash = v; return this; }
        public Builder enrollmentId(String v) { enrollmentId = v; return this; }
        public Builder localMetadata(String v) { localMetadata = v; return this; }
        public Builder tags(List<String> v) { tags = v; return this; }
        public Builder policyRevision(long v) { policyRevision = v; return this; }
        public Builder actionSeqNo(long v) { actionSeqNo = v; return this; }
        public Builder lastCheckin(Instant v) { lastCheckin = v; return this; }
        public Builder lastCheckinStatus(String v) { lastCheckinStatus = v; return this; }
        public Builder lastCheckinMessage(String v) { lastCheckinMessage = v; return this; }
        public Builder components(String v) { components = v; return this; }
        public Builder unenrolledAt(Instant v) { unenrolledAt = v; return this; }
        public Builder auditUnenrollReason(String v) { auditUnenrollReason = v; return this; }
        public Builder updatedAt(Instant v) { updatedAt = v; return this; }

        public AgentRecord build() {
            return new AgentRecord(id, active, policyId, type, enrolledAt, accessApiKeyId, replaceTokenHash,
                    enrollmentId, localMetadata, tags, policyRevision, actionSeqNo, lastCheckin, lastCheckinStatus,
                    lastCheckinMessage, components, unenrolledAt, auditUnenrollReason, updatedAt);
        }
    }
}
