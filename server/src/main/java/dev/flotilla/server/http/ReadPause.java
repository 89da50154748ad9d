package dev.flotilla.server.http;

import io.netty.channel.Channel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a burst of wake-ups first. A new policy revision wakes every check-in waiting on it at once; each woken
 * agent acks and checks in again as soon as it has its answer, and those requests would take turns on the same
 * CPU with the answers still to be written. While answers to woken check-ins are owed, a connection that was
 * just answered stops reading (its next request waits in the kernel's socket buffer) until the last owed answer
 * is written; then every paused connection reads again. After {@link #MAX} from the first pause of a burst every
 * connection reads again whatever is still pending (a very large burst, or an answer that never came), and the
 * burst's count starts over.
 *
 * <p>With a {@link WorkerAnswerBoard} (the workers of {@code flotilla server --workers N}), a worker that has
 * written all its owed answers keeps its paused connections paused while another worker of the host still owes
 * answers (checked every {@link #PEER_CHECK}), within the same {@link #MAX}: the workers share the CPUs, and
 * acks and check-ins read early in one worker would slow the answers of the others.
 */
public final class ReadPause implements AutoCloseable {
    /** The longest a connection's reading is held back. */
    static final Duration MAX = Duration.ofSeconds(3);
    /** Bursts of at least this many wake-ups (a policy change to a fleet) are logged at INFO, smaller at DEBUG. */
    private static final int LOGGED_BURST = 100;
    /** How often a worker done with its own answers looks whether the other workers are done too. */
    static final Duration PEER_CHECK = Duration.ofMillis(10);
    private static final Logger LOG = LoggerFactory.getLogger(ReadPause.class);

    private final AtomicInteger pending = new AtomicInteger();
    private final Set<Channel> paused = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean timerArmed = new AtomicBoolean();
    private final Set<ApiResponse> built = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    private final WorkerAnswerBoard peers;
    /** When the current burst's first wake-up was expected, how many it has, and when its last answer went out. */
    private volatile long burstStart;
    private final AtomicInteger burstSize = new AtomicInteger();
    private volatile long burstEnd;
    private volatile long firstAnswer;
    /** Set while this worker's answers are all written and its connections wait for the other workers'. */
    private final AtomicBoolean waitingForPeers = new AtomicBoolean();

    /** A pause for one process. */
    public ReadPause() {
        this(null);
    }

    /** A pause that also waits for the other workers on {@code peers} (null: for one process). */
    public ReadPause(WorkerAnswerBoard peers) {
        this.peers = peers;
    }

    /**
     * The pause of worker {@code worker} of {@code flotilla server --workers N}: it shares the answers owed with the
     * other workers through {@code dataDir}'s {@link WorkerAnswerBoard}, each burst counting for at most {@link #MAX}.
     */
    public static ReadPause acrossWorkers(Path dataDir, int worker) {
        return new ReadPause(WorkerAnswerBoard.open(dataDir, worker, MAX.toMillis()));
    }

    /** Clears this worker's slot on the board (nothing to do for one process). */
    @Override
    public void close() {
        if (peers != null) {
            peers.close();
        }
    }

    /** One more woken check-in whose answer is to come; before its wake-up, so the answer cannot come first. */
    public void expect() {
        boolean first = pending.incrementAndGet() == 1;
        if (first) {
            burstStart = System.nanoTime();
            firstAnswer = 0;
            burstSize.set(0);
        }
        burstSize.incrementAndGet();
        if (first) {
            publish(); // the board tells owing from not owing; the count in between is nobody's business
        }
    }

    /** A woken check-in's answer, built: it counts as given once {@link #afterResponse} sees it written. */
    public void owe(ApiResponse answer) {
        built.add(answer);
    }

    /** A woken check-in that will write no answer given to {@link #owe} (its wake-up did not happen, it failed). */
    public void answered() {
        int before = takeOwed();
        if (before == 1) {
            burstAnswered();
        } else if (before == 0) {
            resumeOrWaitForPeers(); // nothing owed (a late or extra call): nobody stays paused
        }
    }

    /** One owed answer less (never below zero); the count before. */
    private int takeOwed() {
        return pending.getAndUpdate(n -> Math.max(0, n - 1));
    }

    /** Answers still expected. */
    public int pending() {
        return pending.get();
    }

    /** Connections whose reading is held back now. */
    public int paused() {
        return paused.size();
    }

    /**
     * After {@code response} (null: an error answer) was written on {@code channel}: counts it when it was an owed
     * answer, and holds the connection's reading back while answers are still owed.
     */
    void afterResponse(Channel channel, ApiResponse response) {
        // the last owed answer: this connection is paused like the others before the pause ends (or waits for peers)
        boolean owed = response != null && built.remove(response);
        if (owed && firstAnswer == 0) {
            firstAnswer = System.nanoTime();
        }
        boolean last = owed && takeOwed() == 1;
        boolean hold = pending.get() > 0 || waitingForPeers.get() || (last && peers != null);
        if (hold && channel.isActive()) {
            channel.config().setAutoRead(false);
            paused.add(channel);
            if (timerArmed.compareAndSet(false, true)) {
                channel.eventLoop().schedule(this::expire, MAX.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        if (last) {
            burstAnswered();
        } else if (hold && pending.get() <= 0 && !waitingForPeers.get()) {
            resumeAll(); // the last answer came in between: nobody else would resume this one
        }
    }

    private void expire() {
        timerArmed.set(false);
        if (pending.get() > 0) {
            LOG.info("{} answers still pending after {}; {} connections read again", pending(), MAX, paused.size());
            pending.set(0);
            built.clear();
            publish();
        }
        waitingForPeers.set(false);
        resumeAll();
    }

    /** The burst's last owed answer is written (or will never come). */
    private void burstAnswered() {
        burstEnd = System.nanoTime();
        int size = burstSize.get();
        long millis = TimeUnit.NANOSECONDS.toMillis(burstEnd - burstStart);
        if (size >= LOGGED_BURST) {
            long first = firstAnswer;
            LOG.info("answered {} check-ins woken at once in {} ms, the first after {} ms ({} connections held from"
                    + " reading)", size, millis, first == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(first - burstStart),
                    paused.size());
        } else {
            LOG.debug("answered {} check-ins woken at once in {} ms", size, millis);
        }
        publish();
        resumeOrWaitForPeers();
    }

    private void resumedAfterPeers() {
        if (burstSize.get() >= LOGGED_BURST) {
            LOG.info("{} connections read again after the other workers' answers, {} ms after this worker's last",
                    paused.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - burstEnd));
        }
    }

    private void publish() {
        if (peers != null) {
            peers.publish(pending.get());
        }
    }

    /** This worker owes no more answers: read again, unless another worker still owes some (then look again soon). */
    private void resumeOrWaitForPeers() {
        if (peers == null || paused.isEmpty() || !peers.othersOwe()) {
            waitingForPeers.set(false);
            resumeAll();
        } else if (waitingForPeers.compareAndSet(false, true)) {
            schedulePeerCheck();
        }
    }

    private void schedulePeerCheck() {
        Iterator<Channel> any = paused.iterator();
        try {
            if (any.hasNext()) {
                any.next().eventLoop().schedule(this::peerCheck, PEER_CHECK.toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
        } catch (RejectedExecutionException e) {
            LOG.debug("event loop stopping; paused connections read again");
        }
        waitingForPeers.set(false);
        resumeAll();
    }

    private void peerCheck() {
        if (!waitingForPeers.get()) {
            return; // resumed meanwhile (MAX)
        }
        if (pending.get() > 0) {
            waitingForPeers.set(false); // a new burst here: its last answer resumes (answered)
            return;
        }
        if (paused.isEmpty() || !peers.othersOwe()) {
            waitingForPeers.set(false);
            resumedAfterPeers();
            resumeAll();
            return;
        }
        schedulePeerCheck();
    }

    private void resumeAll() {
        for (Iterator<Channel> it = paused.iterator(); it.hasNext(); ) {
            Channel c = it.next();
            it.remove();
            c.config().setAutoRead(true);
        }
    }
}
