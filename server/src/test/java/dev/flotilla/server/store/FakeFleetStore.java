package dev.flotilla.server.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An in-memory {@link FleetStore} for unit tests only (no durability, one lock). */
public final class FakeFleetStore implements FleetStore {
    private final List<PolicyRevision> policies = new ArrayList<>();
    private final Map<String, ApiKeyRecord> keys = new LinkedHashMap<>();
    private final Map<String, EnrollmentKey> enrollmentKeys = new LinkedHashMap<>();
    private final Map<String, AgentRecord> agents = new LinkedHashMap<>();
    private final List<ActionRecord> actions = new ArrayList<>();
    private final List<ActionResult> results = new ArrayList<>();
    private final Map<String, String> settings = new LinkedHashMap<>();
    private long seq;
    private RuntimeException nextPolicyWriteFailure;

    /** The next {@link #putPolicy} throws this instead of writing (a store that fails half-way through a change). */
    public synchronized void failNextPolicyWrite(RuntimeException failure) {
        nextPolicyWriteFailure = failure;
    }

    @Override
    public synchronized PolicyRevision putPolicy(String policyId, String data) {
        if (nextPolicyWriteFailure != null) {
            RuntimeException e = nextPolicyWriteFailure;
            nextPolicyWriteFailure = null;
            throw e;
        }
        long rev = latestPolicy(policyId).map(PolicyRevision::revision).orElse(0L) + 1;
        PolicyRevision p = new PolicyRevision(policyId, rev, data, ++seq, Instant.now());
        policies.add(p);
        return p;
    }

    @Override
    public synchronized Optional<PolicyRevision> latestPolicy(String policyId) {
        return policies.stream().filter(p -> p.policyId().equals(policyId))
                .max(Comparator.comparingLong(PolicyRevision::revision));
    }

    @Override
    public synchronized List<PolicyRevision> listPolicies() {
        return policies.stream().map(PolicyRevision::policyId).distinct().map(id -> latestPolicy(id).orElseThrow())
                .toList();
    }

    @Override
    public synchronized void createApiKey(ApiKeyRecord key) {
        keys.put(key.id(), key);
    }

    @Override
    public synchronized Optional<ApiKeyRecord> findApiKey(String id) {
        return Optional.ofNullable(keys.get(id));
    }

    @Override
    public synchronized void invalidateApiKeys(Collection<String> ids, Instant at) {
        for (String id : ids) {
            ApiKeyRecord k = keys.get(id);
            if (k != null) {
                keys.put(id, new ApiKeyRecord(k.id(), k.secretHash(), k.kind(), k.ownerId(), false, k.createdAt(), at));
            }
        }
    }

    @Override
    public synchronized void createEnrollmentKey(EnrollmentKey key, ApiKeyRecord apiKey) {
        keys.put(apiKey.id(), apiKey);
        enrollmentKeys.put(key.id(), key);
    }

    @Override
    public synchronized Optional<EnrollmentKey> findEnrollmentKey(String id) {
        return Optional.ofNullable(enrollmentKeys.get(id));
    }

    @Override
    public synchronized Optional<EnrollmentKey> findEnrollmentKeyByApiKeyId(String apiKeyId) {
        return enrollmentKeys.values().stream().filter(k -> k.apiKeyId().equals(apiKeyId)).findFirst();
    }

    @Override
    public synchronized List<EnrollmentKey> listEnrollmentKeys() {
        return List.copyOf(enrollmentKeys.values());
    }

    @Override
    public synchronized boolean revokeEnrollmentKey(String id, Instant at) {
        EnrollmentKey k = enrollmentKeys.get(id);
        if (k == null) {
            return false;
        }
        enrollmentKeys.put(id, new EnrollmentKey(k.id(), k.apiKeyId(), k.name(), k.policyId(), false, k.createdAt(),
                k.expireAt()));
        invalidateApiKeys(List.of(k.apiKeyId()), at);
        return true;
    }

    @Override
    public synchronized void enrollAgent(AgentRecord agent, ApiKeyRecord accessKey) {
        AgentRecord old = agents.get(agent.id());
        if (old != null && old.accessApiKeyId() != null) {
            invalidateApiKeys(List.of(old.accessApiKeyId()), agent.enrolledAt());
        }
        keys.put(accessKey.id(), accessKey);
        agents.put(agent.id(), agent);
    }

    @Override
    public synchronized Optional<AgentRecord> findAgent(String agentId) {
        return Optional.ofNullable(agents.get(agentId));
    }

