package dev.flotilla.agent.enroll;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.checkin.Backoff;
import dev.flotilla.agent.fleet.FleetApiException;
import dev.flotilla.agent.fleet.FleetUnreachableException;
import dev.flotilla.agent.state.Enrollment;
import dev.flotilla.agent.state.PendingEnrollment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Performs an enrollment stored with {@code --delay-enroll} when the agent first runs. The agent is typically
 * started by its service before Fleet Server is reachable (boot order, network not up yet, Fleet Server still
 * starting), so failures that can clear by themselves are retried with jittered backoff until the enrollment
 * succeeds or the thread is interrupted: no answer (refused, timed out, TLS handshake failed) and answers that
 * mean "later" (429, 499, 5xx). An answer that will not change by waiting (401 invalid token, 400 bad request,
 * ...) ends it at once with the server's message.
 */
public final class DelayedEnrollment {
    private static final Logger LOG = LoggerFactory.getLogger(DelayedEnrollment.class);

    /** Waits between attempts; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final Enroller enroller;
    private final Backoff backoff;
    private final Sleeper sleeper;

    public DelayedEnrollment(Enroller enroller, Backoff backoff, Sleeper sleeper) {
        this.enroller = enroller;
        this.backoff = backoff;
        this.sleeper = sleeper;
    }

    public DelayedEnrollment(Enroller enroller, Backoff backoff) {
        this(enroller, backoff, d -> Thread.sleep(d.toMillis()));
    }

    public Enrollment enroll(PendingEnrollment pending) {
        while (true) {
            try {
                Enrollment e = enroller.enroll(pending);
                if (backoff.failures() > 0) {
                    LOG.info("delayed enrollment succeeded after {} failed attempt(s)", backoff.failures());
                }
                return e;
            } catch (FleetUnreachableException | FleetApiException e) {
                if (!retryable(e)) {
                    throw e;
                }
                Duration wait = backoff.next();
                LOG.warn("delayed enrollment, attempt {} failed: {} (retrying in {} ms)", backoff.failures(),
                        e.getMessage(), wait.toMillis());
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new AgentException("stopped before the delayed enrollment succeeded (last error: "
                            + e.getMessage() + "); the enrollment stays stored and is tried again on the next run");
                }
            }
        }
    }

    static boolean retryable(AgentException e) {
        return e instanceof FleetUnreachableException
                || e instanceof FleetApiException api && api.retryable();
    }
}
