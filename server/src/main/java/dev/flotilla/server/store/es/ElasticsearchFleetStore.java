package dev.flotilla.server.store.es;

import static dev.flotilla.server.store.es.IndexAccess.term;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.OpType;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.store.ActionRecord;
import dev.flotilla.server.store.ActionResult;
import dev.flotilla.server.store.AgentCore;
import dev.flotilla.server.store.AgentRecord;
import dev.flotilla.server.store.ApiKeyRecord;
import dev.flotilla.server.store.CheckinUpdate;
import dev.flotilla.server.store.EnrollmentKey;
import dev.flotilla.server.store.FleetStore;
import dev.flotilla.server.store.PolicyRevision;
import dev.flotilla.server.store.StoreChanges;
import dev.flotilla.server.store.StoreCursor;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Fleet Server's state in Elasticsearch ({@code .fleet-agents}, {@code .fleet-policies},
 * {@code .fleet-enrollment-api-keys}, {@code .fleet-actions}, {@code .fleet-actions-results}), shared by every
 * Fleet Server connected to the cluster. Writes that two servers may race on are conditional
 * ({@code if_seq_no}/{@code if_primary_term}, or create-only) and retried on conflict; the few writes that searches
 * must see at once (policies, actions, keys, results: low rates) refresh the index; agent updates do not, since
 * agents are read by id, which is real-time. Elasticsearch has no transactions: where the interface writes several
 * documents "in one transaction" they are written in an order that leaves nothing usable half-done (key before
 * the record using it, the replaced key invalidated last). Every failure is an {@link ElasticsearchStoreException}.
 */
public final class ElasticsearchFleetStore implements FleetStore {

    private static final Logger log = LoggerFactory.getLogger(ElasticsearchFleetStore.class);
    private static final int MAX_LIST = IndexAccess.MAX_LIST;
    private static final int CONFLICT_RETRIES = IndexAccess.CONFLICT_RETRIES;

    private final ElasticsearchStoreConfig config;
    private final EsConnection es;
    private final EsDocuments docs;
    private final ChangeFeed feed;
    private final IndexAccess access;

    private ElasticsearchFleetStore(ElasticsearchStoreConfig config, EsConnection es, ObjectMapper json) {
        this.config = config;
        this.es = es;
        this.docs = new EsDocuments(json);
        this.feed = new ChangeFeed(es, docs);
        this.access = new IndexAccess(es);
    }

    /**
     * Connects, checks that the service token authenticates as {@code elastic/fleet-server} (so a bad CA,
     * fingerprint, client certificate or token fails here, by name) and creates the indices that are missing.
     */
    public static ElasticsearchFleetStore connect(ElasticsearchStoreConfig config) {
        ObjectMapper json = new ObjectMapper();
        EsConnection es = new EsConnection(config, json);
        try {
            String user = es.call("authenticate", c -> c.security().authenticate()).username();
            if (!"elastic/fleet-server".equals(user)) {
                log.warn("Elasticsearch store: the token authenticates as {} rather than elastic/fleet-server; "
                        + "writes to the .fleet-* indices may be refused", user);
            }
            FleetIndices.ensure(es);
            ElasticsearchFleetStore store = new ElasticsearchFleetStore(config, es, json);
            log.info("Elasticsearch store ready: {} as {}", config.hosts(), user);
            return store;
        } catch (RuntimeException e) {
            es.close();
            throw e;
        }
    }

    public ElasticsearchStoreConfig config() {
        return config;
    }

    // ------------------------------------------------------------------ policies

    @Override
    public PolicyRevision putPolicy(String policyId, String data) {
        long next = latestPolicy(policyId).map(p -> p.revision() + 1).orElse(1L);
        for (int attempt = 0; attempt < CONFLICT_RETRIES; attempt++, next++) {
            Instant now = Instant.now();
            long revision = next;
            ObjectNode doc = docs.policy(policyId, revision, data, now);
            try {
                long seqNo = es.call("write policy " + policyId, c -> c.index(i -> i.index(FleetIndices.POLICIES)
                        .id(policyId + ":" + revision).opType(OpType.Create).refresh(Refresh.True)
                        .document(doc))).seqNo();
                return new PolicyRevision(policyId, revision, data, seqNo + 1, now);
            } catch (EsConnection.Conflict another) {
                // another server wrote this revision first: take the next one
            }
        }
        throw access.conflictsExhausted("write policy " + policyId);
    }

