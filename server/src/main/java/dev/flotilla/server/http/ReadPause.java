package dev.flotilla.server.http;

import io.netty.channel.Channel;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 */
public final class ReadPause {
    /** The longest a connection's reading is held back. */
    static final Duration MAX = Duration.ofSeconds(3);
    private static final Logger LOG = LoggerFactory.getLogger(ReadPause.class);

    private final AtomicInteger pending = new AtomicInteger();
    private final Set<Channel> paused = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean timerArmed = new AtomicBoolean();
    private final Set<ApiResponse> built = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    /** One more woken check-in whose answer is to come; before its wake-up, so the answer cannot come first. */
    public void expect() {
        pending.incrementAndGet();
    }

    /** A woken check-in's answer, built: it counts as given once {@link #afterResponse} sees it written. */
    public void owe(ApiResponse answer) {
        built.add(answer);
    }

    /** A woken check-in that will write no answer given to {@link #owe} (its wake-up did not happen, it failed). */
    public void answered() {
        if (pending.updateAndGet(n -> Math.max(0, n - 1)) == 0) {
            resumeAll();
        }
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
        if (response != null && built.remove(response)) {
            answered();
        }
        if (pending.get() <= 0 || !channel.isActive()) {
            return;
        }
        channel.config().setAutoRead(false);
        paused.add(channel);
        if (timerArmed.compareAndSet(false, true)) {
            channel.eventLoop().schedule(this::expire, MAX.toMillis(), TimeUnit.MILLISECONDS);
        }
        if (pending.get() <= 0) {
            resumeAll(); // the last answer came in between: nobody else would resume this one
        }
    }

    private void expire() {
        timerArmed.set(false);
        if (pending.get() > 0) {
            LOG.debug("{} answers still pending after {}; {} connections read again", pending(), MAX, paused.size());
            pending.set(0);
            built.clear();
        }
        resumeAll();
    }

    private void resumeAll() {
        for (Iterator<Channel> it = paused.iterator(); it.hasNext(); ) {
            Channel c = it.next();
            it.remove();
            c.config().setAutoRead(true);
        }
    }
}
