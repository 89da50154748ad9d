package dev.flotilla.server.limit;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** Enforces one {@link EndpointLimit}: a token bucket for the rate and a counter for concurrent requests. */
public final class EndpointLimiter {
    private final EndpointLimit limit;
    private final TokenBucket bucket;
    private final AtomicInteger inFlight = new AtomicInteger();

    public EndpointLimiter(EndpointLimit limit) {
        this.limit = limit;
        this.bucket = new TokenBucket(limit.interval(), limit.burst(), System::nanoTime);
    }

    public EndpointLimit limit() {
        return limit;
    }

    /** A permit to serve one request, or empty when the rate or the concurrency limit is reached. */
    public Optional<Permit> tryAcquire() {
        if (limit.maxConcurrent() > 0 && inFlight.incrementAndGet() > limit.maxConcurrent()) {
            inFlight.decrementAndGet();
            return Optional.empty();
        }
        if (!bucket.tryTake()) {
            if (limit.maxConcurrent() > 0) {
                inFlight.decrementAndGet();
            }
            return Optional.empty();
        }
        return Optional.of(new Permit());
    }

    /** Released once, when the response has been written. */
    public final class Permit implements AutoCloseable {
        private boolean released;

        private Permit() {
        }

        @Override
        public synchronized void close() {
            if (!released) {
                released = true;
                if (limit.maxConcurrent() > 0) {
                    inFlight.decrementAndGet();
                }
            }
        }
    }
}
