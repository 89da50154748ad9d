package dev.flotilla.server.store.es;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.server.store.ActionRecord;
import dev.flotilla.server.store.ActionResult;
import dev.flotilla.server.store.AgentRecord;
import dev.flotilla.server.store.ApiKeyRecord;
import dev.flotilla.server.store.CheckinUpdate;
import dev.flotilla.server.store.EnrollmentKey;
import dev.flotilla.server.store.PolicyRevision;
import dev.flotilla.server.store.StoreChanges;
import dev.flotilla.server.store.StoreCursor;
import dev.flotilla.testing.es.ElasticsearchExtension;
import dev.flotilla.testing.es.ElasticsearchLauncher;
import dev.flotilla.tls.TlsSettings;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store's contract against one real cluster (one-way TLS, CA file), shared by two store instances. */
class ElasticsearchFleetStoreIT {

    @RegisterExtension
    static final ElasticsearchExtension ES = new ElasticsearchExtension(ElasticsearchLauncher.builder());

    static ElasticsearchFleetStore store;
    static ElasticsearchFleetStore other;

    @BeforeAll
    static void connect() {
        store = ElasticsearchFleetStore.connect(config());
        other = ElasticsearchFleetStore.connect(config());
    }

    @AfterAll
    static void close() {
        if (store != null) {
            store.close();
        }
        if (other != null) {
            other.close();
        }
    }

    static ElasticsearchStoreConfig config() {
        return ElasticsearchStoreConfig.of(ES.node().uri(), ES.node().serviceToken(), TlsSettings.builder()
                .addCertificateAuthority(ES.node().certificates().caCertificate()).build());
    }

