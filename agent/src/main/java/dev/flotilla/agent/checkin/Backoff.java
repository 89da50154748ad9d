package dev.flotilla.agent.checkin;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Jittered exponential backoff: the n-th consecutive failure waits a random time in [d/2, d] where
 * d = min(initial * 2^(n-1), max). {@link #reset()} after a success.
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private int failures;

    public Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial: " + initial + " (expected: > 0)");
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max: " + max + " (expected: >= initial " + initial + ")");
        }
        this.initial = initial;
        this.max = max;
    }

    /** The ceiling of the next wait, without jitter. */
    public Duration ceiling() {
        long factor = 1L << Math.min(failures, 30);
        long millis = initial.toMillis() * factor;
        return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
    }

    /** Records a failure and returns how long to wait before the next attempt. */
    public Duration next() {
        Duration ceiling = ceiling();
        failures++;
        long c = ceiling.toMillis();
        return Duration.ofMillis(c / 2 + ThreadLocalRandom.current().nextLong(c - c / 2 + 1));
    }

    public int failures() {
        return failures;
    }

    public void reset() {
        failures = 0;
    }
}
