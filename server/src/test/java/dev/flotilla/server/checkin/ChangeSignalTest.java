package dev.flotilla.server.checkin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.server.store.sqlite.SqliteFleetStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two workers of one host: each its own store connection, hub and watcher, sharing the data directory. */
class ChangeSignalTest {
    /** Far longer than the test: only the signal can wake the other worker's check-in in time. */
    private static final Duration SLOW_POLL = Duration.ofHours(1);

    @Test
    void aPolicyWrittenThroughOneWorkerWakesTheOtherWorkersCheckinsAtOnce(@TempDir Path data) throws Exception {
        ScheduledExecutorService feeds = Executors.newScheduledThreadPool(2);
        try (SqliteFleetStore storeA = SqliteFleetStore.openInDirectory(data);
             SqliteFleetStore storeB = SqliteFleetStore.openInDirectory(data);
             ChangeSignal signalA = ChangeSignal.open(data);
             ChangeSignal signalB = ChangeSignal.open(data)) {
            LongPollHub hubA = new LongPollHub();
            LongPollHub hubB = new LongPollHub();
            ChangeWatcher writer = new ChangeWatcher(storeA, hubA, feeds, SLOW_POLL, signalA);
            ChangeWatcher other = new ChangeWatcher(storeB, hubB, feeds, SLOW_POLL, signalB);
            writer.start();
            other.start();
            var waiting = hubB.register("agent-1", "p1").await(Duration.ofMinutes(1));
            storeA.putPolicy("p1", "{\"id\":\"p1\"}");
            writer.pollNow(); // what Policies does after a write
            assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo(LongPollHub.Wake.POLICY);
            assertThat(hubB.announced("p1").revision()).isEqualTo(1);
        } finally {
            feeds.shutdownNow();
        }
    }

    @Test
    void withoutTheSignalTheOtherWorkerWaitsForItsNextPoll(@TempDir Path data) throws Exception {
        ScheduledExecutorService feeds = Executors.newScheduledThreadPool(2);
        try (SqliteFleetStore storeA = SqliteFleetStore.openInDirectory(data);
             SqliteFleetStore storeB = SqliteFleetStore.openInDirectory(data)) {
            ChangeWatcher writer = new ChangeWatcher(storeA, new LongPollHub(), feeds, SLOW_POLL);
            LongPollHub hubB = new LongPollHub();
            ChangeWatcher other = new ChangeWatcher(storeB, hubB, feeds, SLOW_POLL);
            writer.start();
            other.start();
            var waiting = hubB.register("agent-1", "p1").await(Duration.ofMinutes(1));
            storeA.putPolicy("p1", "{\"id\":\"p1\"}");
            writer.pollNow();
            Thread.sleep(300);
            assertThat(waiting).isNotDone();
        } finally {
            feeds.shutdownNow();
        }
    }

    @Test
    void bumpsAreSeenThroughAnotherMappingOfTheFile(@TempDir Path data) {
        try (ChangeSignal a = ChangeSignal.open(data); ChangeSignal b = ChangeSignal.open(data)) {
            long before = b.read();
            a.bump();
            a.bump();
            assertThat(b.read()).isEqualTo(before + 2);
        }
    }
}