    private static String id(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    @Test
    void connectsWithOnlyTheCaFingerprint() {
        TlsSettings fingerprintOnly = TlsSettings.builder()
                .caTrustedFingerprint(ES.node().certificates().caFingerprint()).build();
        try (ElasticsearchFleetStore byFingerprint = ElasticsearchFleetStore.connect(
                ElasticsearchStoreConfig.of(ES.node().uri(), ES.node().serviceToken(), fingerprintOnly))) {
            byFingerprint.ping();
            String policy = id("by-fingerprint");
            byFingerprint.putPolicy(policy, "{}");
            assertThat(store.latestPolicy(policy)).isPresent();
        }
    }

    @Test
    void policyRevisionsCountUpAndTheLatestWins() {
        String policy = id("policy");
        PolicyRevision first = store.putPolicy(policy, "{\"outputs\":{\"default\":{\"type\":\"elasticsearch\"}}}");
        PolicyRevision second = other.putPolicy(policy, "{\"revision\":\"two\"}");

        assertThat(first.revision()).isEqualTo(1);
        assertThat(second.revision()).isEqualTo(2);
        assertThat(second.seq()).isGreaterThan(first.seq());
        assertThat(store.latestPolicy(policy)).get().satisfies(p -> {
            assertThat(p.revision()).isEqualTo(2);
            assertThat(p.data()).isEqualTo("{\"revision\":\"two\"}");
        });
        assertThat(store.listPolicies()).filteredOn(p -> p.policyId().equals(policy))
                .singleElement().extracting(PolicyRevision::revision).isEqualTo(2L);
        assertThat(store.latestPolicy(id("missing"))).isEmpty();
    }

    @Test
    void concurrentPolicyWritesFromTwoStoresGetDistinctRevisions() throws Exception {
        String policy = id("raced");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<PolicyRevision>> writes = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ElasticsearchFleetStore s = i % 2 == 0 ? store : other;
                int n = i;
                writes.add(pool.submit((Callable<PolicyRevision>) () -> s.putPolicy(policy, "{\"n\":" + n + "}")));
            }
            List<Long> revisions = new ArrayList<>();
            for (Future<PolicyRevision> w : writes) {
                revisions.add(w.get().revision());
            }
            assertThat(revisions).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void enrollmentKeysAndApiKeysKeepOnlyHashes() {
        String keyId = id("key");
        byte[] hash = "sha256-of-secret".getBytes(StandardCharsets.UTF_8);
        ApiKeyRecord api = new ApiKeyRecord(keyId, hash, ApiKeyRecord.ENROLLMENT, "ek-" + keyId, true, now(), null);
        EnrollmentKey ek = new EnrollmentKey("ek-" + keyId, keyId, "default", "policy-a", true, now(), null);

        store.createEnrollmentKey(ek, api);

        assertThat(other.findEnrollmentKey(ek.id())).contains(ek);
        assertThat(other.findEnrollmentKeyByApiKeyId(keyId)).contains(ek);
        assertThat(other.findApiKey(keyId)).get().satisfies(k -> assertThat(k.secretHash()).isEqualTo(hash));
        assertThat(other.listEnrollmentKeys()).contains(ek);

        assertThat(other.revokeEnrollmentKey(ek.id(), now())).isTrue();
        assertThat(store.findEnrollmentKey(ek.id())).get().extracting(EnrollmentKey::active).isEqualTo(false);
        assertThat(store.findApiKey(keyId)).get().satisfies(k -> {
            assertThat(k.active()).isFalse();
            assertThat(k.invalidatedAt()).isNotNull();
        });
        assertThat(store.revokeEnrollmentKey(id("none"), now())).isFalse();
    }

    @Test
    void agentsEnrollCheckInAckAndUnenroll() {
        String agentId = id("agent");
        String firstKey = id("ak");
        AgentRecord agent = AgentRecord.builder(agentId, "policy-a").enrollmentId(id("enr")).accessApiKeyId(firstKey)
                .localMetadata("{\"host\":{\"name\":\"h1\"}}").tags(List.of("a", "b")).build();
        store.enrollAgent(agent, key(firstKey, agentId));

        assertThat(other.findAgent(agentId)).get().satisfies(a -> {
            assertThat(a.localMetadata()).isEqualTo("{\"host\":{\"name\":\"h1\"}}");
            assertThat(a.tags()).containsExactly("a", "b");
            assertThat(a.policyRevision()).isEqualTo(-1);
        });
        assertThat(other.findAgentByEnrollmentId(agent.enrollmentId())).get().extracting(AgentRecord::id)
                .isEqualTo(agentId);

        Instant at = now();
        store.recordCheckins(List.of(new CheckinUpdate(agentId, at, "online", "ok", "{\"host\":{\"name\":\"h2\"}}",
                        "[{\"id\":\"c1\"}]"), new CheckinUpdate(id("unknown"), at, "online", null, null, null)));
        other.recordPolicyAck(agentId, "policy-a", 3, at);
        other.recordPolicyAck(agentId, "policy-a", 2, at);
        other.recordPolicyAck(agentId, "policy-b", 9, at);
        store.recordActionSeqNo(agentId, 7, at);
        store.recordActionSeqNo(agentId, 5, at);

        // a policy wake-up reads its agents in one _mget: the same core fields, unknown and repeated ids left out
        String secondAgent = id("agent");
        String secondAgentKey = id("ak");
        store.enrollAgent(AgentRecord.builder(secondAgent, "policy-b").accessApiKeyId(secondAgentKey).build(),
                key(secondAgentKey, secondAgent));
        assertThat(store.batchesAgentCoreReads()).isTrue();
        assertThat(other.findAgentCores(List.of(agentId, id("ghost"), secondAgent, agentId, "\"quoted\" id")))
                .containsOnlyKeys(agentId, secondAgent)
                .containsEntry(agentId, other.findAgentCore(agentId).orElseThrow())
                .containsEntry(secondAgent, other.findAgentCore(secondAgent).orElseThrow());
        assertThat(other.findAgentCores(List.of(agentId)).get(agentId).policyRevision()).as("acked revision")
                .isEqualTo(3);
        assertThat(other.findAgentCores(List.of())).isEmpty();

        AgentRecord seen = other.findAgent(agentId).orElseThrow();
        assertThat(seen.lastCheckin()).isEqualTo(at);
        assertThat(seen.lastCheckinStatus()).isEqualTo("online");
        assertThat(seen.localMetadata()).isEqualTo("{\"host\":{\"name\":\"h2\"}}");
        assertThat(seen.components()).isEqualTo("[{\"id\":\"c1\"}]");
        assertThat(seen.policyRevision()).isEqualTo(3);
        assertThat(seen.actionSeqNo()).isEqualTo(7);

        String secondKey = id("ak");
        store.enrollAgent(seen.toBuilder().accessApiKeyId(secondKey).build(), key(secondKey, agentId));
        assertThat(store.findApiKey(firstKey)).get().extracting(ApiKeyRecord::active).isEqualTo(false);
        assertThat(store.findApiKey(secondKey)).get().extracting(ApiKeyRecord::active).isEqualTo(true);

        assertThat(store.setAuditUnenroll(agentId, "uninstall", at)).isTrue();
        assertThat(other.setAuditUnenroll(agentId, "again", at)).isFalse();
        other.deactivateAgent(agentId, true, at);
        assertThat(store.findAgent(agentId)).get().satisfies(a -> {
            assertThat(a.active()).isFalse();
            assertThat(a.unenrolledAt()).isEqualTo(at);
            assertThat(a.auditUnenrollReason()).isEqualTo("uninstall");
        });
        assertThat(store.findApiKey(secondKey)).get().extracting(ApiKeyRecord::active).isEqualTo(false);
        assertThat(store.listAgents()).extracting(AgentRecord::id).contains(agentId);
    }

    @Test
    void concurrentCheckinsAndAcksFromTwoStoresLoseNothing() throws Exception {
        String agentId = id("busy");
        store.enrollAgent(AgentRecord.builder(agentId, "p").build(), key(id("ak"), agentId));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                long seq = i;
                work.add(pool.submit(() -> store.recordActionSeqNo(agentId, seq, now())));
                work.add(pool.submit(() -> other.recordCheckins(List.of(new CheckinUpdate(agentId, now(), "online",
                        "m" + seq, null, null)))));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.findAgent(agentId)).get().satisfies(a -> {
            assertThat(a.actionSeqNo()).isEqualTo(10);
            assertThat(a.lastCheckinStatus()).isEqualTo("online");
        });
    }

