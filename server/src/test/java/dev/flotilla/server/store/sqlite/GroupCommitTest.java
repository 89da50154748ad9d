package dev.flotilla.server.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.server.store.AgentRecord;
import dev.flotilla.server.store.ApiKeyRecord;
import dev.flotilla.server.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Group commit: concurrent writes share commits, each returns only once committed, a failing one fails alone. */
@Timeout(120)
class GroupCommitTest {
    private static final int THREADS = 8;
    private static final int PER_THREAD = 50;

    @TempDir
    Path tmp;

    private static ApiKeyRecord key(String id) {
        return new ApiKeyRecord(id, new byte[] {1, 2, 3}, ApiKeyRecord.AGENT, "a", true, Instant.now(), null);
    }

    private static void enroll(SqliteFleetStore s, String agent, String keyId) {
        s.enrollAgent(AgentRecord.builder(agent, "p").accessApiKeyId(keyId).build(), key(keyId));
    }

    /** Counts rows through a connection of its own: sees only what was committed. */
    private static long count(Path file, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aWriteFirstRunsAheadOfTheWritesAlreadyQueued() throws Exception {
        try (SqliteFleetStore store = SqliteFleetStore.open(tmp.resolve("fleet.db"))) {
            Transactions db = store.transactions();
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch writerBusy = new CountDownLatch(1);
            db.submit("blocker", c -> {
                writerBusy.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            });
            assertThat(writerBusy.await(30, TimeUnit.SECONDS)).isTrue();
            List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
            List<java.util.concurrent.CompletionStage<Object>> acks = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                String label = "ack-" + i;
                acks.add(db.submit(label, c -> order.add(label)));
            }
            ExecutorService caller = Executors.newSingleThreadExecutor();
            try {
                Future<Object> policy = caller.submit(() -> db.writeFirst("policy", c -> order.add("policy")));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (db.queuedWrites() < 301 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(db.queuedWrites()).isEqualTo(301);
                release.countDown();
                policy.get(30, TimeUnit.SECONDS);
                for (var ack : acks) {
                    ack.toCompletableFuture().get(30, TimeUnit.SECONDS);
                }
            } finally {
                caller.shutdownNow();
            }
            assertThat(order).hasSize(301);
            assertThat(order.get(0)).isEqualTo("policy");
            assertThat(order.subList(1, 301)).isSortedAccordingTo(
                    java.util.Comparator.comparingInt(l -> Integer.parseInt(l.substring("ack-".length()))));
        }
    }

    @Test
    void concurrentEnrollmentsAllCommitInFewerCommitsThanWrites() throws Exception {
        Path file = tmp.resolve("fleet.db");
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (SqliteFleetStore store = SqliteFleetStore.open(file)) {
            long commitsBefore = store.transactions().commits();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < PER_THREAD; i++) {
                        String id = "a-" + thread + "-" + i;
                        enroll(store, id, "k-" + id);
                        // returned, so committed: visible to a reader and to another connection
                        assertThat(store.findAgent(id)).isPresent();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(90, TimeUnit.SECONDS);
            }
            int writes = THREADS * PER_THREAD;
            assertThat(count(file, "agents")).isEqualTo(writes);
            assertThat(count(file, "api_keys")).isEqualTo(writes);
            long commits = store.transactions().commits() - commitsBefore;
            assertThat(commits).isPositive().isLessThan(writes);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailingWriteIsRolledBackAloneAndItsBatchMatesCommit() throws Exception {
        Path file = tmp.resolve("fleet.db");
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (SqliteFleetStore store = SqliteFleetStore.open(file)) {
            Transactions tx = store.transactions();
            enroll(store, "first", "k-taken");
            tx.write("create t", c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE t (v TEXT PRIMARY KEY)");
                }
                return null;
            });
            // hold the writer thread so that the next writes queue up and go in one batch
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<?> blocker = pool.submit(() -> tx.write("hold", c -> {
                holding.countDown();
                await(release);
                return null;
            }));
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
            long commitsBefore = tx.commits();

            Future<?> good1 = pool.submit(() -> insert(tx, "good-1", false));
            Future<?> halfDone = pool.submit(() -> insert(tx, "inserted-then-threw", true));
            Future<?> duplicateKey = pool.submit(() -> {
                enroll(store, "second", "k-taken");
                return null;
            });
            Future<?> good2 = pool.submit(() -> {
                enroll(store, "third", "k-third");
                return null;
            });
            Future<?> good3 = pool.submit(() -> insert(tx, "good-3", false));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (tx.queuedWrites() < 5) {
                assertThat(System.nanoTime()).as("5 writes queued behind the held one").isLessThan(deadline);
                Thread.onSpinWait();
            }
            release.countDown();
            blocker.get(30, TimeUnit.SECONDS);

            good1.get(30, TimeUnit.SECONDS);
            good2.get(30, TimeUnit.SECONDS);
            good3.get(30, TimeUnit.SECONDS);
            assertThatThrownBy(() -> halfDone.get(30, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(IllegalStateException.class)
                    .hasRootCauseMessage("unit fails after its insert: inserted-then-threw");
            assertThatThrownBy(() -> duplicateKey.get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(StoreException.class)
                    .hasMessageContaining("enroll agent second");
            // the held write's commit, then one commit for all five queued ones
            assertThat(tx.commits() - commitsBefore).isEqualTo(2);

            assertThat(values(file)).containsExactlyInAnyOrder("good-1", "good-3");
            assertThat(store.findAgent("third")).isPresent();
            assertThat(store.findAgent("second")).isEmpty();
            assertThat(store.findAgent("first").orElseThrow().accessApiKeyId()).isEqualTo("k-taken");

            // the writer goes on after a failed unit
            insert(tx, "after", false);
            assertThat(values(file)).contains("after");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void oneCommitPerWriteWhenGroupCommitIsOff() throws Exception {
        Path file = tmp.resolve("fleet.db");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (Transactions tx = Transactions.open(file, 1)) {
            tx.write("create t", c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE t (v TEXT PRIMARY KEY)");
                }
                return null;
            });
            long before = tx.commits();
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String v = "v" + i;
                done.add(pool.submit(() -> insert(tx, v, false)));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertThat(tx.commits() - before).isEqualTo(40);
            assertThat(values(file)).hasSize(40);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void writesAfterCloseAreRefusedWithTheFileNamed() {
        Path file = tmp.resolve("fleet.db");
        Transactions tx = Transactions.open(file);
        tx.close();
        assertThatThrownBy(() -> tx.write("late write", c -> null))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("is closed (late write)")
                .hasMessageContaining(file.toString());
    }

    private static Void insert(Transactions tx, String v, boolean thenFail) {
        return tx.write("insert " + v, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t(v) VALUES (?)")) {
                ps.setString(1, v);
                ps.executeUpdate();
            }
            if (thenFail) {
                throw new IllegalStateException("unit fails after its insert: " + v);
            }
            return null;
        });
    }

    private static List<String> values(Path file) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT v FROM t")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
