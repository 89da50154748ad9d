package dev.flotilla.server.checkin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.server.store.PolicyRevision;
import dev.flotilla.server.store.sqlite.SqliteFleetStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The latest revision a check-in answers with: a store read at most once per freshness window, and a revision
 * the change feed announced at once — before the waiters on it wake.
 */
class LatestPoliciesTest {

    @TempDir
    Path tmp;

    @Test
    void readsTheStoreOncePerWindowAndTakesAnnouncedRevisionsAtOnce() throws Exception {
        AtomicLong clock = new AtomicLong(1_000_000_000L);
        try (SqliteFleetStore store = SqliteFleetStore.open(tmp.resolve("fleet.db"))) {
            LongPollHub hub = new LongPollHub();
            LatestPolicies latest = new LatestPolicies(store, hub, clock::get);
            assertThat(latest.latest("p")).isEmpty();
            PolicyRevision r1 = store.putPolicy("p", "{}");
            // within the window the earlier read stands: no policy yet
            assertThat(latest.latest("p")).isEmpty();
            clock.addAndGet(LatestPolicies.FRESH.toNanos());
            assertThat(latest.latest("p")).hasValueSatisfying(r -> assertThat(r.revision()).isEqualTo(1));

            // a revision written elsewhere and not announced is seen once the window has passed
            store.putPolicy("p", "{\"a\":1}");
            assertThat(latest.latest("p").orElseThrow().revision()).isEqualTo(1);
            clock.addAndGet(LatestPolicies.FRESH.toNanos());
            assertThat(latest.latest("p").orElseThrow().revision()).isEqualTo(2);

            // an announced revision is answered at once, and is in place when its waiters wake
            PolicyRevision r3 = store.putPolicy("p", "{\"a\":2}");
            var waiter = hub.register("agent", "p").await(Duration.ofMinutes(1));
            var seenOnWake = waiter.thenApply(wake -> latest.latest("p").orElseThrow().revision());
            hub.policyChanged(r3);
            assertThat(seenOnWake.get()).isEqualTo(3);
            // an older announcement (a slow feed) never lowers it
            hub.policyChanged(r1);
            assertThat(latest.latest("p").orElseThrow().revision()).isEqualTo(3);
            assertThat(latest.latest("other")).isEmpty();
        }
    }
}
