package dev.flotilla.server.limit;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits of one endpoint: a token bucket (one token per {@code interval}, at most {@code burst} saved up),
 * a cap on concurrent requests (0: none) and a cap on the (decompressed) request body.
 */
public record EndpointLimit(Duration interval, int burst, int maxConcurrent, long maxBodyBytes) {
    public static final EndpointLimit CHECKIN = new EndpointLimit(Duration.ofMillis(1), 1000, 0, 1024 * 1024);
    public static final EndpointLimit ENROLL = new EndpointLimit(Duration.ofMillis(10), 50, 100, 512 * 1024);
    public static final EndpointLimit ACK = new EndpointLimit(Duration.ofMillis(10), 50, 100, 2 * 1024 * 1024);
    public static final EndpointLimit STATUS = new EndpointLimit(Duration.ofMillis(5), 25, 50, 64 * 1024);
    public static final EndpointLimit DEFAULT = new EndpointLimit(Duration.ofMillis(10), 50, 100, 512 * 1024);

    public EndpointLimit {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("interval: " + interval + " (expected: >= 0, 0 = unlimited)");
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst: " + burst + " (expected: >= 1)");
        }
        if (maxConcurrent < 0) {
            throw new IllegalArgumentException("maxConcurrent: " + maxConcurrent + " (expected: >= 0, 0 = unlimited)");
        }
        if (maxBodyBytes < 0) {
            throw new IllegalArgumentException("maxBodyBytes: " + maxBodyBytes + " (expected: >= 0)");
        }
    }

    public EndpointLimit withMaxBodyBytes(long bytes) {
        return new EndpointLimit(interval, burst, maxConcurrent, bytes);
    }

    public EndpointLimit withRate(Duration newInterval, int newBurst) {
        return new EndpointLimit(newInterval, newBurst, maxConcurrent, maxBodyBytes);
    }

    public EndpointLimit withMaxConcurrent(int max) {
        return new EndpointLimit(interval, burst, max, maxBodyBytes);
    }
}
