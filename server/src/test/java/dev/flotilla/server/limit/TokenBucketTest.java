package dev.flotilla.server.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    @Test
    void allowsTheBurstThenOneTokenPerInterval() {
        AtomicLong now = new AtomicLong();
        TokenBucket bucket = new TokenBucket(Duration.ofMillis(10), 3, now::get);
        assertThat(bucket.tryTake()).isTrue();
        assertThat(bucket.tryTake()).isTrue();
        assertThat(bucket.tryTake()).isTrue();
        assertThat(bucket.tryTake()).isFalse();
        now.addAndGet(Duration.ofMillis(10).toNanos());
        assertThat(bucket.tryTake()).isTrue();
        assertThat(bucket.tryTake()).isFalse();
        now.addAndGet(Duration.ofHours(1).toNanos());
        for (int i = 0; i < 3; i++) {
            assertThat(bucket.tryTake()).isTrue();
        }
        assertThat(bucket.tryTake()).isFalse();
    }

    @Test
    void concurrencyPermitsAreReturned() {
        EndpointLimiter limiter = new EndpointLimiter(new EndpointLimit(Duration.ZERO, 1, 2, 10));
        var p1 = limiter.tryAcquire().orElseThrow();
        var p2 = limiter.tryAcquire().orElseThrow();
        assertThat(limiter.tryAcquire()).isEmpty();
        p1.close();
        p1.close();
        assertThat(limiter.tryAcquire()).isPresent();
        assertThat(limiter.tryAcquire()).isEmpty();
        p2.close();
    }
}
