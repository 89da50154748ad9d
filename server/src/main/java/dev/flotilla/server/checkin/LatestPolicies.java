package dev.flotilla.server.checkin;

import dev.flotilla.server.store.FleetStore;
import dev.flotilla.server.store.PolicyRevision;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The newest revision of each policy for check-in answers, without a store read per check-in: the newer of what
 * the change feed announced ({@link LongPollHub#policyChanged(PolicyRevision)}, recorded before the waiters wake,
 * so a check-in either sees the new revision or is woken by it) and a store read at most once per
 * {@link #FRESH} per policy (which also covers revisions the feed has not delivered, e.g. while it fails).
 */
final class LatestPolicies {
    static final Duration FRESH = Duration.ofSeconds(5);

    private final FleetStore store;
    private final LongPollHub hub;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Read> reads = new ConcurrentHashMap<>();

    LatestPolicies(FleetStore store, LongPollHub hub) {
        this(store, hub, System::nanoTime);
    }

    LatestPolicies(FleetStore store, LongPollHub hub, LongSupplier nanoTime) {
        this.store = store;
        this.hub = hub;
        this.nanoTime = nanoTime;
    }

    Optional<PolicyRevision> latest(String policyId) {
        long now = nanoTime.getAsLong();
        Read read = reads.get(policyId);
        if (read == null || now - read.at >= FRESH.toNanos()) {
            read = new Read(store.latestPolicy(policyId).orElse(null), now);
            reads.put(policyId, read);
        }
        return Optional.ofNullable(newer(read.revision, hub.announced(policyId)));
    }

    private static PolicyRevision newer(PolicyRevision a, PolicyRevision b) {
        if (a == null) {
            return b;
        }
        return b != null && b.revision() > a.revision() ? b : a;
    }

    /** One store read of a policy's latest revision (null: no such policy) and when it was made. */
    private record Read(PolicyRevision revision, long at) {
    }
}