    @Override
    public Optional<PolicyRevision> latestPolicy(String policyId) {
        return es.call("read policy " + policyId, c -> c.search(s -> s.index(FleetIndices.POLICIES)
                .seqNoPrimaryTerm(true).size(1).query(term("policy_id", policyId))
                .sort(o -> o.field(f -> f.field("revision_idx").order(SortOrder.Desc))), ObjectNode.class))
                .hits().hits().stream().findFirst().map(h -> docs.policy(h.source(), h.seqNo()));
    }

    @Override
    public List<PolicyRevision> listPolicies() {
        return es.call("list policies", c -> c.search(s -> s.index(FleetIndices.POLICIES).seqNoPrimaryTerm(true)
                .size(MAX_LIST).collapse(k -> k.field("policy_id"))
                .sort(o -> o.field(f -> f.field("revision_idx").order(SortOrder.Desc))), ObjectNode.class))
                .hits().hits().stream().map(h -> docs.policy(h.source(), h.seqNo()))
                .sorted((a, b) -> a.policyId().compareTo(b.policyId())).toList();
    }

    // ------------------------------------------------------------------ API keys and enrollment keys

    @Override
    public void createApiKey(ApiKeyRecord key) {
        ObjectNode doc = docs.apiKey(key);
        es.call("store API key " + key.id(), c -> c.index(i -> i.index(FleetIndices.API_KEYS).id(key.id())
                .refresh(Refresh.True).document(doc)));
    }

    @Override
    public Optional<ApiKeyRecord> findApiKey(String id) {
        return access.get(FleetIndices.API_KEYS, id, "read API key").map(g -> docs.apiKey(id, g.source()));
    }

    @Override
    public void invalidateApiKeys(Collection<String> ids, Instant at) {
        for (String id : ids) {
            access.update(FleetIndices.API_KEYS, id, "invalidate API key", doc -> {
                if (!doc.path("active").asBoolean()) {
                    return null;
                }
                doc.put("active", false);
                doc.put("invalidated_at", at.toString());
                return doc;
            });
        }
    }

    @Override
    public void createEnrollmentKey(EnrollmentKey key, ApiKeyRecord apiKey) {
        createApiKey(apiKey);
        ObjectNode doc = docs.enrollmentKey(key);
        es.call("store enrollment key " + key.id(), c -> c.index(i -> i.index(FleetIndices.ENROLLMENT_KEYS)
                .id(key.id()).opType(OpType.Create).refresh(Refresh.True).document(doc)));
    }

    @Override
    public Optional<EnrollmentKey> findEnrollmentKey(String id) {
        return access.get(FleetIndices.ENROLLMENT_KEYS, id, "read enrollment key")
                .map(g -> docs.enrollmentKey(id, g.source()));
    }

    @Override
    public Optional<EnrollmentKey> findEnrollmentKeyByApiKeyId(String apiKeyId) {
        return access.search(FleetIndices.ENROLLMENT_KEYS, term("api_key_id", apiKeyId), 1, null,
                "find enrollment key").stream().findFirst().map(h -> docs.enrollmentKey(h.id(), h.source()));
    }

    @Override
    public List<EnrollmentKey> listEnrollmentKeys() {
        return access.search(FleetIndices.ENROLLMENT_KEYS, null, MAX_LIST, "created_at", "list enrollment keys")
                .stream().map(h -> docs.enrollmentKey(h.id(), h.source())).toList();
    }

    @Override
    public boolean revokeEnrollmentKey(String id, Instant at) {
        Optional<EnrollmentKey> key = findEnrollmentKey(id);
        if (key.isEmpty()) {
            return false;
        }
        access.update(FleetIndices.ENROLLMENT_KEYS, id, "revoke enrollment key", doc -> doc.put("active", false));
        invalidateApiKeys(List.of(key.get().apiKeyId()), at);
        return true;
    }

    // ------------------------------------------------------------------ agents

