package dev.flotilla.agent.checkin;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {
    @Test
    void growsExponentiallyWithJitterUpToMaxAndResets() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
        long[] ceilings = {1000, 2000, 4000, 8000, 10000, 10000};
        for (long c : ceilings) {
            Duration d = b.next();
            assertThat(d.toMillis()).isBetween(c / 2, c);
        }
        b.reset();
        assertThat(b.next().toMillis()).isBetween(500L, 1000L);
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1))).hasMessageContaining("expected: > 0");
    }

    @Test
    void jitterSpreadsWaits() {
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < 50; i++) {
            Backoff b = new Backoff(Duration.ofSeconds(8), Duration.ofSeconds(8));
            seen.add(b.next().toMillis());
        }
        assertThat(seen.size()).isGreaterThan(10);
    }
}
