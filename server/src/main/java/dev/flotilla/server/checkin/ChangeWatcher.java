package dev.flotilla.server.checkin;

import dev.flotilla.server.store.ActionRecord;
import dev.flotilla.server.store.FleetStore;
import dev.flotilla.server.store.PolicyRevision;
import dev.flotilla.server.store.StoreChanges;
import dev.flotilla.server.store.StoreCursor;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the store's change feed (policy revisions and actions, whoever wrote them) and wakes the check-ins
 * they concern. Polls on an interval; writers in this process call {@link #pollNow()} for an immediate look. With a
 * {@link ChangeSignal} (the workers of one host), {@link #pollNow()} also bumps it, and the watcher looks at it every
 * {@link #SIGNAL_CHECK}: a change written through another worker is read at once, not at the next interval.
 */
public final class ChangeWatcher {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeWatcher.class);
    private static final int BATCH = 500;
    /** How often the shared {@link ChangeSignal} is looked at (a volatile read of a mapped long). */
    static final Duration SIGNAL_CHECK = Duration.ofMillis(5);

    private final FleetStore store;
    private final LongPollHub hub;
    private final ScheduledExecutorService scheduler;
    private final Duration interval;
    private final ChangeSignal signal;
    private long signalSeen;
    private StoreCursor cursor;
    private boolean failing;

    public ChangeWatcher(FleetStore store, LongPollHub hub, ScheduledExecutorService scheduler, Duration interval) {
        this(store, hub, scheduler, interval, null);
    }

    /** {@code signal}: shared with the other workers of this host (null: none). */
    public ChangeWatcher(FleetStore store, LongPollHub hub, ScheduledExecutorService scheduler, Duration interval,
                         ChangeSignal signal) {
        this.signal = signal;
        this.store = store;
        this.hub = hub;
        this.scheduler = scheduler;
        this.interval = interval;
    }

    public void start() {
        cursor = store.currentCursor();
        scheduler.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        if (signal != null) {
            signalSeen = signal.read();
            scheduler.scheduleWithFixedDelay(this::pollIfSignalled, SIGNAL_CHECK.toMillis(), SIGNAL_CHECK.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** On the scheduler's thread: reads the change feed when another worker (or this one) bumped the signal. */
    private synchronized void pollIfSignalled() {
        if (signal.read() != signalSeen) {
            poll();
        }
    }

    public void pollNow() {
        if (signal != null) {
            signal.bump();
        }
        try {
            scheduler.execute(this::poll);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("change watcher stopped; not polling");
        }
    }

    synchronized void poll() {
        if (signal != null) {
            // what this read covers: a bump seen here (this process's own, too) needs no second read
            signalSeen = signal.read();
        }
        try {
            StoreChanges changes;
            do {
                changes = store.changesSince(cursor, BATCH);
                for (PolicyRevision p : changes.policies()) {
                    LOG.debug("policy {} revision {}: waking its agents", p.policyId(), p.revision());
                    hub.policyChanged(p);
                }
                for (ActionRecord a : changes.actions()) {
                    hub.actionsFor(a.agentIds());
                }
                cursor = changes.next();
            } while (changes.policies().size() == BATCH || changes.actions().size() == BATCH);
            if (failing) {
                LOG.info("store change feed readable again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("cannot read the store change feed ({}): {}", store.describe(), e.getMessage());
                failing = true;
            }
        }
    }
}
