package dev.flotilla.server.checkin;

import dev.flotilla.server.store.CheckinUpdate;
import dev.flotilla.server.store.FleetStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects check-ins (last check-in time, status, message, metadata) and writes the newest per agent once per
 * flush interval, in transactions of at most {@link #CHUNK}; flushes on close.
 */
public final class CheckinBatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CheckinBatcher.class);
    private final FleetStore store;
    private final ConcurrentHashMap<String, CheckinUpdate> pending = new ConcurrentHashMap<>();
    private final AtomicLong writes = new AtomicLong();

    /**
     * Most check-ins per store transaction. A flush after a policy fan-out holds one per agent (17,000 in a worker
     * of a 50,000-agent bench); in one transaction it held SQLite's write lock for seconds, and a policy change
     * written meanwhile waited 5.4 s for it (bench/README.md). In chunks, other writes get the lock between them.
     */
    static final int CHUNK = 500;

    public CheckinBatcher(FleetStore store, ScheduledExecutorService scheduler, Duration interval) {
        this.store = store;
        scheduler.scheduleWithFixedDelay(this::flushQuietly, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    public void record(CheckinUpdate update) {
        pending.merge(update.agentId(), update, (old, neu) -> new CheckinUpdate(neu.agentId(), neu.at(),
                neu.status() != null ? neu.status() : old.status(),
                neu.message() != null ? neu.message() : old.message(),
                neu.localMetadata() != null ? neu.localMetadata() : old.localMetadata(),
                neu.components() != null ? neu.components() : old.components()));
    }

    /** Store transactions written so far (one per chunk of at most {@link #CHUNK} check-ins). */
    public long writes() {
        return writes.get();
    }

    public synchronized void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<CheckinUpdate> batch = new ArrayList<>();
        for (String id : new ArrayList<>(pending.keySet())) {
            CheckinUpdate u = pending.remove(id);
            if (u != null) {
                batch.add(u);
            }
        }
        for (int from = 0; from < batch.size(); from += CHUNK) {
            List<CheckinUpdate> chunk = batch.subList(from, Math.min(batch.size(), from + CHUNK));
            try {
                store.recordCheckins(chunk);
                writes.incrementAndGet();
            } catch (RuntimeException e) {
                // this chunk and the ones after it wait for the next flush (newer check-ins meanwhile win)
                batch.subList(from, batch.size()).forEach(u -> pending.putIfAbsent(u.agentId(), u));
                throw e;
            }
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("writing {} check-ins failed, will retry: {}", pending.size(), e.getMessage());
        }
    }

    @Override
    public void close() {
        flushQuietly();
    }
}
