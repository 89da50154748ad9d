package dev.flotilla.server.checkin;

import dev.flotilla.server.http.ReadPause;
import dev.flotilla.server.store.AgentCore;
import dev.flotilla.server.store.PolicyRevision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where waiting check-ins wait: each waiter is woken by a new revision of its agent's policy, a new action for
 * its agent, shutdown, or its own timer. Waking only says "look again"; the check-in re-reads the store.
 */
public final class LongPollHub {
    private static final Logger LOG = LoggerFactory.getLogger(LongPollHub.class);
    /** Check-ins woken by a policy change whose agents are read in one store query. */
    static final int PREFETCH_CHUNK = 500;
    /** Wake-ups of at least this many check-ins are logged at INFO. */
    private static final int LOGGED_WAKE = 100;

    /** Why a wait ended. */
    public enum Wake { POLICY, ACTION, TIMEOUT, SHUTDOWN }

    /** An agent's waiters (almost always one): a small array replaced on change, not a set per agent. */
    private final ConcurrentHashMap<String, Waiter[]> byAgent = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, PolicyRevision> announced = new ConcurrentHashMap<>();
    private final ReadPause readPause;
    private final Function<List<String>, Map<String, AgentCore>> agentCores;
    private final Executor readers;

    public LongPollHub() {
        this(new ReadPause());
    }

    /** {@code readPause} counts the answers owed to check-ins a policy change woke (see {@link ReadPause}). */
    public LongPollHub(ReadPause readPause) {
        this(readPause, null, null);
    }

    /**
     * With {@code agentCores} and {@code readers} (both or neither null), the agents of check-ins woken by a policy
     * change are read for their answers {@value #PREFETCH_CHUNK} at a time ({@code FleetStore::findAgentCores}),
     * each chunk on a {@code readers} thread that then wakes its check-ins, instead of one read per answer.
     */
    public LongPollHub(ReadPause readPause, Function<List<String>, Map<String, AgentCore>> agentCores,
                       Executor readers) {
        if ((agentCores == null) != (readers == null)) {
            throw new IllegalArgumentException("agentCores and readers: give both or neither");
        }
        this.readPause = readPause;
        this.agentCores = agentCores;
        this.readers = readers;
    }

    ReadPause readPause() {
        return readPause;
    }

    /** Registers before the store is read, so a change written in between is not missed. */
    public Waiter register(String agentId, String policyId) {
        Waiter w = new Waiter(agentId, policyId);
        byAgent.merge(agentId, new Waiter[] {w}, LongPollHub::plus);
        w.future.whenComplete((r, e) -> remove(w));
        return w;
    }

    private void remove(Waiter w) {
        byAgent.computeIfPresent(w.agentId, (k, waiters) -> minus(waiters, w));
    }

    private static Waiter[] plus(Waiter[] waiters, Waiter[] added) {
        Waiter[] out = Arrays.copyOf(waiters, waiters.length + added.length);
        System.arraycopy(added, 0, out, waiters.length, added.length);
        return out;
    }

    /** Without {@code w}; null (the agent's entry goes) when none is left. */
    private static Waiter[] minus(Waiter[] waiters, Waiter w) {
        int at = Arrays.asList(waiters).indexOf(w);
        if (at < 0) {
            return waiters;
        }
        if (waiters.length == 1) {
            return null;
        }
        Waiter[] out = new Waiter[waiters.length - 1];
        System.arraycopy(waiters, 0, out, 0, at);
        System.arraycopy(waiters, at + 1, out, at, waiters.length - at - 1);
        return out;
    }

    /**
     * A new revision from the change feed: recorded first (check-ins answer with it, {@link #announced}), then
     * every waiter on that policy is woken.
     */
    public void policyChanged(PolicyRevision revision) {
        announced.merge(revision.policyId(), revision, (old, neu) -> neu.revision() >= old.revision() ? neu : old);
        policyChanged(revision.policyId());
    }

    /** The newest revision of the policy the change feed announced in this process, or null. */
    public PolicyRevision announced(String policyId) {
        return announced.get(policyId);
    }