    @Override
    public void enrollAgent(AgentRecord agent, ApiKeyRecord accessKey) {
        Optional<AgentRecord> previous = findAgent(agent.id());
        createApiKey(accessKey);
        ObjectNode doc = docs.agent(agent);
        es.call("store agent " + agent.id(), c -> c.index(i -> i.index(FleetIndices.AGENTS).id(agent.id())
                .refresh(Refresh.True).document(doc)));
        previous.map(AgentRecord::accessApiKeyId).filter(k -> !k.equals(accessKey.id()))
                .ifPresent(k -> invalidateApiKeys(List.of(k), agent.enrolledAt()));
    }

    @Override
    public Optional<AgentRecord> findAgent(String agentId) {
        return access.get(FleetIndices.AGENTS, agentId, "read agent").map(g -> docs.agent(agentId, g.source()));
    }

    /** One {@code _mget} (real-time, as the single get is) reads a policy wake-up's chunk of agents. */
    @Override
    public boolean batchesAgentCoreReads() {
        return true;
    }

    @Override
    public Map<String, AgentCore> findAgentCores(Collection<String> agentIds) {
        List<String> ids = List.copyOf(new LinkedHashSet<>(agentIds));
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<String, AgentCore> found = new HashMap<>();
        for (var got : access.getAll(FleetIndices.AGENTS, ids, "read " + ids.size() + " agents")) {
            found.put(got.id(), AgentCore.of(docs.agent(got.id(), got.source())));
        }
        return found;
    }

    @Override
    public Optional<AgentRecord> findAgentByEnrollmentId(String enrollmentId) {
        return access.search(FleetIndices.AGENTS, term("enrollment_id", enrollmentId), 1, null, "find agent").stream()
                .findFirst().map(h -> docs.agent(h.id(), h.source()));
    }

    @Override
    public List<AgentRecord> listAgents() {
        return access.search(FleetIndices.AGENTS, null, MAX_LIST, "enrolled_at", "list agents").stream()
                .map(h -> docs.agent(h.id(), h.source())).toList();
    }

    @Override
    public void recordCheckins(List<CheckinUpdate> updates) {
        new CheckinWriter(es, access, docs).write(updates);
    }

    @Override
    public void recordPolicyAck(String agentId, String policyId, long revision, Instant at) {
        updateAgent(agentId, "record policy ack", a -> a.policyId().equals(policyId) && a.policyRevision() < revision
                ? a.toBuilder().policyRevision(revision).updatedAt(at).build() : null);
    }

    @Override
    public void recordActionSeqNo(String agentId, long seqNo, Instant at) {
        updateAgent(agentId, "record action ack", a -> a.actionSeqNo() < seqNo
                ? a.toBuilder().actionSeqNo(seqNo).updatedAt(at).build() : null);
    }

    @Override
    public void assignPolicy(String agentId, String policyId, Instant at) {
        updateAgent(agentId, "assign policy", a -> a.toBuilder().policyId(policyId).policyRevision(-1)
                .updatedAt(at).build());
    }

    @Override
    public void deactivateAgent(String agentId, boolean invalidateKeys, Instant at) {
        AgentRecord after = updateAgent(agentId, "deactivate agent", a -> a.toBuilder().active(false)
                .unenrolledAt(at).updatedAt(at).build());
        if (invalidateKeys && after != null && after.accessApiKeyId() != null) {
            invalidateApiKeys(List.of(after.accessApiKeyId()), at);
        }
    }

    @Override
    public boolean setAuditUnenroll(String agentId, String reason, Instant at) {
        boolean[] set = {false};
        updateAgent(agentId, "audit unenroll", a -> {
            set[0] = a.auditUnenrollReason() == null;
            return set[0] ? a.toBuilder().auditUnenrollReason(reason).updatedAt(at).build() : null;
        });
        return set[0];
    }

    /** Read-change-write with {@code if_seq_no}; {@code change} returns null for "nothing to do". */
    private AgentRecord updateAgent(String agentId, String what, Function<AgentRecord, AgentRecord> change) {
        ObjectNode[] written = {null};
        access.update(FleetIndices.AGENTS, agentId, what, doc -> {
            AgentRecord changed = change.apply(docs.agent(agentId, doc));
            written[0] = changed == null ? null : docs.agent(changed);
            return written[0];
        });
        return written[0] == null ? findAgent(agentId).orElse(null) : docs.agent(agentId, written[0]);
    }

    // ------------------------------------------------------------------ actions

