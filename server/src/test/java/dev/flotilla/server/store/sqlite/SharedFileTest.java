package dev.flotilla.server.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.server.store.PolicyRevision;
import dev.flotilla.server.store.StoreChanges;
import dev.flotilla.server.store.StoreCursor;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One SQLite file opened by two stores, as the workers of {@code flotilla server --workers N} open it (SQLite's
 * locking between two stores' connections is the same whether they live in one process or two): writes that read
 * first do not fail when the other store commits in between, and each store's change feed sees the other's writes.
 */
@Timeout(120)
class SharedFileTest {
    @TempDir
    Path tmp;

    @Test
    void readThenWriteUnitsFromTwoStoresInterleaveWithoutBusyErrors() throws Exception {
        Path file = tmp.resolve("fleet.db");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (SqliteFleetStore a = SqliteFleetStore.open(file); SqliteFleetStore b = SqliteFleetStore.open(file)) {
            List<Future<List<Long>>> writers = new ArrayList<>();
            for (SqliteFleetStore store : List.of(a, b, a, b)) {
                // putPolicy reads MAX(revision) and then inserts: the pattern SQLITE_BUSY_SNAPSHOT hits
                writers.add(pool.submit(() -> {
                    List<Long> revisions = new ArrayList<>();
                    for (int i = 0; i < 40; i++) {
                        revisions.add(store.putPolicy("shared", "{\"n\":" + i + "}").revision());
                    }
                    return revisions;
                }));
            }
            Set<Long> all = new TreeSet<>();
            for (Future<List<Long>> w : writers) {
                all.addAll(w.get());
            }
            assertThat(all).hasSize(160).first().isEqualTo(1L);
            assertThat(a.latestPolicy("shared").orElseThrow().revision()).isEqualTo(160);
            assertThat(b.latestPolicy("shared").orElseThrow().revision()).isEqualTo(160);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void eachStoresChangeFeedSeesTheOthersWrites() {
        Path file = tmp.resolve("fleet.db");
        try (SqliteFleetStore a = SqliteFleetStore.open(file); SqliteFleetStore b = SqliteFleetStore.open(file)) {
            StoreCursor cursor = b.currentCursor();
            StoreChanges none = b.changesSince(cursor, 100);
            assertThat(none.isEmpty()).isTrue();
            assertThat(b.changesSince(none.next(), 100).isEmpty()).as("unchanged data_version: still nothing").isTrue();

            PolicyRevision written = a.putPolicy("p", "{}");
            StoreChanges seen = b.changesSince(none.next(), 100);
            assertThat(seen.policies()).extracting(PolicyRevision::policyId, PolicyRevision::revision)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("p", written.revision()));
            assertThat(b.changesSince(seen.next(), 100).isEmpty()).isTrue();

            b.putPolicy("p", "{\"again\":true}");
            assertThat(a.changesSince(seen.next(), 100).policies()).extracting(PolicyRevision::revision)
                    .containsExactly(written.revision() + 1);
        }
    }

    @Test
    void aWriterWaitsWhileAnotherConnectionHoldsTheWriteLock() throws Exception {
        Path file = tmp.resolve("fleet.db");
        try (SqliteFleetStore a = SqliteFleetStore.open(file);
             Connection other = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath())) {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try (Statement s = other.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
                Future<PolicyRevision> write = pool.submit(() -> a.putPolicy("waits", "{}"));
                org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.TimeoutException.class,
                        () -> write.get(500, java.util.concurrent.TimeUnit.MILLISECONDS),
                        "the write must wait for the other writer's lock");
                s.execute("COMMIT");
                assertThat(write.get().revision()).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
