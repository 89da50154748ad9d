package dev.flotilla.server.checkin;

import dev.flotilla.server.http.ApiErrors;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a check-in waits: the configured default, or from the agent's {@code poll_timeout}
 * max(min(pt - 2m, 1h), 1m); then minus a random jitter in [0, jitter).
 */
public final class PollDuration {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

    private PollDuration() {
    }

    public static Duration of(Duration requested, CheckinSettings s) {
        Duration base = s.defaultPoll();
        if (requested != null) {
            base = max(min(requested.minus(Duration.ofMinutes(2)), s.maxPoll()), s.minPoll());
        }
        long jitterMs = s.jitter().toMillis();
        Duration jitter = jitterMs > 0 ? Duration.ofMillis(ThreadLocalRandom.current().nextLong(jitterMs))
                : Duration.ZERO;
        Duration result = base.minus(jitter);
        return result.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : result;
    }

    /** Parses a Go duration ("5m", "1h30m", "90s", "1.5s", "300ms"). */
    public static Duration parseGo(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            throw new ApiErrors.BadRequest("poll_timeout is empty; expected a duration such as '5m'");
        }
        Matcher m = PART.matcher(t);
        int pos = 0;
        double nanos = 0;
        while (pos < t.length()) {
            if (!m.find(pos) || m.start() != pos) {
                throw new ApiErrors.BadRequest("poll_timeout '" + text + "' is not a duration such as '5m' or"
                        + " '90s'");
            }
            double v = Double.parseDouble(m.group(1));
            nanos += v * switch (m.group(2)) {
                case "ns" -> 1;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
            pos = m.end();
        }
        return Duration.ofNanos((long) nanos);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