    @Override
    public ActionRecord addAction(ActionRecord action) {
        ObjectNode doc = docs.action(action);
        long seqNo = es.call("store action " + action.id(), c -> c.index(i -> i.index(FleetIndices.ACTIONS)
                .id(action.id()).opType(OpType.Create).refresh(Refresh.True).document(doc))).seqNo();
        return action.withSeq(seqNo + 1);
    }

    @Override
    public Optional<ActionRecord> findAction(String actionId) {
        return access.get(FleetIndices.ACTIONS, actionId, "read action").map(g -> docs.action(g.source(), g.seqNo()));
    }

    @Override
    public List<ActionRecord> pendingActions(String agentId, long afterSeq, Instant now) {
        Query query = Query.of(q -> q.bool(b -> b
                .filter(term("agents", agentId))
                .filter(f -> f.range(r -> r.number(n -> n.field("_seq_no").gte((double) afterSeq))))
                .mustNot(m -> m.range(r -> r.date(d -> d.field("expiration").lte(now.toString()))))));
        List<ActionRecord> actions = es.call("read pending actions", c -> c.search(s -> s.index(FleetIndices.ACTIONS)
                .seqNoPrimaryTerm(true).size(MAX_LIST).query(query)
                .sort(o -> o.field(f -> f.field("_seq_no").order(SortOrder.Asc))), ObjectNode.class))
                .hits().hits().stream().map(h -> docs.action(h.source(), h.seqNo())).toList();
        if (actions.isEmpty()) {
            return actions;
        }
        List<FieldValue> ids = actions.stream().map(a -> FieldValue.of(a.id())).toList();
        Set<String> done = es.call("read action results", c -> c.search(s -> s.index(FleetIndices.ACTION_RESULTS)
                .size(MAX_LIST).query(q -> q.bool(b -> b.filter(term("agent_id", agentId))
                        .filter(f -> f.terms(t -> t.field("action_id").terms(v -> v.value(ids)))))), ObjectNode.class))
                .hits().hits().stream().map(h -> EsDocuments.text(h.source(), "action_id")).collect(Collectors.toSet());
        return actions.stream().filter(a -> !done.contains(a.id())).toList();
    }

    @Override
    public void addActionResults(List<ActionResult> results) {
        if (results.isEmpty()) {
            return;
        }
        var response = es.call("store " + results.size() + " action results", c -> c.bulk(b -> {
            b.index(FleetIndices.ACTION_RESULTS).refresh(Refresh.True);
            for (ActionResult r : results) {
                ObjectNode doc = docs.result(r);
                b.operations(o -> o.index(i -> i.id(r.actionId() + ":" + r.agentId()).document(doc)));
            }
            return b;
        }));
        if (response.errors()) {
            String first = response.items().stream().filter(i -> i.error() != null).findFirst()
                    .map(i -> i.error().type() + ": " + i.error().reason()).orElse("unknown");
            throw new ElasticsearchStoreException(ElasticsearchProblem.CLUSTER_ERROR, null,
                    describe() + " refused some action results: " + first, null);
        }
    }

    @Override
    public List<ActionResult> actionResults(String actionId) {
        return access.search(FleetIndices.ACTION_RESULTS, term("action_id", actionId), MAX_LIST, "@timestamp",
                "read action results").stream().map(h -> docs.result(h.source())).toList();
    }

    // ------------------------------------------------------------------ settings

    @Override
    public Optional<String> setting(String key) {
        return access.get(FleetIndices.SETTINGS, key, "read setting").map(g -> EsDocuments.text(g.source(), "value"));
    }

    @Override
    public void putSetting(String key, String value) {
        ObjectNode doc = docs.parse("{}").deepCopy();
        doc.put("value", value);
        doc.put("updated_at", Instant.now().toString());
        es.call("write setting " + key, c -> c.index(i -> i.index(FleetIndices.SETTINGS).id(key)
                .refresh(Refresh.True).document(doc)));
    }

    // ------------------------------------------------------------------ change feed and health

    @Override
    public StoreCursor currentCursor() {
        return feed.current();
    }

    @Override
    public StoreChanges changesSince(StoreCursor cursor, int max) {
        return feed.since(cursor, max);
    }

    @Override
    public void ping() {
        es.call("check cluster health", c -> c.cluster().health());
    }

    @Override
    public String describe() {
        return es.describe();
    }

    @Override
    public void close() {
        es.close();
    }

}
