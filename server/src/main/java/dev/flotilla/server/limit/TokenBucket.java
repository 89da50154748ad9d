package dev.flotilla.server.limit;

import java.time.Duration;
import java.util.function.LongSupplier;

/** A token bucket: one token every {@code interval}, holding at most {@code burst}. Thread-safe. */
public final class TokenBucket {
    private final long intervalNanos;
    private final int burst;
    private final LongSupplier clock;
    private double tokens;
    private long last;

    public TokenBucket(Duration interval, int burst, LongSupplier nanoClock) {
        this.intervalNanos = interval.toNanos();
        this.burst = burst;
        this.clock = nanoClock;
        this.tokens = burst;
        this.last = nanoClock.getAsLong();
    }

    public synchronized boolean tryTake() {
        if (intervalNanos == 0) {
            return true;
        }
        long now = clock.getAsLong();
        tokens = Math.min(burst, tokens + (double) (now - last) / intervalNanos);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
