package dev.flotilla.server.http;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** The server's state (for /api/status and shutdown) and the count of requests being served. */
public final class Lifecycle {

    /** Unit states, as the reference's status endpoint reports them. */
    public enum State { STARTING, CONFIGURING, HEALTHY, DEGRADED, FAILED, STOPPING, STOPPED }

    private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object idle = new Object();

    public State state() {
        return state.get();
    }

    public void set(State s) {
        state.set(s);
    }

    public boolean stopping() {
        State s = state.get();
        return s == State.STOPPING || s == State.STOPPED;
    }

    void started() {
        inFlight.incrementAndGet();
    }

    void finished() {
        if (inFlight.decrementAndGet() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** Waits until no request is being served, at most {@code max}; true when idle. */
    public boolean awaitIdle(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (idle) {
            while (inFlight.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }
}