    @Override
    public synchronized Optional<AgentRecord> findAgentByEnrollmentId(String enrollmentId) {
        return agents.values().stream().filter(a -> enrollmentId.equals(a.enrollmentId())).findFirst();
    }

    @Override
    public synchronized List<AgentRecord> listAgents() {
        return List.copyOf(agents.values());
    }

    @Override
    public synchronized void recordCheckins(List<CheckinUpdate> updates) {
        for (CheckinUpdate u : updates) {
            change(u.agentId(), b -> b.lastCheckin(u.at()).lastCheckinStatus(u.status())
                    .lastCheckinMessage(u.message()));
        }
    }

    @Override
    public synchronized void recordPolicyAck(String agentId, String policyId, long revision, Instant at) {
        AgentRecord a = agents.get(agentId);
        if (a != null && a.policyId().equals(policyId) && a.policyRevision() < revision) {
            change(agentId, b -> b.policyRevision(revision));
        }
    }

    @Override
    public synchronized void recordActionSeqNo(String agentId, long seqNo, Instant at) {
        AgentRecord a = agents.get(agentId);
        if (a != null && a.actionSeqNo() < seqNo) {
            change(agentId, b -> b.actionSeqNo(seqNo));
        }
    }

    @Override
    public synchronized void assignPolicy(String agentId, String policyId, Instant at) {
        change(agentId, b -> b.policyId(policyId).policyRevision(-1));
    }

    @Override
    public synchronized void deactivateAgent(String agentId, boolean invalidateKeys, Instant at) {
        AgentRecord a = agents.get(agentId);
        change(agentId, b -> b.active(false).unenrolledAt(at));
        if (invalidateKeys && a != null) {
            invalidateApiKeys(List.of(a.accessApiKeyId()), at);
        }
    }

    @Override
    public synchronized boolean setAuditUnenroll(String agentId, String reason, Instant at) {
        AgentRecord a = agents.get(agentId);
        if (a == null || a.auditUnenrollReason() != null) {
            return false;
        }
        change(agentId, b -> b.auditUnenrollReason(reason));
        return true;
    }

    private void change(String agentId, java.util.function.UnaryOperator<AgentRecord.Builder> f) {
        AgentRecord a = agents.get(agentId);
        if (a != null) {
            agents.put(agentId, f.apply(a.toBuilder()).build());
        }
    }

    @Override
    public synchronized ActionRecord addAction(ActionRecord action) {
        ActionRecord stored = action.withSeq(++seq);
        actions.add(stored);
        return stored;
    }

    @Override
    public synchronized Optional<ActionRecord> findAction(String actionId) {
        return actions.stream().filter(a -> a.id().equals(actionId)).findFirst();
    }

    @Override
    public synchronized List<ActionRecord> pendingActions(String agentId, long afterSeq, Instant now) {
        return actions.stream().filter(a -> a.agentIds().contains(agentId) && a.seq() > afterSeq)
                .filter(a -> a.expiration() == null || a.expiration().isAfter(now))
                .filter(a -> results.stream().noneMatch(r -> r.actionId().equals(a.id()) && r.agentId().equals(agentId)))
                .toList();
    }

    @Override
    public synchronized void addActionResults(List<ActionResult> newResults) {
        results.addAll(newResults);
    }

    @Override
    public synchronized List<ActionResult> actionResults(String actionId) {
        return results.stream().filter(r -> r.actionId().equals(actionId)).toList();
    }

    @Override
    public synchronized Optional<String> setting(String key) {
        return Optional.ofNullable(settings.get(key));
    }

    @Override
    public synchronized void putSetting(String key, String value) {
        settings.put(key, value);
    }

    @Override
    public synchronized StoreCursor currentCursor() {
        return new StoreCursor(seq, seq);
    }

    @Override
    public synchronized StoreChanges changesSince(StoreCursor cursor, int max) {
        List<PolicyRevision> p = policies.stream().filter(r -> r.seq() > cursor.policySeq()).limit(max).toList();
        List<ActionRecord> a = actions.stream().filter(r -> r.seq() > cursor.actionSeq()).limit(max).toList();
        return new StoreChanges(p, a, new StoreCursor(p.isEmpty() ? cursor.policySeq() : p.get(p.size() - 1).seq(),
                a.isEmpty() ? cursor.actionSeq() : a.get(a.size() - 1).seq()));
    }

    @Override
    public void ping() {
    }

    @Override
    public String describe() {
        return "in-memory fake";
    }

    @Override
    public void close() {
    }
}