    /** Wakes every check-in waiting on this policy (the change feed calls {@link #policyChanged(PolicyRevision)}). */
    void policyChanged(String policyId) {
        List<Waiter> woken = new ArrayList<>();
        for (Waiter[] waiters : byAgent.values()) {
            for (Waiter w : waiters) {
                if (w.policyId.equals(policyId)) {
                    woken.add(w);
                }
            }
        }
        for (int i = 0; i < woken.size(); i++) {
            readPause.expect(); // before any wake-up: an answer may be built at once on another thread
        }
        if (agentCores == null) {
            wake(woken);
            return;
        }
        long began = System.nanoTime();
        int chunks = (woken.size() + PREFETCH_CHUNK - 1) / PREFETCH_CHUNK;
        AtomicInteger left = new AtomicInteger(chunks);
        for (int from = 0; from < woken.size(); from += PREFETCH_CHUNK) {
            List<Waiter> chunk = woken.subList(from, Math.min(woken.size(), from + PREFETCH_CHUNK));
            Runnable readAndWake = () -> {
                prefetch(chunk);
                wake(chunk);
                if (left.decrementAndGet() == 0 && woken.size() >= LOGGED_WAKE) {
                    LOG.info("policy {}: {} waiting check-ins read and woken in {} ms ({} reads of up to {})",
                            policyId, woken.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began), chunks,
                            PREFETCH_CHUNK);
                }
            };
            try {
                readers.execute(readAndWake); // chunks read side by side, not one after another on this thread
            } catch (RejectedExecutionException e) {
                readAndWake.run();
            }
        }
    }

    private void wake(List<Waiter> woken) {
        for (Waiter w : woken) {
            if (!w.future.complete(Wake.POLICY)) {
                readPause.answered(); // it had ended already: no answer owed
            }
        }
    }

    /** Reads the chunk's agents in one query; when that fails, each answer reads its own agent as before. */
    private void prefetch(List<Waiter> chunk) {
        List<String> ids = new ArrayList<>(chunk.size());
        for (Waiter w : chunk) {
            ids.add(w.agentId);
        }
        Map<String, AgentCore> found;
        try {
            found = agentCores.apply(ids);
        } catch (RuntimeException e) {
            LOG.debug("reading {} woken agents at once failed ({}); each answer reads its own", ids.size(),
                    e.toString());
            return;
        }
        for (Waiter w : chunk) {
            w.prefetched = Optional.ofNullable(found.get(w.agentId));
        }
    }

    public void actionsFor(Collection<String> agentIds) {
        for (String id : agentIds) {
            Waiter[] waiters = byAgent.get(id);
            if (waiters != null) {
                for (Waiter w : waiters) {
                    w.future.complete(Wake.ACTION);
                }
            }
        }
    }

    /** Ends every wait (shutdown): each check-in answers with what it has. */
    public void wakeAll() {
        for (Waiter[] waiters : byAgent.values()) {
            for (Waiter w : waiters) {
                w.future.complete(Wake.SHUTDOWN);
            }
        }
    }

    public int waiting() {
        return byAgent.values().stream().mapToInt(waiters -> waiters.length).sum();
    }

    /** One waiting check-in. */
    public static final class Waiter {
        private final String agentId;
        private final String policyId;
        private final CompletableFuture<Wake> future = new CompletableFuture<>();
        /** The agent as read just before a policy wake-up (empty: no such agent), or null when it was not read. */
        private volatile Optional<AgentCore> prefetched;

        private Waiter(String agentId, String policyId) {
            this.agentId = agentId;
            this.policyId = policyId;
        }

        /** Completes on a wake-up or after {@code max}. */
        public CompletableFuture<Wake> await(Duration max) {
            return future.completeOnTimeout(Wake.TIMEOUT, max.toMillis(), TimeUnit.MILLISECONDS);
        }

        /**
         * The agent's core fields read for this wake-up together with the other check-ins the same policy change
         * woke ({@link Optional#empty()}: the agent is gone); null when they were not read, and the answer reads them.
         */
        Optional<AgentCore> prefetched() {
            return prefetched;
        }

        public void cancel() {
            future.complete(Wake.TIMEOUT);
        }

        /**
         * Ends a wait whose check-in answered without waiting (it had work at once, or the server is stopping).
         * A policy wake-up that came in between is owed no answer: it is struck from the {@link ReadPause} count.
         */
        void release(ReadPause readPause) {
            if (!future.complete(Wake.TIMEOUT) && future.getNow(null) == Wake.POLICY) {
                readPause.answered();
            }
        }
    }
}
