package dev.flotilla.server.checkin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.server.http.ApiErrors;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PollDurationTest {
    @Test
    void parsesGoDurations() {
        assertThat(PollDuration.parseGo("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(PollDuration.parseGo("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(PollDuration.parseGo("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(PollDuration.parseGo("300ms")).isEqualTo(Duration.ofMillis(300));
        assertThatThrownBy(() -> PollDuration.parseGo("5 minutes")).isInstanceOf(ApiErrors.BadRequest.class);
        assertThatThrownBy(() -> PollDuration.parseGo("m5")).isInstanceOf(ApiErrors.BadRequest.class);
    }

    @Test
    void appliesTheReferenceBoundsAndJitter() {
        CheckinSettings noJitter = new CheckinSettings(Duration.ofMinutes(5), Duration.ZERO, Duration.ofMinutes(1),
                Duration.ofHours(1), Duration.ofSeconds(30));
        assertThat(PollDuration.of(null, noJitter)).isEqualTo(Duration.ofMinutes(5));
        assertThat(PollDuration.of(Duration.ofMinutes(10), noJitter)).isEqualTo(Duration.ofMinutes(8));
        assertThat(PollDuration.of(Duration.ofMinutes(2), noJitter)).isEqualTo(Duration.ofMinutes(1));
        assertThat(PollDuration.of(Duration.ofHours(3), noJitter)).isEqualTo(Duration.ofHours(1));
        for (int i = 0; i < 50; i++) {
            Duration d = PollDuration.of(null, CheckinSettings.DEFAULTS);
            assertThat(d).isGreaterThan(Duration.ofSeconds(270)).isLessThanOrEqualTo(Duration.ofMinutes(5));
        }
    }
}
