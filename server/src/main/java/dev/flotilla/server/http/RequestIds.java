package dev.flotilla.server.http;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request ids for responses to requests that brought none ({@code X-Request-Id}): a random 128-bit start drawn
 * once per process, then a counter. Unique within a process and, with overwhelming likelihood, across processes
 * and restarts; not secret (nothing is authorised by one), so a response does not pay a {@link SecureRandom} draw
 * (which {@link UUID#randomUUID()} costs: a lock, a SHA-1 mix and, often, a read of /dev/urandom).
 */
final class RequestIds {
    private static final long HIGH;
    private static final long LOW_START;
    private static final AtomicLong COUNTER = new AtomicLong();

    static {
        SecureRandom random = new SecureRandom();
        HIGH = random.nextLong();
        LOW_START = random.nextLong();
    }

    private RequestIds() {
    }

    /** The next id, in the 8-4-4-4-12 hex form of a UUID. */
    static String next() {
        return new UUID(HIGH, LOW_START + COUNTER.incrementAndGet()).toString();
    }
}
