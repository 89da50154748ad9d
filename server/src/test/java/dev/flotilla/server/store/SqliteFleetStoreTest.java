package dev.flotilla.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.server.store.sqlite.SqliteFleetStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract, run against SQLite and the fake, plus SQLite specifics (WAL, two processes' view). */
class SqliteFleetStoreTest {
    @TempDir
    static Path tmp;

    static Stream<Function<Path, FleetStore>> stores() {
        return Stream.of(d -> SqliteFleetStore.openInDirectory(d), d -> new FakeFleetStore());
    }

    private static ApiKeyRecord key(String id) {
        return new ApiKeyRecord(id, new byte[] {1, 2, 3}, ApiKeyRecord.AGENT, "a", true, Instant.now(), null);
    }

    @ParameterizedTest
    @MethodSource("stores")
    void policiesRevisionsActionsAndTheChangeFeed(Function<Path, FleetStore> open) throws Exception {
        try (FleetStore s = open.apply(Files.createTempDirectory(tmp, "s"))) {
            StoreCursor start = s.currentCursor();
            assertThat(s.putPolicy("p", "{\"a\":1}").revision()).isEqualTo(1);
            assertThat(s.putPolicy("p", "{\"a\":2}").revision()).isEqualTo(2);
            assertThat(s.putPolicy("q", "{}").revision()).isEqualTo(1);
            assertThat(s.latestPolicy("p").orElseThrow().data()).isEqualTo("{\"a\":2}");
            assertThat(s.listPolicies()).extracting(PolicyRevision::policyId).containsExactly("p", "q");

            s.enrollAgent(AgentRecord.builder("a1", "p").accessApiKeyId("k1").build(), key("k1"));
            ActionRecord a = s.addAction(new ActionRecord("act-1", 0, "SETTINGS", List.of("a1"), "{}", Instant.now(),
                    null, null));
            ActionRecord expired = s.addAction(new ActionRecord("act-2", 0, "SETTINGS", List.of("a1"), "{}",
                    Instant.now(), null, Instant.now().minus(Duration.ofMinutes(1))));
            assertThat(expired.seq()).isGreaterThan(a.seq());
            assertThat(s.pendingActions("a1", -1, Instant.now())).extracting(ActionRecord::id).containsExactly("act-1");
            assertThat(s.pendingActions("a1", a.seq(), Instant.now())).isEmpty();
            assertThat(s.pendingActions("other", -1, Instant.now())).isEmpty();
            s.addActionResults(List.of(new ActionResult("act-1", "a1", Instant.now(), null, null)));
            assertThat(s.pendingActions("a1", -1, Instant.now())).isEmpty();

            StoreChanges changes = s.changesSince(start, 100);
            assertThat(changes.policies()).hasSize(3);
            assertThat(changes.actions()).extracting(ActionRecord::id).containsExactly("act-1", "act-2");
            assertThat(s.changesSince(changes.next(), 100).isEmpty()).isTrue();
            assertThat(s.changesSince(start, 1).policies()).hasSize(1);
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void agentAcksOnlyMoveForwardAndReplacementInvalidatesTheOldKey(Function<Path, FleetStore> open)
            throws Exception {
        try (FleetStore s = open.apply(Files.createTempDirectory(tmp, "s"))) {
            s.enrollAgent(AgentRecord.builder("a1", "p").accessApiKeyId("k1").build(), key("k1"));
            s.recordPolicyAck("a1", "p", 3, Instant.now());
            s.recordPolicyAck("a1", "p", 2, Instant.now());
            s.recordPolicyAck("a1", "other-policy", 9, Instant.now());
            assertThat(s.findAgent("a1").orElseThrow().policyRevision()).isEqualTo(3);
            s.recordActionSeqNo("a1", 5, Instant.now());
            s.recordActionSeqNo("a1", 4, Instant.now());
            assertThat(s.findAgent("a1").orElseThrow().actionSeqNo()).isEqualTo(5);
            // the hot path's small read (a covering index in SQLite) sees every write the full record does
            assertThat(s.findAgentCore("a1")).contains(new AgentCore("a1", true, "p", "k1", 3, 5));
            s.recordCheckins(List.of(new CheckinUpdate("a1", Instant.now(), "degraded", "m", null, null),
                    new CheckinUpdate("ghost", Instant.now(), "online", "", null, null)));
            assertThat(s.findAgent("a1").orElseThrow().lastCheckinStatus()).isEqualTo("degraded");
            assertThat(s.findAgent("ghost")).isEmpty();
            assertThat(s.findAgentCore("ghost")).isEmpty();

            s.enrollAgent(AgentRecord.builder("a1", "p").accessApiKeyId("k2").build(), key("k2"));
            assertThat(s.findApiKey("k1").orElseThrow().active()).isFalse();
            assertThat(s.findApiKey("k2").orElseThrow().active()).isTrue();
            s.deactivateAgent("a1", true, Instant.now());
            assertThat(s.findAgent("a1").orElseThrow().active()).isFalse();
            assertThat(s.findAgentCore("a1")).contains(new AgentCore("a1", false, "p", "k2", -1, -1));
            // a policy fan-out reads many agents at once: the same fields, unknown ids left out
            s.enrollAgent(AgentRecord.builder("a2", "q").accessApiKeyId("k3").build(), key("k3"));
            assertThat(s.findAgentCores(List.of("a1", "ghost", "a2", "a1"))).containsOnly(
                    java.util.Map.entry("a1", new AgentCore("a1", false, "p", "k2", -1, -1)),
                    java.util.Map.entry("a2", new AgentCore("a2", true, "q", "k3", -1, -1)));
            assertThat(s.findAgentCores(List.of())).isEmpty();
            assertThat(s.findAgentCores(List.of("\"quoted\" id", "ghost"))).isEmpty();
            assertThat(s.findApiKey("k2").orElseThrow().active()).isFalse();
            assertThat(s.setAuditUnenroll("a1", "uninstall", Instant.now())).isTrue();
            assertThat(s.setAuditUnenroll("a1", "orphaned", Instant.now())).isFalse();
        }
    }

    @Test
    void aSecondConnectionSeesCommittedWritesAndTheFileIsInWalMode() throws Exception {
        Path d = Files.createTempDirectory(tmp, "two");
        try (SqliteFleetStore writer = SqliteFleetStore.openInDirectory(d);
             SqliteFleetStore watcher = SqliteFleetStore.openInDirectory(d)) {
            StoreCursor c = watcher.currentCursor();
            writer.putPolicy("p", "{}");
            writer.addAction(new ActionRecord("x", 0, "UNENROLL", List.of("a"), null, Instant.now(), null, null));
            StoreChanges changes = watcher.changesSince(c, 10);
            assertThat(changes.policies()).hasSize(1);
            assertThat(changes.actions()).hasSize(1);
        }
        assertThat(Files.exists(d.resolve("fleet.db"))).isTrue();
        try (var conn = java.sql.DriverManager.getConnection("jdbc:sqlite:" + d.resolve("fleet.db"));
             var rs = conn.createStatement().executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
        }
    }

    @Test
    void anUnwritableLocationIsReportedWithThePath() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        assertThatThrownBy(() -> SqliteFleetStore.openInDirectory(file.resolve("data")))
                .isInstanceOf(StoreException.class).hasMessageContaining(file.toString());
    }
}