    @Test
    void pendingActionsSkipExpiredAcknowledgedAndOtherAgents() {
        String agentId = id("target");
        Instant now = now();
        ActionRecord settings = store.addAction(action("SETTINGS", agentId, null));
        ActionRecord expired = store.addAction(action("UPGRADE", agentId, now.minusSeconds(5)));
        ActionRecord done = other.addAction(action("REQUEST_DIAGNOSTICS", agentId, now.plusSeconds(600)));
        ActionRecord notMine = other.addAction(action("UNENROLL", id("someone-else"), null));
        other.addActionResults(List.of(new ActionResult(done.id(), agentId, now, null, "{\"ok\":true}")));

        List<ActionRecord> pending = store.pendingActions(agentId, -1, now);

        assertThat(pending).extracting(ActionRecord::id).containsExactly(settings.id());
        assertThat(settings.seq()).isPositive();
        assertThat(store.pendingActions(agentId, settings.seq(), now)).isEmpty();
        assertThat(store.findAction(notMine.id())).get().satisfies(a -> {
            assertThat(a.seq()).isEqualTo(notMine.seq());
            assertThat(a.agentIds()).isEqualTo(notMine.agentIds());
        });
        assertThat(store.actionResults(done.id())).singleElement().satisfies(r -> {
            assertThat(r.agentId()).isEqualTo(agentId);
            assertThat(r.data()).isEqualTo("{\"ok\":true}");
        });
        assertThat(expired.seq()).isGreaterThan(settings.seq());
    }

    @Test
    void eachStoreSeesTheOthersNewPoliciesAndActions() {
        StoreCursor start = other.currentCursor();
        String policy = id("shared");
        PolicyRevision written = store.putPolicy(policy, "{\"from\":\"store\"}");
        ActionRecord action = store.addAction(action("SETTINGS", id("agent"), null));

        StoreChanges changes = other.changesSince(start, 100);

        assertThat(changes.policies()).extracting(PolicyRevision::policyId).contains(policy);
        assertThat(changes.policies()).filteredOn(p -> p.policyId().equals(policy)).singleElement()
                .satisfies(p -> assertThat(p.seq()).isEqualTo(written.seq()));
        assertThat(changes.actions()).extracting(ActionRecord::id).contains(action.id());
        assertThat(other.changesSince(changes.next(), 100).policies()).extracting(PolicyRevision::policyId)
                .doesNotContain(policy);
        assertThat(changes.next().policySeq()).isGreaterThanOrEqualTo(written.seq());
    }

    @Test
    void changeFeedPagesThroughWithSmallBatches() {
        StoreCursor cursor = store.currentCursor();
        String policy = id("paged");
        for (int i = 0; i < 5; i++) {
            other.putPolicy(policy, "{\"i\":" + i + "}");
        }
        List<Long> seen = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            StoreChanges page = store.changesSince(cursor, 2);
            assertThat(page.policies().size()).isLessThanOrEqualTo(2);
            page.policies().stream().filter(p -> p.policyId().equals(policy)).forEach(p -> seen.add(p.revision()));
            cursor = page.next();
        }
        assertThat(seen).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void settingsRoundTrip() {
        String key = id("setting");
        assertThat(store.setting(key)).isEmpty();
        store.putSetting(key, "{\"hosts\":[\"https://a:8220\"]}");
        other.putSetting(key, "{\"hosts\":[\"https://b:8220\"]}");
        assertThat(store.setting(key)).contains("{\"hosts\":[\"https://b:8220\"]}");
    }

    private static ApiKeyRecord key(String id, String agentId) {
        return new ApiKeyRecord(id, new byte[] {1, 2, 3}, ApiKeyRecord.AGENT, agentId, true, now(), null);
    }

    private static ActionRecord action(String type, String agentId, Instant expiration) {
        return new ActionRecord(id("action"), 0, type, List.of(agentId), "{\"log_level\":\"debug\"}", now(), null,
                expiration);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

}
