package dev.flotilla.server.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.server.store.AgentRecord;
import dev.flotilla.server.store.ApiKeyRecord;
import dev.flotilla.server.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes queued without blocking the caller (enroll, acks): each stage completes only after the commit holding
 * it, never on the writer thread; a failing one fails alone; the cached statements of the read connections see
 * every committed write.
 */
@Timeout(120)
class AsyncWriteTest {

    @TempDir
    Path tmp;

    private static ApiKeyRecord key(String id) {
        return new ApiKeyRecord(id, new byte[] {1, 2, 3}, ApiKeyRecord.AGENT, "a", true, Instant.now(), null);
    }

    private static AgentRecord agent(String id, String keyId) {
        return AgentRecord.builder(id, "p").accessApiKeyId(keyId).build();
    }

    private static long count(Path file, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void oneThreadQueuesManyEnrollmentsThatCompleteOnlyOnceCommittedAndShareCommits() throws Exception {
        Path file = tmp.resolve("fleet.db");
        try (SqliteFleetStore store = SqliteFleetStore.open(file)) {
            long commitsBefore = store.transactions().commits();
            int n = 300;
            List<CompletableFuture<Long>> committedRows = new ArrayList<>();
            List<String> completedOn = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < n; i++) {
                String id = "a-" + i;
                committedRows.add(store.enrollAgentAsync(agent(id, "k-" + id), key("k-" + id))
                        .thenApply(done -> {
                            completedOn.add(Thread.currentThread().getName());
                            try {
                                // completed, so committed: another connection sees the row already
                                return count(file, "agents");
                            } catch (SQLException e) {
                                throw new IllegalStateException(e);
                            }
                        }).toCompletableFuture());
            }
            for (int i = 0; i < n; i++) {
                assertThat(committedRows.get(i).get(60, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(i + 1);
            }
            assertThat(count(file, "agents")).isEqualTo(n);
            assertThat(store.findAgent("a-" + (n - 1))).isPresent();
            // one caller queued them all without waiting, so they went in far fewer commits
            assertThat(store.transactions().commits() - commitsBefore).isPositive().isLessThan(n / 2);
            // continuations never run on the writer thread; a stage already complete when the caller chains on
            // it runs the continuation on the caller's thread (CompletableFuture's rule), so "main" may appear
            assertThat(completedOn).hasSize(n).allSatisfy(name -> assertThat(name).doesNotStartWith("sqlite-writer"))
                    .anySatisfy(name -> assertThat(name).startsWith("sqlite-commit-callbacks"));
        }
    }

    @Test
    void aFailingQueuedWriteFailsAloneWithTheStoreNamed() throws Exception {
        Path file = tmp.resolve("fleet.db");
        try (SqliteFleetStore store = SqliteFleetStore.open(file)) {
            store.enrollAgent(agent("first", "k-taken"), key("k-taken"));
            CompletableFuture<Void> good1 = store.enrollAgentAsync(agent("good-1", "k-1"), key("k-1"))
                    .toCompletableFuture();
            CompletableFuture<Void> duplicate = store.enrollAgentAsync(agent("second", "k-taken"), key("k-taken"))
                    .toCompletableFuture();
            CompletableFuture<Void> good2 = store.enrollAgentAsync(agent("good-2", "k-2"), key("k-2"))
                    .toCompletableFuture();
            good1.get(30, TimeUnit.SECONDS);
            good2.get(30, TimeUnit.SECONDS);
            assertThatThrownBy(duplicate::join)
                    .isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(StoreException.class)
                    .hasMessageContaining("enroll agent second")
                    .hasMessageContaining(file.toString());
            assertThat(store.findAgent("good-1")).isPresent();
            assertThat(store.findAgent("good-2")).isPresent();
            assertThat(store.findAgent("second")).isEmpty();
        }
    }

    @Test
    void readsThroughCachedStatementsSeeEveryCommittedWrite() throws Exception {
        Path file = tmp.resolve("fleet.db");
        try (SqliteFleetStore store = SqliteFleetStore.open(file)) {
            store.enrollAgent(AgentRecord.builder("a", "p").accessApiKeyId("k").build(), key("k"));
            assertThat(store.findAgent("a").orElseThrow().policyRevision()).isEqualTo(-1);
            // more rounds than read connections, so every reader's cached statement runs again after a commit
            for (long rev = 1; rev <= 12; rev++) {
                store.recordPolicyAckAsync("a", "p", rev, Instant.now()).toCompletableFuture().get(30, TimeUnit.SECONDS);
                for (int r = 0; r < 6; r++) {
                    assertThat(store.findAgent("a").orElseThrow().policyRevision()).isEqualTo(rev);
                }
            }
            // a revision of another policy, and a lower one, change nothing (the WHERE of the cached update holds)
            store.recordPolicyAckAsync("a", "other", 99, Instant.now()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            store.recordPolicyAckAsync("a", "p", 3, Instant.now()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(store.findAgent("a").orElseThrow().policyRevision()).isEqualTo(12);
        }
    }

    @Test
    void aFailedQueryDoesNotPoisonTheConnectionOrItsCache() {
        Path file = tmp.resolve("fleet.db");
        try (SqliteFleetStore store = SqliteFleetStore.open(file)) {
            Transactions tx = store.transactions();
            for (int i = 0; i < 8; i++) { // every reader at least once
                assertThatThrownBy(() -> tx.read("bad query", c -> Sql.one(c, "SELECT * FROM no_such_table",
                        rs -> rs.getString(1))))
                        .isInstanceOf(StoreException.class)
                        .hasMessageContaining("bad query failed");
                assertThat(store.findAgent("nobody")).isEmpty();
            }
            store.enrollAgent(agent("x", "k-x"), key("k-x"));
            assertThat(store.findAgent("x")).isPresent();
        }
    }

    @Test
    void queuedWritesAfterCloseAreRefused() {
        Path file = tmp.resolve("fleet.db");
        SqliteFleetStore store = SqliteFleetStore.open(file);
        store.close();
        assertThatThrownBy(() -> store.enrollAgentAsync(agent("late", "k"), key("k")))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("is closed");
    }
}
